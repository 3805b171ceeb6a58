package io.pvemcp.sample.capacity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * How full each online node is (memory and CPU, used and promised to guests) and how many more guests of a
 * given size fit on it, from one call to {@code GET /cluster/resources}.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_capacity_report", title = "Capacity report", risk = Risk.READ, category = "capacity", idempotent = true, description = "Reports, per online node, memory and CPU in use and promised to guests "
                + "(sum of their configured memory and vCPUs, including stopped guests), and how many more guests of "
                + "the given size fit before promised memory passes the given limit. Use it before creating guests, "
                + "or to find the node with the most room.")
public final class CapacityReportTool implements Tool {

    private static final long GIB = 1024L * 1024 * 1024;

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("memory_gib", JsonSchema.number().minimum(0.125).maximum(4096).defaultValue(4)
                    .description("Memory of the planned guest in GiB (default 4)"))
            .optional("max_memory_percent", JsonSchema.integer().minimum(10).maximum(200).defaultValue(90)
                    .description("How much of a node's memory may be promised to guests, in percent (default 90; "
                            + "above 100 allows overcommitment)"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("nodes", JsonSchema.array(JsonSchema.object()
                    .required("node", JsonSchema.string())
                    .required("cpus", JsonSchema.integer())
                    .required("vcpus_promised", JsonSchema.integer())
                    .required("cpu_percent", JsonSchema.number())
                    .required("memory_total_bytes", JsonSchema.integer())
                    .required("memory_used_bytes", JsonSchema.integer())
                    .required("memory_promised_bytes", JsonSchema.integer())
                    .required("guests", JsonSchema.integer())
                    .required("more_guests_fit", JsonSchema.integer())))
            .required("best_node", JsonSchema.anyOfTypes("string", "null"))
            .build();

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    @Override
    public ToolResult call(ToolCall call) throws Exception {
        long guestMemory = (long) (call.arguments().number("memory_gib", 4) * GIB);
        long limitPercent = call.arguments().integer("max_memory_percent", 90);
        Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
        List<Map<String, Object>> guests = new ArrayList<>();
        for (Object o : Json.list(call.proxmox().get("/cluster/resources", Map.of()).join())) {
            Map<String, Object> r = Json.map(o);
            String type = String.valueOf(r.get("type"));
            if (type.equals("node") && "online".equals(r.get("status"))) {
                nodes.put(Json.string(r, "node"), r);
            } else if ((type.equals("qemu") || type.equals("lxc")) && !Json.bool(r, "template", false)) {
                guests.add(r);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        String best = null;
        long bestFit = -1;
        StringBuilder text = new StringBuilder();
        for (var e : nodes.entrySet()) {
            Map<String, Object> n = e.getValue();
            long memTotal = Json.longValue(n, "maxmem", 0);
            long promised = 0;
            long vcpus = 0;
            int count = 0;
            for (Map<String, Object> g : guests) {
                if (e.getKey().equals(g.get("node"))) {
                    promised += Json.longValue(g, "maxmem", 0);
                    vcpus += Json.longValue(g, "maxcpu", 0);
                    count++;
                }
            }
            long room = memTotal * limitPercent / 100 - promised;
            long fit = room <= 0 ? 0 : room / Math.max(1, guestMemory);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("node", e.getKey());
            row.put("cpus", Json.longValue(n, "maxcpu", 0));
            row.put("vcpus_promised", vcpus);
            row.put("cpu_percent", Math.round(Json.doubleValue(n, "cpu", 0) * 1000) / 10.0);
            row.put("memory_total_bytes", memTotal);
            row.put("memory_used_bytes", Json.longValue(n, "mem", 0));
            row.put("memory_promised_bytes", promised);
            row.put("guests", count);
            row.put("more_guests_fit", fit);
            rows.add(row);
            if (fit > bestFit) {
                bestFit = fit;
                best = e.getKey();
            }
            text.append(String.format("%s: %d guests, %.1f of %.1f GiB promised, %d more of %.1f GiB fit; ", e.getKey(),
                    count, promised / (double) GIB, memTotal / (double) GIB, fit, guestMemory / (double) GIB));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("nodes", rows);
        out.put("best_node", best);
        String summary = nodes.isEmpty() ? "No node is online, so nothing fits."
                : text.append("most room on ").append(best).append('.').toString();
        return ToolResult.of(summary, out);
    }
}
