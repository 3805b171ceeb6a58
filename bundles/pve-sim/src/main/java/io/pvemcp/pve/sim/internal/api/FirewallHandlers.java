package io.pvemcp.pve.sim.internal.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.pvemcp.pve.sim.internal.state.PveError;

/** Firewall rules and options of the cluster, of nodes and of guests. */
final class FirewallHandlers {

    private static final Set<String> RULE_KEYS = Set.of("type", "action", "macro", "source", "dest", "proto", "dport",
            "sport", "iface", "log", "icmp-type", "comment", "enable");
    private static final Set<String> MACROS = Set.of("Amanda", "Auth", "BGP", "BitTorrent", "BitTorrent32", "Ceph",
            "CVS", "Citrix", "DAAP", "DCC", "DHCPfwd", "DHCPv6", "DNS", "Distcc", "FTP", "Finger", "GNUnet", "GRE", "Git",
            "HKP", "HTTP", "HTTPS", "ICPV2", "ICQ", "IMAP", "IMAPS", "IPIP", "IPsec", "IPsecah", "IPsecnat", "IRC",
            "Jetdirect", "L2TP", "LDAP", "LDAPS", "MSNP", "MSSQL", "Mail", "MDNS", "Munin", "MySQL", "NNTP", "NNTPS",
            "NeighborDiscovery", "NTP", "OSPF", "OpenVPN", "PCA", "PMG", "POP3", "POP3S", "PPtP", "Ping", "PostgreSQL",
            "Printer", "RDP", "RIP", "RNDC", "Razor", "Rdate", "Rsync", "SANE", "SMB", "SMBswat", "SMTP", "SMTPS",
            "SNMP", "SPAMD", "SPICEproxy", "SSH", "SVN", "SixXS", "Squid", "Submission", "Syslog", "TFTP", "Telnet",
            "Telnets", "Time", "Trcrt", "VNC", "VNCL", "Web", "Webcache", "Webmin", "Whois");

    private FirewallHandlers() {
    }

    static void register(Map<String, ApiHandler> h) {
        scope(h, "/cluster/firewall", c -> "cluster", "cluster");
        scope(h, "/nodes/{node}/firewall", c -> "node/" + c.node(), "host");
        scope(h, "/nodes/{node}/qemu/{vmid}/firewall", c -> {
            GuestHandlers.guest(c, "qemu");
            return "vm/" + c.vmid();
        }, "vm");
        scope(h, "/nodes/{node}/lxc/{vmid}/firewall", c -> {
            GuestHandlers.guest(c, "lxc");
            return "ct/" + c.vmid();
        }, "ct");
        FirewallObjectsHandlers.registerGroups(h);
    }

    private static void scope(Map<String, ApiHandler> h, String base, Function<ApiCall, String> scopeOf, String env) {
        h.put("GET " + base, c -> {
            scopeOf.apply(c);
            List<Map<String, Object>> out = new ArrayList<>();
            for (String s : List.of("rules", "options")) {
                out.add(Map.of("name", s));
            }
            return out;
        });
        rulesAt(h, base, "/rules", scopeOf, env);
        if (!env.equals("host")) {
            FirewallObjectsHandlers.register(h, base, scopeOf);
        }
        h.put("GET " + base + "/options", c -> {
            String scope = scopeOf.apply(c);
            Map<String, Object> m = new LinkedHashMap<>(c.state().firewall().options(scope));
            m.put("digest", c.state().firewall().digest(scope));
            return m;
        });
        h.put("PUT " + base + "/options", c -> {
            String scope = scopeOf.apply(c);
            digest(c, scope);
            Map<String, Object> options = c.state().firewall().options(scope);
            for (var e : c.strings("node", "vmid", "digest", "delete").entrySet()) {
                options.put(e.getKey(), e.getValue().matches("\\d+") ? (Object) Long.parseLong(e.getValue())
                        : e.getValue());
            }
            for (String d : c.list("delete")) {
                options.remove(d);
            }
            return null;
        });
    }

    /**
     * The rules of one firewall (or security group) at {@code base + suffix}: list, add at a position, read, change or
     * move ({@code moveto}), delete.
     */
    static void rulesAt(Map<String, ApiHandler> h, String base, String suffix, Function<ApiCall, String> scopeOf,
            String env) {
        h.put("GET " + base + suffix, c -> rules(c, scopeOf.apply(c)));
        h.put("POST " + base + suffix, c -> {
            String scope = scopeOf.apply(c);
            List<Map<String, Object>> rules = c.state().firewall().rules(scope);
            digest(c, scope);
            Map<String, Object> rule = new LinkedHashMap<>();
            copy(c, rule);
            rule.putIfAbsent("enable", 0);
            verify(rule, env);
            checkGroup(c, rule);
            int pos = c.integer("pos") == null ? 0 : Math.min(c.integer("pos"), rules.size());
            rules.add(pos, rule);
            renumber(rules);
            return null;
        });
        h.put("GET " + base + suffix + "/{pos}", c -> {
            String scope = scopeOf.apply(c);
            Map<String, Object> rule = rule(c, scope);
            Map<String, Object> m = new LinkedHashMap<>(rule);
            m.put("ipversion", 4);
            return m;
        });
        h.put("PUT " + base + suffix + "/{pos}", c -> {
            String scope = scopeOf.apply(c);
            digest(c, scope);
            Map<String, Object> rule = rule(c, scope);
            List<Map<String, Object>> rules = c.state().firewall().rules(scope);
            if (c.integer("moveto") != null) {
                // as pve-firewall does: the rule goes before the one that was at moveto (so moving down lands at
                // moveto - 1), or last when moveto is past the end
                int moveto = Math.max(0, c.integer("moveto"));
                List<Map<String, Object>> moved = new ArrayList<>();
                boolean placed = false;
                for (int i = 0; i < rules.size(); i++) {
                    if (rules.get(i) == rule) {
                        continue;
                    }
                    if (i == moveto) {
                        moved.add(rule);
                        placed = true;
                    }
                    moved.add(rules.get(i));
                }
                if (!placed) {
                    moved.add(Math.min(moveto, moved.size()), rule);
                }
                rules.clear();
                rules.addAll(moved);
                renumber(rules);
                return null;
            }
            Map<String, Object> updated = new LinkedHashMap<>(rule);
            copy(c, updated);
            for (String d : c.list("delete")) {
                updated.remove(d);
            }
            verify(updated, env);
            checkGroup(c, updated);
            rule.clear();
            rule.putAll(updated);
            renumber(rules);
            return null;
        });
        h.put("DELETE " + base + suffix + "/{pos}", c -> {
            String scope = scopeOf.apply(c);
            digest(c, scope);
            Map<String, Object> rule = rule(c, scope);
            List<Map<String, Object>> rules = c.state().firewall().rules(scope);
            rules.remove(rule);
            renumber(rules);
            return null;
        });
    }

    /** A rule of type {@code group} names an existing security group as its action. */
    private static void checkGroup(ApiCall c, Map<String, Object> rule) {
        if ("group".equals(rule.get("type")) && !c.state().firewall().groups().containsKey(
                String.valueOf(rule.get("action")))) {
            throw PveError.param("action", "security group '" + rule.get("action") + "' does not exist");
        }
    }

    private static List<Map<String, Object>> rules(ApiCall c, String scope) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : c.state().firewall().rules(scope)) {
            Map<String, Object> m = new LinkedHashMap<>(r);
            m.put("ipversion", 4);
            out.add(m);
        }
        return out;
    }

    private static void digest(ApiCall c, String scope) {
        String digest = c.param("digest");
        if (digest != null && !digest.equals(c.state().firewall().digest(scope))) {
            throw PveError.fail("detected modified configuration - file changed by other user? Try again.");
        }
    }

    private static Map<String, Object> rule(ApiCall c, String scope) {
        List<Map<String, Object>> rules = c.state().firewall().rules(scope);
        Integer pos = c.integer("pos");
        if (pos == null || pos < 0 || pos >= rules.size()) {
            throw PveError.fail("no rule at position " + pos);
        }
        return rules.get(pos);
    }

    private static void copy(ApiCall c, Map<String, Object> rule) {
        for (String k : RULE_KEYS) {
            String v = c.param(k);
            if (v != null) {
                rule.put(k, k.equals("enable") ? (Object) Integer.parseInt(v) : v);
            }
        }
    }

    private static void verify(Map<String, Object> rule, String env) {
        Map<String, String> errors = new LinkedHashMap<>();
        String type = (String) rule.get("type");
        String action = (String) rule.get("action");
        if (type == null) {
            errors.put("type", "missing property");
        }
        if (action == null) {
            errors.put("action", "missing property");
        }
        if (type != null) {
            List<String> valid = switch (env) {
                case "vm", "ct", "cluster", "host" -> List.of("in", "out", "group", "forward");
                default -> List.of("in", "out");
            };
            if (!valid.contains(type)) {
                errors.put("type", "invalid rule type '" + type + "' for rule_env '" + env + "'");
            } else if (!type.equals("group") && action != null && !action.matches("ACCEPT|DROP|REJECT")) {
                errors.put("action", "unknown action '" + action + "'");
            } else if (type.equals("forward") && "REJECT".equals(action)) {
                errors.put("action", "cannot define REJECT rules on forward chain");
            }
        }
        Object macro = rule.get("macro");
        if (macro != null) {
            String found = null;
            for (String m : MACROS) {
                if (m.toLowerCase(Locale.ROOT).equals(String.valueOf(macro).toLowerCase(Locale.ROOT))) {
                    found = m;
                }
            }
            if (found == null) {
                errors.put("macro", "unknown macro '" + macro + "'");
            } else {
                rule.put("macro", found);
            }
        }
        Object iface = rule.get("iface");
        if (iface != null && (env.equals("vm") || env.equals("ct")) && !String.valueOf(iface).matches("net\\d+")) {
            errors.put("iface", "value does not match the regex pattern 'net\\d+'");
        }
        if (rule.get("dport") != null && rule.get("proto") == null && macro == null) {
            errors.put("proto", "missing property - 'dport' requires this property");
        }
        if (!errors.isEmpty()) {
            throw new ApiException(400, "Parameter verification failed.", errors);
        }
    }

    private static void renumber(List<Map<String, Object>> rules) {
        for (int i = 0; i < rules.size(); i++) {
            Map<String, Object> r = rules.get(i);
            Map<String, Object> copy = new LinkedHashMap<>();
            copy.put("pos", i);
            r.remove("pos");
            copy.putAll(r);
            r.clear();
            r.putAll(copy);
        }
    }
}
