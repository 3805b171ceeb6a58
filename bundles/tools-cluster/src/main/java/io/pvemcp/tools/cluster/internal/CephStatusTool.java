package io.pvemcp.tools.cluster.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.tools.guest.Futures;
import io.pvemcp.tools.guest.Sizes;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * {@code proxmox_ceph_status}: Ceph's health with its checks, monitors in quorum, OSDs (the down ones named with
 * their host), pools and capacity; read-only. A cluster without Ceph is said to have none, which is no error.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_ceph_status", title = "Ceph health", risk = Risk.READ, category = "cluster",
        idempotent = true,
        description = "Ceph health and its warnings, monitors, OSDs up/in (down ones named), pools and capacity.")
public final class CephStatusTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object().build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("configured", JsonSchema.bool())
            .optional("health", JsonSchema.string())
            .optional("checks", JsonSchema.array(JsonSchema.string()))
            .optional("monitors", JsonSchema.object().additionalProperties(true))
            .optional("osds", JsonSchema.object().additionalProperties(true))
            .optional("pools", JsonSchema.array(JsonSchema.object().additionalProperties(true)))
            .optional("capacity", JsonSchema.object().additionalProperties(true))
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
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> status;
        try {
            status = Json.map(pve.get("/cluster/ceph/status", Map.of()).join());
        } catch (CompletionException e) {
            if (e.getCause() instanceof ProxmoxException p && p.getMessage().contains("not initialized")) {
                out.put("configured", false);
                return ToolResult.of("Ceph is not configured on this cluster.", out);
            }
            throw e;
        }
        out.put("configured", true);
        Map<String, Object> health = Json.map(status.getOrDefault("health", Map.of()));
        String state = health.get("status") == null ? "unknown" : Json.string(health, "status");
        out.put("health", state);
        List<String> checks = new ArrayList<>();
        Json.map(health.getOrDefault("checks", Map.of())).forEach((k, v) -> {
            Map<String, Object> c = Json.map(v);
            Object summary = Json.map(c.getOrDefault("summary", Map.of())).get("message");
            checks.add(k + ": " + (summary == null ? c.getOrDefault("severity", "") : summary));
        });
        out.put("checks", checks);
        List<Object> mons = Json.list(Json.map(status.getOrDefault("monmap", Map.of())).getOrDefault("mons",
                List.of()));
        List<Object> quorum = Json.list(status.getOrDefault("quorum_names", List.of()));
        out.put("monitors", Map.of("total", mons.size(), "in_quorum", quorum));
        String node = anyOnlineNode(pve);
        List<String> down = new ArrayList<>();
        int total = 0;
        if (node != null) {
            Map<String, Object> tree = Json.map(Futures.join(pve.get("/nodes/{node}/ceph/osd", Map.of("node", node))));
            for (Object h : Json.list(Json.map(tree.getOrDefault("root", Map.of())).getOrDefault("children",
                    List.of()))) {
                Map<String, Object> host = Json.map(h);
                for (Object o : Json.list(host.getOrDefault("children", List.of()))) {
                    Map<String, Object> osd = Json.map(o);
                    total++;
                    if (!"up".equals(osd.get("status"))) {
                        down.add(osd.get("name") + " on " + host.get("name"));
                    }
                }
            }
        }
        Map<String, Object> osdmap = Json.map(status.getOrDefault("osdmap", Map.of()));
        Map<String, Object> osds = new LinkedHashMap<>();
        osds.put("total", total > 0 ? total : Json.longValue(osdmap, "num_osds", 0));
        osds.put("up", Json.longValue(osdmap, "num_up_osds", 0));
        osds.put("in", Json.longValue(osdmap, "num_in_osds", 0));
        osds.put("down", down);
        out.put("osds", osds);
        List<Map<String, Object>> pools = new ArrayList<>();
        if (node != null) {
            for (Object o : Json.list(Futures.join(pve.get("/nodes/{node}/ceph/pool", Map.of("node", node))))) {
                Map<String, Object> p = Json.map(o);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", p.get("pool_name"));
                m.put("size", p.get("size"));
                m.put("min_size", p.get("min_size"));
                m.put("pgs", p.get("pg_num"));
                m.put("used_bytes", Json.longValue(p, "bytes_used", 0));
                m.put("used_percent", Math.round(Json.doubleValue(p, "percent_used", 0) * 1000) / 10.0);
                pools.add(m);
            }
        }
        out.put("pools", pools);
        Map<String, Object> pg = Json.map(status.getOrDefault("pgmap", Map.of()));
        long bytes = Json.longValue(pg, "bytes_total", 0);
        long used = Json.longValue(pg, "bytes_used", 0);
        out.put("capacity", Map.of("total_bytes", bytes, "used_bytes", used, "used_percent", bytes == 0 ? 0.0
                : Math.round(used * 1000.0 / bytes) / 10.0));
        StringBuilder text = new StringBuilder("Ceph: ").append(state);
        checks.forEach(c -> text.append("\n- ").append(c));
        text.append("\nMonitors: ").append(quorum.size()).append(" of ").append(mons.size()).append(" in quorum (")
                .append(String.join(", ", quorum.stream().map(String::valueOf).toList())).append(").\nOSDs: ")
                .append(osds.get("up")).append(" up, ").append(osds.get("in")).append(" in, of ").append(osds.get("total"))
                .append(down.isEmpty() ? "." : "; down: " + String.join(", ", down) + ".");
        text.append("\nCapacity: ").append(Sizes.bytes(used)).append(" used of ").append(Sizes.bytes(bytes));
        for (Map<String, Object> p : pools) {
            text.append("\n- pool ").append(p.get("name")).append(": size ").append(p.get("size")).append('/')
                    .append(p.get("min_size")).append(", ").append(p.get("pgs")).append(" PGs, ")
                    .append(Sizes.bytes((Long) p.get("used_bytes"))).append(" used (").append(p.get("used_percent"))
                    .append("%)");
        }
        return ToolResult.of(text.toString(), out);
    }

    private static String anyOnlineNode(ProxmoxClient pve) {
        for (Object o : Json.list(Futures.join(pve.get("/nodes", Map.of())))) {
            Map<String, Object> n = Json.map(o);
            if ("online".equals(n.get("status"))) {
                return Json.string(n, "node");
            }
        }
        return null;
    }
}
