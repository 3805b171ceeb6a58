package io.pvemcp.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a caller's credentials confine it to, beyond their scopes: some nodes, some VMID ranges, some
 * resource pools, some toolsets; and which of its calls a person confirms. Each dimension left empty allows
 * everything; a caller with several dimensions must satisfy all of them. The server enforces limits on every Proxmox request a tool makes
 * on the caller's behalf, and removes guests and nodes outside them from cluster-wide lists; tools need not check
 * them themselves. An immutable value: how limits are written (in tokens, on the command line) is the security
 * bundle's business ({@code io.pvemcp.security.LimitsFormat}).
 *
 * @since 1.2
 */
public final class Limits {

    /** No limits. */
    public static final Limits NONE = new Limits(Set.of(), List.of(), Set.of(), null, Set.of(), Map.of());

    /**
     * What credentials may do in one cluster when it is less than elsewhere: only these of their scopes, and these
     * nodes, VMIDs and pools instead of their general limits. Empty parts narrow nothing.
     *
     * @param scopes the scopes that apply in the cluster (those of the credentials that are among them); empty: all
     *        of the credentials' scopes
     * @param nodes the allowed nodes there; empty: the credentials' general node limit
     * @param vmids the allowed VMID ranges there; empty: the general VMID limit
     * @param pools the allowed pools there; empty: the general pool limit
     * @since 2.4
     */
    public record ClusterGrant(Set<String> scopes, Set<String> nodes, List<VmidRange> vmids, Set<String> pools) {

        /** The credentials' own scopes and limits. */
        public static final ClusterGrant SAME = new ClusterGrant(Set.of(), Set.of(), List.of(), Set.of());

        public ClusterGrant {
            scopes = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(scopes));
            nodes = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(nodes));
            vmids = List.copyOf(vmids);
            pools = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(pools));
        }

        /** @return whether it narrows nothing */
        public boolean isSame() {
            return scopes.isEmpty() && nodes.isEmpty() && vmids.isEmpty() && pools.isEmpty();
        }

        /** @return it for people, e.g. {@code scopes proxmox:read, nodes pve1}, or {@code as elsewhere} */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (!scopes.isEmpty()) {
                parts.add("scopes " + String.join(" ", scopes));
            }
            describeTargets(parts, nodes, vmids, pools);
            return parts.isEmpty() ? "as elsewhere" : String.join(", ", parts);
        }
    }

    /**
     * A range of VMIDs, both ends included.
     *
     * @param from the lowest VMID
     * @param to the highest VMID, not below {@code from}
     * @since 2.0
     */
    public record VmidRange(long from, long to) {

        /** @throws IllegalArgumentException when the range ends before it starts */
        public VmidRange {
            if (to < from) {
                throw new IllegalArgumentException("The VMID range " + from + "-" + to + " ends before it starts");
            }
        }

        /** @return whether the range holds the VMID */
        public boolean contains(long vmid) {
            return vmid >= from && vmid <= to;
        }

        @Override
        public String toString() {
            return from == to ? Long.toString(from) : from + "-" + to;
        }
    }

    private final Set<String> nodes;
    private final List<VmidRange> vmids;
    private final Set<String> pools;
    private final Set<Risk> confirm;
    private final Set<String> toolsets;
    private final Map<String, ClusterGrant> clusters;

    private Limits(Set<String> nodes, List<VmidRange> vmids, Set<String> pools, Set<Risk> confirm,
            Set<String> toolsets, Map<String, ClusterGrant> clusters) {
        this.nodes = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(nodes));
        this.vmids = List.copyOf(vmids);
        this.pools = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(pools));
        this.confirm = confirm == null ? null : Collections.unmodifiableSet(
                confirm.isEmpty() ? EnumSet.noneOf(Risk.class) : EnumSet.copyOf(confirm));
        this.toolsets = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(toolsets));
        this.clusters = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(clusters));
    }

    /**
     * @param nodes the allowed nodes; empty for all
     * @param vmids the allowed VMID ranges; empty for all
     * @param pools the allowed pools; empty for all
     * @param confirm the risk classes a person confirms for these credentials (empty: none), or {@code null} for the
     *        operator's default
     * @return the limits
     * @since 2.0
     */
    public static Limits of(Set<String> nodes, List<VmidRange> vmids, Set<String> pools, Set<Risk> confirm) {
        Limits l = new Limits(Objects.requireNonNull(nodes, "nodes"), Objects.requireNonNull(vmids, "vmids"),
                Objects.requireNonNull(pools, "pools"), confirm, Set.of(), Map.of());
        return l.isNone() ? NONE : l;
    }

    /**
     * @param sets the toolsets (tool categories, e.g. {@code vm}, {@code backup}) these credentials may use; empty
     *        for all
     * @return these limits with that toolset restriction
     * @since 2.1
     */
    public Limits withToolsets(Set<String> sets) {
        Limits l = new Limits(nodes, vmids, pools, confirm, Objects.requireNonNull(sets, "sets"), clusters);
        return l.isNone() ? NONE : l;
    }

    /**
     * @param names the clusters (as the server's configuration names them) these credentials may reach; empty for
     *        all. The node, VMID and pool limits apply in each of them.
     * @return these limits with that cluster restriction
     * @since 2.4
     */
    public Limits withClusters(Set<String> names) {
        Map<String, ClusterGrant> grants = new java.util.LinkedHashMap<>();
        Objects.requireNonNull(names, "names").forEach(n -> grants.put(n, ClusterGrant.SAME));
        return withClusterGrants(grants);
    }

    /**
     * @param grants the clusters these credentials may reach, each with what they may do there; empty for all
     *        clusters with the same scopes and limits
     * @return these limits with that cluster restriction
     * @since 2.4
     */
    public Limits withClusterGrants(Map<String, ClusterGrant> grants) {
        Limits l = new Limits(nodes, vmids, pools, confirm, toolsets, Objects.requireNonNull(grants, "grants"));
        return l.isNone() ? NONE : l;
    }

    /**
     * @return the clusters these credentials may reach; empty for all
     * @since 2.4
     */
    public Set<String> clusters() {
        return clusters.keySet();
    }

    /**
     * @return the clusters these credentials may reach with what they may do in each; empty for all
     * @since 2.4
     */
    public Map<String, ClusterGrant> clusterGrants() {
        return clusters;
    }

    /**
     * @param cluster a cluster's name
     * @return the limits that apply in it: its grant's nodes, VMIDs and pools where the grant names them
     * @since 2.4
     */
    public Limits inCluster(String cluster) {
        ClusterGrant g = clusters.get(cluster);
        if (g == null || g.isSame()) {
            return this;
        }
        return new Limits(g.nodes().isEmpty() ? nodes : g.nodes(), g.vmids().isEmpty() ? vmids : g.vmids(),
                g.pools().isEmpty() ? pools : g.pools(), confirm, toolsets, clusters);
    }

    /**
     * @param cluster a cluster's name
     * @return whether these credentials may reach it
     * @since 2.4
     */
    public boolean allowsCluster(String cluster) {
        return clusters.isEmpty() || clusters.containsKey(cluster);
    }

    /**
     * @return the toolsets these credentials may use; empty for all
     * @since 2.1
     */
    public Set<String> toolsets() {
        return toolsets;
    }

    /**
     * @param toolset a toolset (a tool's category)
     * @return whether these credentials may use its tools
     * @since 2.1
     */
    public boolean allowsToolset(String toolset) {
        return toolsets.isEmpty() || toolsets.contains(toolset);
    }

    /**
     * @param risks the risk classes whose calls a human confirms when these credentials make them, overriding the
     *        operator's default; empty for none (an automation token); {@code null} for the operator's default
     * @return these limits with that confirmation policy
     * @since 1.5
     */
    public Limits withConfirm(Set<Risk> risks) {
        return of(nodes, vmids, pools, risks).withToolsets(toolsets).withClusterGrants(clusters);
    }

    /**
     * @return the risk classes whose calls a human confirms for these credentials (empty: none), or {@code null}
     *         when the operator's default applies
     * @since 1.5
     */
    public Set<Risk> confirm() {
        return confirm;
    }

    /** @return {@code true} if nothing is limited and the operator's confirmation policy applies */
    public boolean isNone() {
        return nodes.isEmpty() && vmids.isEmpty() && pools.isEmpty() && confirm == null && toolsets.isEmpty()
                && clusters.isEmpty();
    }

    /** @return the allowed nodes; empty for all */
    public Set<String> nodes() {
        return nodes;
    }

    /**
     * @return the allowed VMID ranges; empty for all
     * @since 2.0
     */
    public List<VmidRange> vmids() {
        return vmids;
    }

    /** @return the allowed pools; empty for all */
    public Set<String> pools() {
        return pools;
    }

    /** @return {@code true} if only some VMIDs are allowed */
    public boolean limitsVmids() {
        return !vmids.isEmpty();
    }

    /**
     * @param node a node name, or {@code null}
     * @return whether the node is allowed
     */
    public boolean allowsNode(String node) {
        return nodes.isEmpty() || (node != null && nodes.contains(node));
    }

    /**
     * @param vmid a VMID
     * @return whether the VMID is allowed
     */
    public boolean allowsVmid(long vmid) {
        return vmids.isEmpty() || vmids.stream().anyMatch(r -> r.contains(vmid));
    }

    /**
     * @param pool a pool, or {@code null} for a guest in no pool
     * @return whether the pool is allowed
     */
    public boolean allowsPool(String pool) {
        return pools.isEmpty() || (pool != null && pools.contains(pool));
    }

    /** @return the limits for people, e.g. {@code nodes pve1; VMIDs 100-199; pools dev}, or {@code none} */
    public String describe() {
        if (isNone()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        if (!clusters.isEmpty()) {
            List<String> each = new ArrayList<>();
            clusters.forEach((n, g) -> each.add(g.isSame() ? n : n + " (" + g.describe() + ")"));
            parts.add("clusters " + String.join(",", each));
        }
        describeTargets(parts, nodes, vmids, pools);
        if (!toolsets.isEmpty()) {
            parts.add("toolsets " + String.join(",", toolsets));
        }
        if (confirm != null) {
            parts.add("confirms " + (confirm.isEmpty() ? "nothing" : String.join(",",
                    confirm.stream().map(Risk::id).toList())));
        }
        return String.join("; ", parts);
    }

    private static void describeTargets(List<String> parts, Set<String> nodes, List<VmidRange> vmids,
            Set<String> pools) {
        if (!nodes.isEmpty()) {
            parts.add("nodes " + String.join(",", nodes));
        }
        if (!vmids.isEmpty()) {
            parts.add("VMIDs " + String.join(",", vmids.stream().map(VmidRange::toString).toList()));
        }
        if (!pools.isEmpty()) {
            parts.add("pools " + String.join(",", pools));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Limits l && nodes.equals(l.nodes) && vmids.equals(l.vmids) && pools.equals(l.pools)
                && Objects.equals(confirm, l.confirm) && toolsets.equals(l.toolsets) && clusters.equals(l.clusters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodes, vmids, pools, confirm, toolsets, clusters);
    }

    @Override
    public String toString() {
        return "Limits[" + describe() + "]";
    }
}
