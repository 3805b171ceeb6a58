package io.pvemcp.tools.cluster.internal;

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

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_cluster_status", title = "Cluster status", risk = Risk.READ, category = "cluster",
        idempotent = true,
        description = "Cluster name, quorum (without it changes are refused), nodes online, guest counts. Start here "
                + "to check health.")
public final class ClusterStatusTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object().build();

    private static final JsonSchema COUNTS = JsonSchema.object()
            .required("total", JsonSchema.integer()).required("running", JsonSchema.integer())
            .required("stopped", JsonSchema.integer()).required("unknown", JsonSchema.integer())
            .required("templates", JsonSchema.integer());

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("cluster_name", JsonSchema.anyOfTypes("string", "null")
                    .description("null for a single node that is not part of a cluster"))
            .required("quorate", JsonSchema.bool())
            .required("nodes_total", JsonSchema.integer())
            .required("nodes_online", JsonSchema.integer())
            .required("nodes", JsonSchema.array(JsonSchema.object()
                    .required("name", JsonSchema.string())
                    .required("online", JsonSchema.bool())
                    .optional("ip", JsonSchema.string())
                    .optional("local", JsonSchema.bool().description("the node the server talks to"))))
            .required("vms", COUNTS)
            .required("containers", COUNTS)
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
        var statusCall = call.proxmox().get("/cluster/status", Map.of());
        var resourcesCall = call.proxmox().get("/cluster/resources", Map.of("type", "vm"));
        String name = null;
        boolean quorate = true;
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (Object o : Json.list(statusCall.join())) {
            Map<String, Object> e = Json.map(o);
            if ("cluster".equals(e.get("type"))) {
                name = Json.string(e, "name");
                quorate = Json.bool(e, "quorate", false);
            } else if ("node".equals(e.get("type"))) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("name", Json.string(e, "name"));
                n.put("online", Json.bool(e, "online", false));
                if (e.get("ip") != null) {
                    n.put("ip", Json.string(e, "ip"));
                }
                n.put("local", Json.bool(e, "local", false));
                nodes.add(n);
            }
        }
        Map<String, Map<String, Object>> counts = Map.of("qemu", counts(), "lxc", counts());
        for (Object o : Json.list(resourcesCall.join())) {
            Map<String, Object> r = Json.map(o);
            Map<String, Object> c = counts.get(String.valueOf(r.get("type")));
            if (c == null) {
                continue;
            }
            if (Json.bool(r, "template", false)) {
                c.merge("templates", 1, (a, b) -> (Integer) a + (Integer) b);
                continue;
            }
            c.merge("total", 1, (a, b) -> (Integer) a + (Integer) b);
            String status = r.get("status") == null ? "unknown" : Json.string(r, "status");
            c.merge(status.equals("running") || status.equals("stopped") ? status : "unknown", 1,
                    (a, b) -> (Integer) a + (Integer) b);
        }
        long online = nodes.stream().filter(n -> (Boolean) n.get("online")).count();
        List<String> warnings = new ArrayList<>();
        if (!quorate) {
            warnings.add("The cluster has no quorum: Proxmox refuses to change guests and configuration until more "
                    + "nodes are online.");
        }
        for (Map<String, Object> n : nodes) {
            if (!(Boolean) n.get("online")) {
                warnings.add("Node " + n.get("name") + " is offline; its guests cannot be managed.");
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster_name", name);
        out.put("quorate", quorate);
        out.put("nodes_total", nodes.size());
        out.put("nodes_online", (int) online);
        out.put("nodes", nodes);
        out.put("vms", counts.get("qemu"));
        out.put("containers", counts.get("lxc"));
        out.put("warnings", warnings);
        StringBuilder text = new StringBuilder(name == null ? "Single node (no cluster)" : "Cluster '" + name + "'")
                .append(quorate ? " is quorate" : " has NO quorum").append(": ").append(online).append(" of ")
                .append(nodes.size()).append(" nodes online (");
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> n : nodes) {
            parts.add(n.get("name") + ((Boolean) n.get("online") ? "" : " offline"));
        }
        text.append(String.join(", ", parts)).append("). VMs: ").append(describe(counts.get("qemu")))
                .append(". Containers: ").append(describe(counts.get("lxc"))).append('.');
        if (!warnings.isEmpty()) {
            text.append(' ').append(String.join(" ", warnings));
        }
        return ToolResult.of(text.toString(), out);
    }

    private static Map<String, Object> counts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", 0);
        m.put("running", 0);
        m.put("stopped", 0);
        m.put("unknown", 0);
        m.put("templates", 0);
        return m;
    }

    private static String describe(Map<String, Object> c) {
        return c.get("total") + " (" + c.get("running") + " running, " + c.get("stopped") + " stopped"
                + ((Integer) c.get("unknown") > 0 ? ", " + c.get("unknown") + " unknown" : "") + ")"
                + ((Integer) c.get("templates") > 0 ? " plus " + c.get("templates") + ((Integer) c.get("templates") == 1
                ? " template" : " templates") : "");
    }
}
