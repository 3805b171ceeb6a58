package io.pvemcp.registry.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.pvemcp.api.Caller;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
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
        java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();
        p.put(Tool.NAME, NAME);
        p.put(Tool.TITLE, "List clusters");
        p.put(Tool.CATEGORY, "cluster");
        p.put(Tool.SCOPE, Scopes.READ);
        p.put(Tool.RISK, Risk.READ.id());
        p.put(Tool.IDEMPOTENT, true);
        p.put(Tool.DESCRIPTION, "Clusters you can reach (other tools' cluster argument), default first, with "
                + "health: version, quorum, nodes online.");
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
        List<CompletableFuture<Map<String, Object>>> asked = new ArrayList<>();
        for (Clusters.Cluster c : clusters.all()) {
            if (names.contains(c.name())) {
                asked.add(Clusters.health(c, def != null && def.name().equals(c.name()),
                        new GuardedProxmoxClient(c.client(), caller.inCluster(c.name()),
                                new java.util.concurrent.CopyOnWriteArrayList<>(), true)));
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        StringBuilder text = new StringBuilder(names.isEmpty() ? "You can reach no cluster." : "Clusters:");
        for (CompletableFuture<Map<String, Object>> f : asked) {
            Map<String, Object> m = f.join();
            out.add(m);
            text.append("\n- ").append(m.get("name")).append(Boolean.TRUE.equals(m.get("default")) ? " (default)" : "")
                    .append(": ").append(Boolean.TRUE.equals(m.get("ok")) ? "ok, Proxmox VE " + m.get("version")
                            + ", " + m.getOrDefault("nodesOnline", "?") + "/" + m.getOrDefault("nodes", "?")
                            + " nodes online" : "unreachable: " + m.get("error"));
        }
        return ToolResult.of(text.toString(), Map.of("clusters", out));
    }
}
