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
     */
    record Scope(String base, Map<String, Object> params, String name, boolean host, GuestRef guest) {

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

    static Scope scope(ProxmoxClient pve, Arguments args) {
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
        for (Object o : Json.list(Futures.join(pve.uncached().get(scope.base() + "/rules", scope.params())))) {
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
