package io.pvemcp.pve.sim.internal.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.pvemcp.pve.sim.internal.state.PveError;

/**
 * Firewall aliases and IP sets of the cluster and of guests, and the cluster's security groups with their rules, as
 * a node keeps them in its firewall files.
 */
final class FirewallObjectsHandlers {

    private FirewallObjectsHandlers() {
    }

    /** Aliases and IP sets under a firewall's base path. */
    static void register(Map<String, ApiHandler> h, String base, Function<ApiCall, String> scopeOf) {
        h.put("GET " + base + "/aliases", c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> a : c.state().firewall().aliases(scopeOf.apply(c)).values()) {
                out.add(withDigest(a));
            }
            return out;
        });
        h.put("POST " + base + "/aliases", c -> {
            Map<String, Map<String, Object>> aliases = c.state().firewall().aliases(scopeOf.apply(c));
            String name = c.param("name");
            if (aliases.keySet().stream().anyMatch(n -> n.equalsIgnoreCase(name))) {
                throw PveError.fail("alias '" + name + "' already exists");
            }
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", name);
            a.put("cidr", c.param("cidr"));
            a.put("ipversion", c.param("cidr").contains(":") ? 6 : 4);
            if (c.param("comment") != null) {
                a.put("comment", c.param("comment"));
            }
            aliases.put(name, a);
            return null;
        });
        h.put("GET " + base + "/aliases/{name}", c -> withDigest(alias(c, scopeOf)));
        h.put("PUT " + base + "/aliases/{name}", c -> {
            Map<String, Map<String, Object>> aliases = c.state().firewall().aliases(scopeOf.apply(c));
            Map<String, Object> a = alias(c, scopeOf);
            a.put("cidr", c.param("cidr"));
            a.put("ipversion", c.param("cidr").contains(":") ? 6 : 4);
            if (c.param("comment") != null) {
                a.put("comment", c.param("comment"));
            }
            String rename = c.param("rename");
            if (rename != null && !rename.equals(a.get("name"))) {
                if (aliases.containsKey(rename)) {
                    throw PveError.fail("alias '" + rename + "' already exists");
                }
                aliases.remove(String.valueOf(a.get("name")));
                a.put("name", rename);
                aliases.put(rename, a);
            }
            return null;
        });
        h.put("DELETE " + base + "/aliases/{name}", c -> {
            c.state().firewall().aliases(scopeOf.apply(c)).remove(String.valueOf(alias(c, scopeOf).get("name")));
            return null;
        });
        h.put("GET " + base + "/ipset", c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> s : c.state().firewall().ipsets(scopeOf.apply(c)).values()) {
                Map<String, Object> m = new LinkedHashMap<>(s);
                m.remove("entries");
                out.add(withDigest(m));
            }
            return out;
        });
        h.put("POST " + base + "/ipset", c -> {
            Map<String, Map<String, Object>> sets = c.state().firewall().ipsets(scopeOf.apply(c));
            String name = c.param("name");
            String rename = c.param("rename");
            if (rename != null) {
                // as pve-firewall: rename names the existing set and name its new name (the same to set the comment)
                Map<String, Object> s = ipset(c, scopeOf, rename);
                if (!rename.equals(name) && sets.containsKey(name)) {
                    throw PveError.fail("IPSet '" + name + "' already exists");
                }
                sets.remove(rename);
                s.put("name", name);
                if (c.param("comment") != null) {
                    s.put("comment", c.param("comment"));
                }
                sets.put(name, s);
                return null;
            }
            if (sets.containsKey(name)) {
                throw PveError.fail("IPSet '" + name + "' already exists");
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", name);
            if (c.param("comment") != null) {
                s.put("comment", c.param("comment"));
            }
            s.put("entries", new ArrayList<Map<String, Object>>());
            sets.put(name, s);
            return null;
        });
        h.put("GET " + base + "/ipset/{name}", c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> e : entries(ipset(c, scopeOf, c.param("name")))) {
                out.add(withDigest(e));
            }
            return out;
        });
        h.put("POST " + base + "/ipset/{name}", c -> {
            List<Map<String, Object>> entries = entries(ipset(c, scopeOf, c.param("name")));
            String cidr = c.param("cidr");
            if (entries.stream().anyMatch(e -> cidr.equals(e.get("cidr")))) {
                throw PveError.fail("entry '" + cidr + "' already exists");
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("cidr", cidr);
            if (c.flag("nomatch")) {
                e.put("nomatch", 1);
            }
            if (c.param("comment") != null) {
                e.put("comment", c.param("comment"));
            }
            entries.add(e);
            return null;
        });
        h.put("DELETE " + base + "/ipset/{name}", c -> {
            Map<String, Object> s = ipset(c, scopeOf, c.param("name"));
            if (!entries(s).isEmpty() && !c.flag("force")) {
                throw PveError.fail("IPSet '" + c.param("name") + "' is not empty");
            }
            c.state().firewall().ipsets(scopeOf.apply(c)).remove(c.param("name"));
            return null;
        });
        h.put("GET " + base + "/ipset/{name}/{cidr}", c -> withDigest(entry(c, scopeOf)));
        h.put("PUT " + base + "/ipset/{name}/{cidr}", c -> {
            Map<String, Object> e = entry(c, scopeOf);
            if (c.param("nomatch") != null) {
                e.put("nomatch", c.flag("nomatch") ? 1 : 0);
            }
            if (c.param("comment") != null) {
                e.put("comment", c.param("comment"));
            }
            return null;
        });
        h.put("DELETE " + base + "/ipset/{name}/{cidr}", c -> {
            Map<String, Object> e = entry(c, scopeOf);
            entries(ipset(c, scopeOf, c.param("name"))).remove(e);
            return null;
        });
    }

    /** The cluster's security groups: each a list of rules used by a rule of type {@code group}. */
    static void registerGroups(Map<String, ApiHandler> h) {
        h.put("GET /cluster/firewall/groups", c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> g : c.state().firewall().groups().values()) {
                out.add(withDigest(g));
            }
            return out;
        });
        h.put("POST /cluster/firewall/groups", c -> {
            Map<String, Map<String, Object>> groups = c.state().firewall().groups();
            String name = c.param("group");
            String rename = c.param("rename");
            if (rename != null) {
                // as pve-firewall: rename names the existing group and group its new name (the same to set the comment)
                Map<String, Object> g = group(c, rename);
                if (!rename.equals(name) && groups.containsKey(name)) {
                    throw PveError.fail("security group '" + name + "' already exists");
                }
                List<Map<String, Object>> rules = new ArrayList<>(c.state().firewall().rules("group/" + rename));
                c.state().firewall().rules("group/" + rename).clear();
                groups.remove(rename);
                g.put("group", name);
                if (c.param("comment") != null) {
                    g.put("comment", c.param("comment"));
                }
                groups.put(name, g);
                c.state().firewall().rules("group/" + name).addAll(rules);
                return null;
            }
            if (groups.containsKey(name)) {
                throw PveError.fail("security group '" + name + "' already exists");
            }
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("group", name);
            if (c.param("comment") != null) {
                g.put("comment", c.param("comment"));
            }
            groups.put(name, g);
            return null;
        });
        h.put("DELETE /cluster/firewall/groups/{group}", c -> {
            String name = c.param("group");
            group(c, name);
            if (!c.state().firewall().rules("group/" + name).isEmpty()) {
                throw PveError.fail("Security group '" + name + "' is not empty");
            }
            c.state().firewall().groups().remove(name);
            return null;
        });
        FirewallHandlers.rulesAt(h, "/cluster/firewall/groups/{group}", "", c -> {
            group(c, c.param("group"));
            return "group/" + c.param("group");
        }, "group");
    }

    private static Map<String, Object> group(ApiCall c, String name) {
        Map<String, Object> g = c.state().firewall().groups().get(name);
        if (g == null) {
            throw PveError.fail("no such security group '" + name + "'");
        }
        return g;
    }

    private static Map<String, Object> alias(ApiCall c, Function<ApiCall, String> scopeOf) {
        Map<String, Object> a = c.state().firewall().aliases(scopeOf.apply(c)).get(c.param("name"));
        if (a == null) {
            throw PveError.fail("no such alias '" + c.param("name") + "'");
        }
        return a;
    }

    private static Map<String, Object> ipset(ApiCall c, Function<ApiCall, String> scopeOf, String name) {
        Map<String, Object> s = c.state().firewall().ipsets(scopeOf.apply(c)).get(name);
        if (s == null) {
            throw PveError.fail("no such IPSet '" + name + "'");
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(Map<String, Object> set) {
        return (List<Map<String, Object>>) set.get("entries");
    }

    private static Map<String, Object> entry(ApiCall c, Function<ApiCall, String> scopeOf) {
        String cidr = c.param("cidr");
        for (Map<String, Object> e : entries(ipset(c, scopeOf, c.param("name")))) {
            if (cidr.equals(e.get("cidr"))) {
                return e;
            }
        }
        throw PveError.fail("no such IP/Network '" + cidr + "'");
    }

    private static Map<String, Object> withDigest(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.put("digest", Integer.toHexString(m.toString().hashCode()));
        return out;
    }
}
