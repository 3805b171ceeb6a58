package io.pvemcp.tools.firewall.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.Guests;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.Futures;

/**
 * Where a firewall call acts (the cluster, a node's host firewall, or a guest's), its rules as Proxmox applies them,
 * and the check that keeps a rule from locking the management interface (the web interface and API on 8006, SSH on
 * 22) out.
 */
final class Firewall {

    /**
     * @param base the API path of this firewall, a template, e.g. {@code /nodes/{node}/qemu/{vmid}/firewall}
     * @param params the path's parameters
     * @param name how messages name it, e.g. {@code the firewall of VM 100 (web01)}
     * @param host whether it guards Proxmox hosts (the cluster's or a node's), where a rule can lock management out
     * @param guest the guest, for a guest's firewall
     * @param rules the API path of its rules, a template: {@code base/rules}, or the security group's own path
     */
    record Scope(String base, Map<String, Object> params, String name, boolean host, GuestRef guest, String rules) {

        Scope(String base, Map<String, Object> params, String name, boolean host, GuestRef guest) {
            this(base, params, name, host, guest, base + "/rules");
        }

        List<Preview.Target> targets(ProxmoxClient pve) {
            return guest == null ? List.of() : List.of(GuestTool.previewTarget(pve, guest, Map.of()));
        }
    }

    private Firewall() {
    }

    static JsonSchema vmid() {
        return JsonSchema.integer().minimum(100).maximum(999_999_999).description("A guest's firewall");
    }

    static JsonSchema node() {
        return GuestTool.nodeSchema("A node's host firewall (without vmid); neither: the cluster's");
    }

    static JsonSchema group() {
        return JsonSchema.string().pattern("^[A-Za-z][A-Za-z0-9_-]{1,17}$").description("A security group's rules");
    }

    /** @return the security groups, by name, with their comment (or an empty string) */
    static Map<String, String> groups(ProxmoxClient pve) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Object o : Json.list(Futures.join(pve.uncached().get("/cluster/firewall/groups", Map.of())))) {
            Map<String, Object> g = Json.map(o);
            out.put(Json.string(g, "group"), g.get("comment") == null ? "" : Json.string(g, "comment"));
        }
        return out;
    }

    /** @return a security group's rules as a scope (it has no options of its own) */
    static Scope groupScope(String group) {
        return new Scope("/cluster/firewall/groups/{group}", Map.of("group", group), "security group " + group, false,
                null, "/cluster/firewall/groups/{group}");
    }

    static Scope scope(ProxmoxClient pve, Arguments args) {
        String group = args.string("group", null);
        if (group != null) {
            if (args.has("vmid") || args.has("node")) {
                throw io.pvemcp.api.ToolException.invalidArgument("group", "a security group belongs to the cluster; "
                        + "give group alone, without vmid or node");
            }
            Map<String, String> groups = groups(pve);
            if (!groups.containsKey(group)) {
                throw io.pvemcp.api.ToolException.invalidArgument("group", "there is no security group " + group
                        + (groups.isEmpty() ? " (there are none; create one with proxmox_firewall_object_set)"
                        : "; the groups are " + String.join(", ", groups.keySet())));
            }
            return groupScope(group);
        }
        Long vmid = args.optionalInteger("vmid").orElse(null);
        String node = args.string("node", null);
        if (vmid != null) {
            GuestRef g = Futures.join(Guests.locate(pve, (int) (long) vmid, null, node));
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("node", g.node());
            p.put("vmid", g.vmid());
            return new Scope("/nodes/{node}/" + g.type() + "/{vmid}/firewall", p, "the firewall of " + g.kind() + " "
                    + g.vmid() + (g.name() == null ? "" : " (" + g.name() + ")"), false, g);
        }
        if (node != null) {
            return new Scope("/nodes/{node}/firewall", Map.of("node", node), "the host firewall of node " + node,
                    true, null);
        }
        return new Scope("/cluster/firewall", Map.of(), "the cluster firewall", true, null);
    }

    static List<Map<String, Object>> rules(ProxmoxClient pve, Scope scope) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : Json.list(Futures.join(pve.uncached().get(scope.rules(), scope.params())))) {
            Map<String, Object> r = new LinkedHashMap<>(Json.map(o));
            r.put("applies", describe(r));
            out.add(r);
        }
        return out;
    }

    static Map<String, Object> options(ProxmoxClient pve, Scope scope) {
        return Json.map(Futures.join(pve.uncached().get(scope.base() + "/options", scope.params())));
    }

    /** @return a rule as Proxmox applies it, e.g. {@code IN ACCEPT tcp dport 443 from any} */
    static String describe(Map<String, Object> r) {
        boolean on = r.get("enable") instanceof Number n ? n.intValue() == 1 : Boolean.TRUE.equals(r.get("enable"));
        if ("group".equals(r.get("type"))) {
            return "GROUP " + r.get("action") + (r.get("iface") == null ? "" : " on " + r.get("iface"))
                    + (on ? "" : " (disabled)");
        }
        StringBuilder sb = new StringBuilder(String.valueOf(r.getOrDefault("type", "in")).toUpperCase(
                java.util.Locale.ROOT)).append(' ').append(r.getOrDefault("action", "?"));
        for (String k : List.of("macro", "proto")) {
            if (r.get(k) != null) {
                sb.append(' ').append(r.get(k));
            }
        }
        for (String k : List.of("dport", "sport", "icmp-type")) {
            if (r.get(k) != null) {
                sb.append(' ').append(k).append(' ').append(r.get(k));
            }
        }
        sb.append(" from ").append(r.get("source") == null ? "any" : r.get("source"));
        if (r.get("dest") != null) {
            sb.append(" to ").append(r.get("dest"));
        }
        if (r.get("iface") != null) {
            sb.append(" on ").append(r.get("iface"));
        }
        if (r.get("log") != null && !"nolog".equals(r.get("log"))) {
            sb.append(", log ").append(r.get("log"));
        }
        if (!(r.get("enable") instanceof Number n && n.intValue() == 1 || Boolean.TRUE.equals(r.get("enable")))) {
            sb.append(" (disabled)");
        }
        return sb.toString();
    }

    /**
     * @param scope where the rule goes
     * @param rule the rule as it would be sent
     * @param apiPort the port this server reaches Proxmox on
     * @return why the rule would lock the management interface out, or {@code null}: an enabled incoming DROP or
     *         REJECT on a host firewall, from anywhere, for TCP (or any protocol) to the API port or SSH
     */
    static String lockout(Scope scope, Map<String, Object> rule, int apiPort) {
        boolean enabled = rule.get("enable") instanceof Number n ? n.intValue() == 1 : Boolean.TRUE.equals(
                rule.get("enable"));
        String action = String.valueOf(rule.get("action"));
        if (!scope.host() || !enabled || !"in".equals(rule.get("type"))
                || !("DROP".equals(action) || "REJECT".equals(action))) {
            return null;
        }
        Object source = rule.get("source");
        if (source != null && !"0.0.0.0/0".equals(source) && !"::/0".equals(source)) {
            return null;
        }
        Object proto = rule.get("proto");
        if (proto != null && !"tcp".equals(proto)) {
            return null;
        }
        Object macro = rule.get("macro");
        List<Integer> hit = new ArrayList<>();
        for (int port : new int[] {apiPort, 8006, 22}) {
            boolean covered = macro != null ? "SSH".equalsIgnoreCase(String.valueOf(macro)) && port == 22
                    : rule.get("dport") == null || covers(String.valueOf(rule.get("dport")), port);
            if (covered && !hit.contains(port)) {
                hit.add(port);
            }
        }
        if (hit.isEmpty()) {
            return null;
        }
        return "This rule (" + describe(rule) + ") on " + scope.name() + " would drop TCP port"
                + (hit.size() == 1 ? " " : "s ") + String.join(", ", hit.stream().map(String::valueOf).toList())
                + " from everywhere: the web interface and API (which this server uses) and SSH of the nodes would be "
                + "locked out, and only the console of the machines could undo it. Nothing was changed. Give the rule "
                + "a source that leaves your management network out, or other ports.";
    }

    /** @return the port this server reaches Proxmox on */
    static int apiPort(ProxmoxClient pve) {
        return pve.connection() == null || pve.connection().port() <= 0 ? 8006 : pve.connection().port();
    }

    /**
     * @return a warning when a rule lets the web interface and API or SSH in on a host firewall: taking it away (a
     *         delete, a change, disabling it) leaves those ports to the rules after it and the input policy
     */
    static String management(Scope scope, Map<String, Object> rule, int apiPort) {
        boolean enabled = rule.get("enable") instanceof Number n ? n.intValue() == 1 : Boolean.TRUE.equals(
                rule.get("enable"));
        if (!scope.host() || !enabled || !"in".equals(rule.get("type")) || !"ACCEPT".equals(rule.get("action"))) {
            return null;
        }
        Object macro = rule.get("macro");
        Object proto = rule.get("proto");
        if (proto != null && !"tcp".equals(proto)) {
            return null;
        }
        List<String> ports = new ArrayList<>();
        for (int port : new int[] {apiPort, 8006, 22}) {
            boolean covered = macro != null ? "SSH".equalsIgnoreCase(String.valueOf(macro)) && port == 22
                    : rule.get("dport") != null && covers(String.valueOf(rule.get("dport")), port);
            if (covered && !ports.contains(String.valueOf(port))) {
                ports.add(String.valueOf(port));
            }
        }
        if (ports.isEmpty()) {
            return null;
        }
        return "This rule lets " + (rule.get("source") == null ? "everyone" : rule.get("source")) + " reach TCP "
                + String.join(", ", ports) + " (the web interface and API, which this server uses, or SSH): without "
                + "it, only the cluster's local network and the rules after it decide, and with the firewall on and "
                + "a DROP input policy those addresses may be locked out.";
    }

    /** @return whether a dport specification (22, 8000:9000, 80,443, a service name) covers the port */
    static boolean covers(String spec, int port) {
        for (String part : spec.split(",")) {
            String p = part.strip();
            if (p.matches("\\d+")) {
                if (Integer.parseInt(p) == port) {
                    return true;
                }
            } else if (p.matches("\\d+:\\d+")) {
                String[] range = p.split(":");
                if (Integer.parseInt(range[0]) <= port && port <= Integer.parseInt(range[1])) {
                    return true;
                }
            } else if ("ssh".equalsIgnoreCase(p) && port == 22) {
                return true;
            }
        }
        return false;
    }
}
