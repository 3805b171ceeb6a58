package io.pvemcp.tools.cluster.internal;

import java.util.ArrayList;
import java.util.Comparator;
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
import io.pvemcp.tools.guest.Sizes;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_cluster_nodes", title = "List nodes", risk = Risk.READ, category = "cluster",
        idempotent = true,
        description = "Nodes with status, CPU, memory, root disk, uptime and running guests; offline nodes without "
                + "figures.")
public final class ClusterNodesTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object().build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("nodes", JsonSchema.array(JsonSchema.object()
                    .required("node", JsonSchema.string())
                    .required("status", JsonSchema.string().description("online, offline or unknown"))
                    .optional("cpus", JsonSchema.integer())
                    .optional("cpu_percent", JsonSchema.number())
                    .optional("memory_used_bytes", JsonSchema.integer())
                    .optional("memory_total_bytes", JsonSchema.integer())
                    .optional("memory_percent", JsonSchema.number())
                    .optional("rootfs_used_bytes", JsonSchema.integer())
                    .optional("rootfs_total_bytes", JsonSchema.integer())
                    .optional("uptime_seconds", JsonSchema.integer())
                    .required("guests_running", JsonSchema.integer())
                    .required("guests_total", JsonSchema.integer())))
            .required("warnings", JsonSchema.array(JsonSchema.string()))
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
        var nodesCall = call.proxmox().get("/nodes", Map.of());
        var guestsCall = call.proxmox().get("/cluster/resources", Map.of("type", "vm"));
        Map<String, int[]> guests = new LinkedHashMap<>();
        for (Object o : Json.list(guestsCall.join())) {
            Map<String, Object> r = Json.map(o);
            if (Json.bool(r, "template", false)) {
                continue;
            }
            int[] c = guests.computeIfAbsent(Json.string(r, "node"), k -> new int[2]);
            c[1]++;
            if ("running".equals(r.get("status"))) {
                c[0]++;
            }
        }
        List<Map<String, Object>> nodes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Object o : Json.list(nodesCall.join())) {
            Map<String, Object> n = Json.map(o);
            String name = Json.string(n, "node");
            String status = n.get("status") == null ? "unknown" : Json.string(n, "status");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", name);
            m.put("status", status);
            if ("online".equals(status)) {
                if (n.get("maxcpu") != null) {
                    m.put("cpus", Json.longValue(n, "maxcpu", 0));
                }
                if (n.get("cpu") != null) {
                    m.put("cpu_percent", Math.round(Json.doubleValue(n, "cpu", 0) * 1000) / 10.0);
                }
                if (n.get("maxmem") != null) {
                    long used = Json.longValue(n, "mem", 0);
                    long total = Json.longValue(n, "maxmem", 0);
                    m.put("memory_used_bytes", used);
                    m.put("memory_total_bytes", total);
                    m.put("memory_percent", total == 0 ? 0.0 : Math.round(used * 1000.0 / total) / 10.0);
                }
                if (n.get("maxdisk") != null) {
                    m.put("rootfs_used_bytes", Json.longValue(n, "disk", 0));
                    m.put("rootfs_total_bytes", Json.longValue(n, "maxdisk", 0));
                }
                if (n.get("uptime") != null) {
                    m.put("uptime_seconds", Json.longValue(n, "uptime", 0));
                }
            } else {
                warnings.add("Node " + name + " is " + status + ": its guests cannot be managed until it is back.");
            }
            int[] c = guests.getOrDefault(name, new int[2]);
            m.put("guests_running", c[0]);
            m.put("guests_total", c[1]);
            nodes.add(m);
        }
        nodes.sort(Comparator.comparing(m -> (String) m.get("node")));
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> m : nodes) {
            if (!"online".equals(m.get("status"))) {
                parts.add(m.get("node") + " " + m.get("status"));
                continue;
            }
            parts.add(m.get("node") + " online (CPU " + m.getOrDefault("cpu_percent", "?") + "%, RAM "
                    + m.getOrDefault("memory_percent", "?") + "% of " + (m.get("memory_total_bytes") instanceof Long t
                    ? Sizes.bytes(t) : "?") + (m.get("uptime_seconds") instanceof Long up ? ", up " + Sizes.duration(up)
                    : "") + ", " + m.get("guests_running") + " of " + m.get("guests_total") + " guests running)");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("nodes", nodes);
        out.put("warnings", warnings);
        return ToolResult.of(nodes.size() + " nodes: " + String.join("; ", parts) + ".", out);
    }
}
