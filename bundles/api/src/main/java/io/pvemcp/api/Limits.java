package io.pvemcp.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a caller's credentials confine it to, beyond their scopes: some nodes, some VMID ranges, some
 * resource pools. Each dimension left empty allows everything; a caller with several dimensions must satisfy
 * all of them. The server enforces limits on every Proxmox request a tool makes on the caller's behalf, and
 * removes guests and nodes outside them from cluster-wide lists; tools need not check them themselves.
 * Immutable.
 *
 * @since 1.2
 */
public final class Limits {

    /** No limits. */
    public static final Limits NONE = new Limits(Set.of(), List.of(), Set.of(), null);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final long MIN_VMID = 100;
    private static final long MAX_VMID = 999_999_999L;

    private final Set<String> nodes;
    private final List<long[]> vmids;
    private final Set<String> pools;
    private final Set<Risk> confirm;

    private Limits(Set<String> nodes, List<long[]> vmids, Set<String> pools, Set<Risk> confirm) {
        this.nodes = Set.copyOf(nodes);
        this.vmids = List.copyOf(vmids);
        this.pools = Set.copyOf(pools);
        this.confirm = confirm == null ? null : java.util.Collections.unmodifiableSet(
                confirm.isEmpty() ? java.util.EnumSet.noneOf(Risk.class) : java.util.EnumSet.copyOf(confirm));
    }

    /**
     * @param risks the risk classes whose calls a human confirms when this token makes them, overriding the
     *        operator's default; empty for none (an automation token); {@code null} for the operator's default
     * @return these limits with that confirmation policy
     * @since 1.5
     */
    public Limits withConfirm(Set<Risk> risks) {
        Limits l = new Limits(nodes, vmids, pools, risks);
        return l.isNone() ? NONE : l;
    }

    /**
     * @return the risk classes whose calls a human confirms for this token (empty: none), or {@code null} when the
     *         operator's default applies
     * @since 1.5
     */
    public Set<Risk> confirm() {
        return confirm;
    }

    /**
     * Reads limits as an operator writes them.
     *
     * @param nodes node names, comma-separated, or {@code null}/blank for any node
     * @param vmids VMIDs and ranges such as {@code 100-199,250}, or {@code null}/blank for any VMID
     * @param pools pool names, comma-separated, or {@code null}/blank for any pool
     * @return the limits
     * @throws IllegalArgumentException with a message that says what to fix
     */
    public static Limits parse(String nodes, String vmids, String pools) {
        Set<String> n = names(nodes, "node");
        Set<String> p = names(pools, "pool");
        List<long[]> v = new ArrayList<>();
        if (vmids != null && !vmids.isBlank()) {
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
                v.add(new long[] {from, to});
            }
        }
        return n.isEmpty() && v.isEmpty() && p.isEmpty() ? NONE : new Limits(n, v, p, null);
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

    /**
     * Reads limits from their claim form ({@link #toClaim()}).
     *
     * @param claim the claim, or {@code null}
     * @return the limits
     * @throws IllegalArgumentException if the claim is malformed
     */
    public static Limits fromClaim(Map<String, ?> claim) {
        if (claim == null || claim.isEmpty()) {
            return NONE;
        }
        Limits l = parse(join(claim.get("nodes")), join(claim.get("vmids")), join(claim.get("pools")));
        Object c = claim.get("confirm");
        if (c == null) {
            return l;
        }
        Set<Risk> risks = new LinkedHashSet<>();
        for (String r : join(c).split(",")) {
            if (!r.isBlank()) {
                risks.add(Risk.of(r));
            }
        }
        return l.withConfirm(risks);
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

    /** @return the limits as JSON-shaped values: lists of strings under {@code nodes}, {@code vmids}, {@code pools} */
    public Map<String, Object> toClaim() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!nodes.isEmpty()) {
            out.put("nodes", List.copyOf(nodes));
        }
        if (!vmids.isEmpty()) {
            out.put("vmids", vmidStrings());
        }
        if (!pools.isEmpty()) {
            out.put("pools", List.copyOf(pools));
        }
        if (confirm != null) {
            out.put("confirm", confirm.stream().map(Risk::id).toList());
        }
        return out;
    }

    private List<String> vmidStrings() {
        List<String> out = new ArrayList<>();
        for (long[] r : vmids) {
            out.add(r[0] == r[1] ? Long.toString(r[0]) : r[0] + "-" + r[1]);
        }
        return out;
    }

    /** @return {@code true} if nothing is limited */
    public boolean isNone() {
        return nodes.isEmpty() && vmids.isEmpty() && pools.isEmpty() && confirm == null;
    }

    /** @return the allowed nodes; empty when any node is allowed */
    public Set<String> nodes() {
        return nodes;
    }

    /** @return the allowed pools; empty when any pool (and guests in no pool) are allowed */
    public Set<String> pools() {
        return pools;
    }

    /** @return {@code true} if VMIDs are limited */
    public boolean limitsVmids() {
        return !vmids.isEmpty();
    }

    /**
     * @param node a node name
     * @return whether the caller may act on that node
     */
    public boolean allowsNode(String node) {
        return nodes.isEmpty() || (node != null && nodes.contains(node));
    }

    /**
     * @param vmid a VMID
     * @return whether the caller may act on that guest, as far as its VMID goes
     */
    public boolean allowsVmid(long vmid) {
        if (vmids.isEmpty()) {
            return true;
        }
        for (long[] r : vmids) {
            if (vmid >= r[0] && vmid <= r[1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param pool the pool a guest belongs to, or {@code null} when it belongs to none
     * @return whether the caller may act on a guest in that pool
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
        if (!nodes.isEmpty()) {
            parts.add("nodes " + String.join(",", nodes));
        }
        if (!vmids.isEmpty()) {
            parts.add("VMIDs " + String.join(",", vmidStrings()));
        }
        if (!pools.isEmpty()) {
            parts.add("pools " + String.join(",", pools));
        }
        if (confirm != null) {
            parts.add("confirms " + (confirm.isEmpty() ? "nothing" : String.join(",",
                    confirm.stream().map(Risk::id).toList())));
        }
        return String.join("; ", parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Limits l && toClaim().equals(l.toClaim());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toClaim());
    }

    @Override
    public String toString() {
        return "Limits[" + describe() + "]";
    }
}
