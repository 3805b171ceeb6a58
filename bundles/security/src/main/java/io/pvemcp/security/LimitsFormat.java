package io.pvemcp.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.pvemcp.api.Limits;
import io.pvemcp.api.Risk;

/**
 * How {@link Limits} are written: as the operator types them ({@code token create --nodes pve1 --vmids 100-199
 * --pools dev --confirm none --toolsets vm,snapshot --clusters lab}) and as the claim a token carries ({@code {"nodes": [...],
 * "vmids": ["100-199"], "pools": [...], "confirm": [...], "toolsets": [...], "clusters": [...]}}). Both ways check what they read and say what to fix.
 *
 * @since 1.2
 */
public final class LimitsFormat {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final long MIN_VMID = 100;
    private static final long MAX_VMID = 999_999_999L;

    private LimitsFormat() {
    }

    /**
     * @param nodes node names, comma-separated, or {@code null}
     * @param vmids VMIDs and ranges, e.g. {@code 100-199,250}, or {@code null}
     * @param pools pool names, comma-separated, or {@code null}
     * @return the limits (with the operator's confirmation policy)
     * @throws IllegalArgumentException naming the value that is wrong and how to write it
     */
    public static Limits parse(String nodes, String vmids, String pools) {
        return Limits.of(names(nodes, "node"), ranges(vmids), names(pools, "pool"), null);
    }

    /**
     * @param list risk classes, comma-separated, or {@code none} (or empty) for none
     * @return the risk classes
     * @throws IllegalArgumentException naming the class that does not exist
     */
    public static Set<Risk> risks(String list) {
        Set<Risk> out = java.util.EnumSet.noneOf(Risk.class);
        if (list == null || list.isBlank() || list.strip().equalsIgnoreCase("none")) {
            return out;
        }
        for (String r : list.split(",")) {
            if (!r.isBlank()) {
                out.add(Risk.of(r));
            }
        }
        return out;
    }

    /**
     * @param list risk classes, comma-separated, or {@code none} (or empty) for none
     * @param option the option or property they were given in, for the message, e.g. {@code --confirm}
     * @return the risk classes
     * @throws IllegalArgumentException naming the option and the class that does not exist
     * @since 1.3
     */
    public static Set<Risk> risks(String list, String option) {
        try {
            return risks(list);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage() + ", or none");
        }
    }

    /**
     * @param list toolsets (tool categories such as {@code vm}, {@code backup}), comma-separated, or {@code null}
     * @return them; empty for all
     * @throws IllegalArgumentException naming a value that is no toolset name
     * @since 1.3
     */
    public static Set<String> toolsets(String list) {
        Set<String> out = new LinkedHashSet<>();
        if (list == null) {
            return out;
        }
        for (String t : list.split(",")) {
            String s = t.strip().toLowerCase(java.util.Locale.ROOT);
            if (s.isEmpty()) {
                continue;
            }
            if (!s.matches("[a-z][a-z0-9_-]{0,31}")) {
                throw new IllegalArgumentException("'" + t.strip() + "' is not a toolset name; toolsets are tool "
                        + "categories such as vm, ct, backup (proxmox-mcp tools list shows them)");
            }
            out.add(s);
        }
        return out;
    }

    /**
     * @param list cluster names as the server's configuration names them, comma-separated, or {@code null}
     * @return them; empty for all
     * @throws IllegalArgumentException naming a value that is no cluster name
     * @since 1.4
     */
    public static Set<String> clusters(String list) {
        return names(list, "cluster");
    }

    /**
     * @param scopes the scopes that apply in the cluster, comma- or space-separated, or {@code null} for all of the
     *        credentials' own
     * @param nodes nodes there, comma-separated, or {@code null}
     * @param vmids VMIDs and ranges there, or {@code null}
     * @param pools pools there, or {@code null}
     * @return what credentials may do in one cluster
     * @throws IllegalArgumentException naming the value that is wrong
     * @since 1.4
     */
    public static Limits.ClusterGrant grant(String scopes, String nodes, String vmids, String pools) {
        Set<String> s = new LinkedHashSet<>();
        if (scopes != null) {
            for (String part : scopes.split("[,\\s]+")) {
                if (part.isBlank()) {
                    continue;
                }
                if (!io.pvemcp.api.Scopes.isKnown(part)) {
                    throw new IllegalArgumentException("'" + part + "' is not a scope; scopes are "
                            + String.join(", ", io.pvemcp.api.Scopes.ALL));
                }
                s.add(part);
            }
        }
        return new Limits.ClusterGrant(s, names(nodes, "node"), ranges(vmids), names(pools, "pool"));
    }

    /**
     * @param claim the claim of a token, or {@code null}
     * @return the limits it carries
     * @throws IllegalArgumentException when it holds something that is no limit
     */
    public static Limits fromClaim(Map<String, ?> claim) {
        if (claim == null || claim.isEmpty()) {
            return Limits.NONE;
        }
        Limits l = parse(join(claim.get("nodes")), join(claim.get("vmids")), join(claim.get("pools")));
        Object c = claim.get("confirm");
        l = c == null ? l : l.withConfirm(risks(join(c)));
        Object t = claim.get("toolsets");
        l = t == null ? l : l.withToolsets(toolsets(join(t)));
        Object k = claim.get("clusters");
        if (k instanceof Map<?, ?> byName) {
            // {"lab": {}, "prod": {"scopes": [...], "nodes": [...], "vmids": [...], "pools": [...]}}
            Map<String, Limits.ClusterGrant> grants = new LinkedHashMap<>();
            for (var e : byName.entrySet()) {
                String name = String.valueOf(e.getKey());
                clusters(name);
                Map<?, ?> g = e.getValue() instanceof Map<?, ?> m ? m : Map.of();
                grants.put(name, grant(join(g.get("scopes")), join(g.get("nodes")), join(g.get("vmids")),
                        join(g.get("pools"))));
            }
            return l.withClusterGrants(grants);
        }
        return k == null ? l : l.withClusters(clusters(join(k)));
    }

    /**
     * @param limits limits
     * @return the claim a token carries for them; empty for {@link Limits#NONE}
     */
    public static Map<String, Object> toClaim(Limits limits) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!limits.nodes().isEmpty()) {
            out.put("nodes", List.copyOf(limits.nodes()));
        }
        if (limits.limitsVmids()) {
            out.put("vmids", limits.vmids().stream().map(Limits.VmidRange::toString).toList());
        }
        if (!limits.pools().isEmpty()) {
            out.put("pools", List.copyOf(limits.pools()));
        }
        if (limits.confirm() != null) {
            out.put("confirm", limits.confirm().stream().map(Risk::id).toList());
        }
        if (!limits.toolsets().isEmpty()) {
            out.put("toolsets", List.copyOf(limits.toolsets()));
        }
        if (limits.clusterGrants().values().stream().allMatch(Limits.ClusterGrant::isSame)) {
            if (!limits.clusters().isEmpty()) {
                out.put("clusters", List.copyOf(limits.clusters()));
            }
        } else {
            Map<String, Object> grants = new LinkedHashMap<>();
            limits.clusterGrants().forEach((n, g) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                if (!g.scopes().isEmpty()) {
                    m.put("scopes", List.copyOf(g.scopes()));
                }
                if (!g.nodes().isEmpty()) {
                    m.put("nodes", List.copyOf(g.nodes()));
                }
                if (!g.vmids().isEmpty()) {
                    m.put("vmids", g.vmids().stream().map(Limits.VmidRange::toString).toList());
                }
                if (!g.pools().isEmpty()) {
                    m.put("pools", List.copyOf(g.pools()));
                }
                grants.put(n, m);
            });
            out.put("clusters", grants);
        }
        return out;
    }

    private static List<Limits.VmidRange> ranges(String vmids) {
        List<Limits.VmidRange> v = new ArrayList<>();
        if (vmids == null || vmids.isBlank()) {
            return v;
        }
        for (String part : vmids.split(",")) {
            String s = part.strip();
            if (s.isEmpty()) {
                continue;
            }
            int dash = s.indexOf('-');
            long from = vmid(dash < 0 ? s : s.substring(0, dash).strip(), s);
            long to = dash < 0 ? from : vmid(s.substring(dash + 1).strip(), s);
            if (to < from) {
                throw new IllegalArgumentException("The VMID range '" + s + "' ends before it starts; write it as "
                        + "LOW-HIGH, e.g. 100-199");
            }
            v.add(new Limits.VmidRange(from, to));
        }
        return v;
    }

    private static Set<String> names(String list, String what) {
        Set<String> out = new LinkedHashSet<>();
        if (list == null) {
            return out;
        }
        for (String part : list.split(",")) {
            String s = part.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (!NAME.matcher(s).matches()) {
                throw new IllegalArgumentException("'" + s + "' is not a valid " + what + " name (letters, digits, "
                        + "'.', '_' and '-', up to 64 characters)");
            }
            out.add(s);
        }
        return out;
    }

    private static long vmid(String s, String range) {
        try {
            long v = Long.parseLong(s);
            if (v >= MIN_VMID && v <= MAX_VMID) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + range + "' is not a VMID or VMID range: VMIDs are whole numbers from "
                + MIN_VMID + " to " + MAX_VMID + ", ranges are written LOW-HIGH, e.g. 100-199");
    }

    private static String join(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            list.forEach(o -> parts.add(String.valueOf(o)));
            return String.join(",", parts);
        }
        return String.valueOf(value);
    }
}
