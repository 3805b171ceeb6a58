package io.pvemcp.registry.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.pvemcp.api.Caller;
import io.pvemcp.api.pve.ConnectionInfo;
import io.pvemcp.api.pve.ProxmoxClient;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Proxmox VE clusters this server reaches, from the {@link ProxmoxClient} services (property
 * {@value #NAME}), and which of them a caller may reach. The cluster of {@code io.pvemcp.pve.client} (property
 * {@value #PRIMARY}) is the default when it is configured; left unconfigured beside named clusters, it is not
 * offered at all. Otherwise the default is the named cluster marked {@value #DEFAULT}, or the first by name.
 */
final class Clusters {

    private static final Logger LOG = LoggerFactory.getLogger(Clusters.class);

    static final String NAME = "pvemcp.pve.cluster";
    static final String DEFAULT = "pvemcp.pve.default";
    static final String PRIMARY = "pvemcp.pve.primary";
    /** The argument every tool that talks to Proxmox takes when the server has more than one cluster. */
    static final String ARGUMENT = "cluster";

    /** A cluster as the registry offers it. */
    record Cluster(String name, ProxmoxClient client, boolean configured) {
    }

    /** The clusters in the order they are offered: the default first, then by name. */
    private record View(Map<String, Cluster> byName, String defaultName) {
        static final View NONE = new View(Map.of(), null);
    }

    private record Bound(ProxmoxClient client, String name, boolean primary, boolean preferred, boolean configured,
            long serviceId) {
    }

    private final Map<ProxmoxClient, Bound> bound = new LinkedHashMap<>();
    private volatile View view = View.NONE;

    /** @return clusters of one client, the default one (none if {@code null}) */
    static Clusters of(ProxmoxClient client) {
        Clusters c = new Clusters();
        if (client != null) {
            c.bind(client, Map.of());
        }
        return c;
    }

    /** @return whether the clusters' names or the default changed (and with them the tools' schemas) */
    synchronized boolean bind(ProxmoxClient client, Map<String, Object> properties) {
        Object name = properties.get(NAME);
        Object id = properties.get("service.id");
        bound.put(client, new Bound(client, name == null ? "default" : name.toString(),
                properties.get(NAME) == null || Boolean.TRUE.equals(properties.get(PRIMARY)),
                Boolean.TRUE.equals(properties.get(DEFAULT)),
                !Boolean.FALSE.equals(properties.get("pvemcp.pve.configured")),
                id instanceof Number n ? n.longValue() : Long.MAX_VALUE));
        return recompute();
    }

    /** @return whether the clusters' names or the default changed */
    synchronized boolean unbind(ProxmoxClient client) {
        return bound.remove(client) != null && recompute();
    }

    private boolean recompute() {
        View before = view;
        List<Bound> all = new ArrayList<>(bound.values());
        all.sort((a, b) -> Long.compare(a.serviceId(), b.serviceId()));
        boolean named = all.stream().anyMatch(b -> !b.primary());
        Map<String, Bound> byName = new TreeMap<>();
        for (Bound b : all) {
            if (b.primary() && !b.configured() && named) {
                continue;
            }
            Bound taken = byName.putIfAbsent(b.name(), b);
            if (taken != null) {
                LOG.error("Two Proxmox VE clusters are named '{}'; the second is ignored. Give each configuration its "
                        + "own name.", b.name());
            }
        }
        String def = byName.values().stream().filter(Bound::primary).map(Bound::name).findFirst()
                .orElseGet(() -> byName.values().stream().filter(Bound::preferred).map(Bound::name).findFirst()
                        .orElse(byName.isEmpty() ? null : byName.keySet().iterator().next()));
        Map<String, Cluster> ordered = new LinkedHashMap<>();
        if (def != null) {
            Bound d = byName.get(def);
            ordered.put(def, new Cluster(def, d.client(), d.configured()));
        }
        byName.forEach((n, b) -> ordered.putIfAbsent(n, new Cluster(n, b.client(), b.configured())));
        view = new View(Collections.unmodifiableMap(ordered), def);
        return !before.byName().keySet().equals(ordered.keySet()) || !java.util.Objects.equals(before.defaultName(),
                def);
    }

    /** @return the clusters, the default first */
    List<Cluster> all() {
        return List.copyOf(view.byName().values());
    }

    /** @return whether the server has more than one cluster (then tools take {@value #ARGUMENT}) */
    boolean several() {
        return view.byName().size() > 1;
    }

    /** @return the names of the clusters a caller may reach, the default first */
    List<String> reachable(Caller caller) {
        List<String> out = new ArrayList<>();
        for (String n : view.byName().keySet()) {
            if (caller.limits().allowsCluster(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** @return the cluster a caller's request that names none goes to, or {@code null} if it may reach none */
    Cluster defaultFor(Caller caller) {
        View v = view;
        if (v.defaultName() != null && caller.limits().allowsCluster(v.defaultName())) {
            return v.byName().get(v.defaultName());
        }
        for (Cluster c : v.byName().values()) {
            if (caller.limits().allowsCluster(c.name())) {
                return c;
            }
        }
        return null;
    }

    /** The cluster a request goes to, or why it cannot go anywhere. */
    record Choice(Cluster cluster, String problem, boolean denied) {
        Choice(Cluster cluster, String problem) {
            this(cluster, problem, false);
        }
    }

    /**
     * @param caller who asks
     * @param requested the {@value #ARGUMENT} argument, or {@code null}
     * @return the cluster, or the problem in words that name only clusters the caller may reach
     */
    Choice choose(Caller caller, Object requested) {
        View v = view;
        if (requested == null) {
            Cluster c = defaultFor(caller);
            if (c == null) {
                return new Choice(null, v.byName().isEmpty() ? null : "Your credentials reach none of the Proxmox VE "
                        + "clusters configured on this server. Ask the operator for a token of a cluster that exists.",
                        true);
            }
            return new Choice(c, null);
        }
        if (!(requested instanceof String name) || name.isBlank()) {
            return new Choice(null, ARGUMENT + " must be the name of a cluster" + known(caller));
        }
        Cluster c = v.byName().get(name.strip());
        if (c == null || !caller.limits().allowsCluster(c.name())) {
            return new Choice(null, "there is no cluster '" + McpHandlers.printable(name) + "' you can reach" + known(
                    caller));
        }
        return new Choice(c, null);
    }

    private String known(Caller caller) {
        List<String> names = reachable(caller);
        return names.isEmpty() ? "; your credentials reach none" : "; yours: " + String.join(", ", names)
                + " (proxmox_cluster_list shows them)";
    }

    /**
     * @param clusters the clusters to ask, in the order to report them
     * @param def the caller's default cluster, or {@code null}
     * @param through the client to ask each through
     * @return each one's health (see {@link #health(Cluster, boolean, ProxmoxClient)}), asked all at once
     */
    static List<Map<String, Object>> health(List<Cluster> clusters, Cluster def,
            java.util.function.Function<Cluster, ProxmoxClient> through) {
        List<CompletableFuture<Map<String, Object>>> asked = new ArrayList<>();
        for (Cluster c : clusters) {
            asked.add(health(c, def != null && def.name().equals(c.name()), through.apply(c)));
        }
        return asked.stream().map(CompletableFuture::join).toList();
    }

    /** How long a cluster's health check waits for its answers. */
    static final long HEALTH_TIMEOUT_MS = 5_000;

    /**
     * Asks a cluster how it is: {@code GET /version} and {@code GET /cluster/status} at once, 5 s at most.
     *
     * @param client the client to ask through (a caller's guarded one, or the cluster's own)
     * @return name, default, host, ok, and version, pveCluster, quorate, nodes, nodesOnline, latencyMs, or error
     */
    static CompletableFuture<Map<String, Object>> health(Cluster c, boolean isDefault, ProxmoxClient client) {
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("name", c.name());
        base.put("default", isDefault);
        ConnectionInfo info = c.client().connection();
        if (info != null && info.host() != null) {
            base.put("host", info.host());
        }
        if (info == null || !info.configured()) {
            base.put("ok", false);
            base.put("error", "not configured");
            return CompletableFuture.completedFuture(base);
        }
        long t0 = System.nanoTime();
        CompletableFuture<Object> version = client.get("/version", Map.of());
        CompletableFuture<Object> status = client.get("/cluster/status", Map.of());
        return version.thenCombine(status, (v, s) -> {
            Map<String, Object> m = new LinkedHashMap<>(base);
            m.put("ok", true);
            m.put("version", v instanceof Map<?, ?> vm ? String.valueOf(vm.get("version")) : "?");
            int nodes = 0;
            int online = 0;
            Object name = null;
            Object quorate = null;
            for (Object o : s instanceof List<?> l ? l : List.of()) {
                if (o instanceof Map<?, ?> e && "cluster".equals(e.get("type"))) {
                    name = e.get("name");
                    quorate = e.get("quorate");
                } else if (o instanceof Map<?, ?> e && "node".equals(e.get("type"))) {
                    nodes++;
                    online += e.get("online") instanceof Number n && n.intValue() == 1
                            || Boolean.TRUE.equals(e.get("online")) ? 1 : 0;
                }
            }
            m.put("pveCluster", name == null ? null : String.valueOf(name));
            m.put("quorate", quorate == null ? online > 0 : quorate instanceof Number n ? n.intValue() == 1
                    : Boolean.TRUE.equals(quorate));
            m.put("nodes", nodes);
            m.put("nodesOnline", online);
            m.put("latencyMs", (System.nanoTime() - t0) / 1_000_000);
            return m;
        }).orTimeout(HEALTH_TIMEOUT_MS, TimeUnit.MILLISECONDS).exceptionally(e -> {
            Throwable cause = ToolInvoker.unwrap(e);
            Map<String, Object> m = new LinkedHashMap<>(base);
            m.put("ok", false);
            m.put("error", cause instanceof java.util.concurrent.TimeoutException ? "no answer in "
                    + HEALTH_TIMEOUT_MS / 1000 + " s" : String.valueOf(cause.getMessage()));
            return m;
        });
    }
}
