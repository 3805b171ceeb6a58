package io.pvemcp.registry.internal;

import java.util.List;
import java.util.Map;

import io.pvemcp.api.Caller;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;

/**
 * {@code proxmox_cluster_list}: the clusters the caller may reach, each with its health (asked in parallel, a few
 * seconds at most). Served by the registry, which knows the clusters and what a caller may reach; a caller bound to
 * some clusters learns nothing of the others.
 */
final class ClusterListTool implements Tool {

    static final String NAME = "proxmox_cluster_list";

    private static final Map<String, Object> INPUT = JsonSchema.object().build();
    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("clusters", JsonSchema.array(JsonSchema.object()
                    .required("name", JsonSchema.string())
                    .required("default", JsonSchema.bool())
                    .required("ok", JsonSchema.bool().description("It answered with the configured credentials"))
                    .optional("host", JsonSchema.string())
                    .optional("version", JsonSchema.string())
                    .optional("pveCluster", JsonSchema.anyOfTypes("string", "null"))
                    .optional("quorate", JsonSchema.bool())
                    .optional("nodes", JsonSchema.integer())
                    .optional("nodesOnline", JsonSchema.integer())
                    .optional("latencyMs", JsonSchema.integer())
                    .optional("error", JsonSchema.string())))
            .build();

    private final Clusters clusters;

    ClusterListTool(Clusters clusters) {
        this.clusters = clusters;
    }

    static java.util.Dictionary<String, Object> properties() {
        java.util.Hashtable<String, Object> p = Properties.readTool(NAME, "List clusters", "cluster", "Clusters you "
                + "can reach (other tools' cluster argument), default first, with health: version, quorum, nodes "
                + "online.");
        p.put(Tool.IDEMPOTENT, true);
        return p;
    }

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
        Caller caller = call.caller();
        List<String> names = clusters.reachable(caller);
        Clusters.Cluster def = clusters.defaultFor(caller);
        List<Clusters.Cluster> mine = clusters.all().stream().filter(c -> names.contains(c.name())).toList();
        List<Map<String, Object>> out = Clusters.health(mine, def, c -> new GuardedProxmoxClient(c.client(),
                caller.inCluster(c.name()), new java.util.concurrent.CopyOnWriteArrayList<>(), true));
        StringBuilder text = new StringBuilder(names.isEmpty() ? "You can reach no cluster." : "Clusters:");
        for (Map<String, Object> m : out) {
            text.append("\n- ").append(m.get("name")).append(Boolean.TRUE.equals(m.get("default")) ? " (default)" : "")
                    .append(": ").append(Boolean.TRUE.equals(m.get("ok")) ? "ok, Proxmox VE " + m.get("version")
                            + ", " + m.getOrDefault("nodesOnline", "?") + "/" + m.getOrDefault("nodes", "?")
                            + " nodes online" : "unreachable: " + m.get("error"));
        }
        return ToolResult.of(text.toString(), Map.of("clusters", out));
    }
}
