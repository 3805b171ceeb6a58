package io.pvemcp.tools.metrics.internal;

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
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.tools.guest.Futures;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * {@code proxmox_cluster_top}: the running guests and online nodes that use the most CPU, memory, network or disk
 * I/O now. CPU and memory come from the cluster's resource list (one request); network and disk rates from each
 * guest's last minute in its time series, for at most {@value #MAX_SAMPLED} guests, the busiest CPUs first.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_cluster_top", title = "What uses most now", risk = Risk.READ, category = "metrics",
        idempotent = true,
        description = "The running guests and nodes using the most CPU, memory, network or disk I/O now, busiest "
                + "first.")
public final class ClusterTopTool implements Tool {

    static final int MAX_SAMPLED = 100;

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("by", JsonSchema.string().enumValues("cpu", "memory", "network", "disk_io").defaultValue("cpu"))
            .optional("limit", JsonSchema.integer().minimum(1).maximum(50).defaultValue(5))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("by", JsonSchema.string())
            .required("guests", JsonSchema.array(JsonSchema.object().additionalProperties(true)))
            .required("nodes", JsonSchema.array(JsonSchema.object().additionalProperties(true)))
            .required("running_guests", JsonSchema.integer())
            .optional("sampled_guests", JsonSchema.integer().description("Guests whose rates were read"))
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
    public ToolResult call(ToolCall call) {
        ProxmoxClient pve = call.proxmox();
        String by = call.arguments().string("by", "cpu");
        int limit = (int) call.arguments().integer("limit", 5);
        List<Map<String, Object>> guests = new ArrayList<>();
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (Object o : Json.list(Futures.join(pve.get("/cluster/resources", Map.of())))) {
            Map<String, Object> r = Json.map(o);
            String type = Json.string(r, "type");
            if (("qemu".equals(type) || "lxc".equals(type)) && "running".equals(Json.string(r, "status"))
                    && !Json.bool(r, "template", false)) {
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("vmid", Json.longValue(r, "vmid", 0));
                g.put("name", Json.string(r, "name"));
                g.put("type", type);
                g.put("node", Json.string(r, "node"));
                usage(r, g);
                guests.add(g);
            } else if ("node".equals(type) && "online".equals(Json.string(r, "status"))) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("node", Json.string(r, "node"));
                usage(r, n);
                nodes.add(n);
            }
        }
        int running = guests.size();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("by", by);
        String key;
        switch (by) {
            case "memory" -> key = "memory_bytes";
            case "network", "disk_io" -> {
                guests.sort(Comparator.comparingDouble((Map<String, Object> g) -> num(g, "cores_used")).reversed());
                List<Map<String, Object>> sampled = new ArrayList<>(guests.subList(0, Math.min(MAX_SAMPLED,
                        guests.size())));
                for (Map<String, Object> g : sampled) {
                    rates(pve, "/nodes/{node}/" + g.get("type") + "/{vmid}/rrddata", Map.of("node", g.get("node"),
                            "vmid", g.get("vmid")), g);
                }
                if ("network".equals(by)) {
                    for (Map<String, Object> n : nodes) {
                        rates(pve, "/nodes/{node}/rrddata", Map.of("node", n.get("node")), n);
                    }
                } else {
                    nodes.clear(); // a node's series have no disk I/O
                }
                guests = sampled;
                out.put("sampled_guests", sampled.size());
                key = "network".equals(by) ? "net_bytes_per_s" : "disk_io_bytes_per_s";
            }
            default -> key = "cores_used";
        }
        String nodeKey = "memory".equals(by) ? "memory_percent" : "cpu".equals(by) ? "cpu_percent" : key;
        guests.sort(Comparator.comparingDouble((Map<String, Object> g) -> num(g, key)).reversed());
        nodes.sort(Comparator.comparingDouble((Map<String, Object> n) -> num(n, nodeKey)).reversed());
        List<Map<String, Object>> topGuests = guests.subList(0, Math.min(limit, guests.size()));
        out.put("guests", topGuests);
        out.put("nodes", nodes.subList(0, Math.min(limit, nodes.size())));
        out.put("running_guests", running);
        StringBuilder text = new StringBuilder("Top ").append(topGuests.size()).append(" of ").append(running)
                .append(" running guests by ").append(by.replace('_', ' ')).append(':');
        for (Map<String, Object> g : topGuests) {
            text.append("\n- ").append(g.get("vmid")).append(' ').append(g.get("name")).append(" on ")
                    .append(g.get("node")).append(": ").append(describe(g, by));
        }
        if (!nodes.isEmpty()) {
            text.append("\nNodes:");
            for (Map<String, Object> n : nodes.subList(0, Math.min(limit, nodes.size()))) {
                text.append("\n- ").append(n.get("node")).append(": ").append(describe(n, by));
            }
        }
        if (out.containsKey("sampled_guests") && running > MAX_SAMPLED) {
            text.append("\nRates were read for the ").append(MAX_SAMPLED).append(" guests with the busiest CPUs.");
        }
        return ToolResult.of(text.toString(), out);
    }

    private static void usage(Map<String, Object> r, Map<String, Object> into) {
        double cpu = Json.doubleValue(r, "cpu", 0);
        double cores = Json.doubleValue(r, "maxcpu", 0);
        long mem = Json.longValue(r, "mem", 0);
        long maxmem = Json.longValue(r, "maxmem", 0);
        into.put("cpu_percent", Rrd.round(cpu * 100));
        into.put("cores_used", Rrd.round(cpu * cores));
        into.put("memory_bytes", mem);
        into.put("memory_percent", maxmem > 0 ? Rrd.round(mem * 100.0 / maxmem) : 0);
    }

    /** Adds the network and disk rates of the last complete point of an object's hourly series. */
    private static void rates(ProxmoxClient pve, String path, Map<String, Object> params, Map<String, Object> into) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        p.put("timeframe", "hour");
        p.put("cf", "AVERAGE");
        List<Object> points = Json.list(Futures.join(pve.get(path, p)));
        for (int i = points.size() - 1; i >= 0; i--) {
            Map<String, Object> point = Json.map(points.get(i));
            if (point.get("netin") instanceof Number) {
                double in = Json.doubleValue(point, "netin", 0);
                double out = Json.doubleValue(point, "netout", 0);
                double read = Json.doubleValue(point, "diskread", 0);
                double write = Json.doubleValue(point, "diskwrite", 0);
                into.put("net_bytes_per_s", Rrd.round(in + out));
                into.put("net_in_bytes_per_s", Rrd.round(in));
                into.put("net_out_bytes_per_s", Rrd.round(out));
                if (point.containsKey("diskread")) {
                    into.put("disk_io_bytes_per_s", Rrd.round(read + write));
                }
                return;
            }
        }
    }

    private static String describe(Map<String, Object> m, String by) {
        return switch (by) {
            case "memory" -> Rrd.bytes(num(m, "memory_bytes")) + " (" + m.get("memory_percent") + "%)";
            case "network" -> Rrd.bytes(num(m, "net_bytes_per_s")) + "/s (in " + Rrd.bytes(num(m,
                    "net_in_bytes_per_s")) + "/s, out " + Rrd.bytes(num(m, "net_out_bytes_per_s")) + "/s)";
            case "disk_io" -> Rrd.bytes(num(m, "disk_io_bytes_per_s")) + "/s";
            default -> m.get("cpu_percent") + "% CPU" + (m.containsKey("vmid") ? " (" + m.get("cores_used")
                    + " cores)" : "");
        };
    }

    private static double num(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : 0;
    }
}
