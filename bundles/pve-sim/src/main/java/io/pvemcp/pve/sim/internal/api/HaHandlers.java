package io.pvemcp.pve.sim.internal.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pvemcp.pve.sim.internal.state.Ha;
import io.pvemcp.pve.sim.internal.state.PveError;
import io.pvemcp.pve.sim.internal.state.SimGuest;
import io.pvemcp.pve.sim.internal.state.SimNode;
import io.pvemcp.pve.sim.internal.state.SimState;

/** High availability: groups, resources and the manager's status ({@code /cluster/ha}). */
final class HaHandlers {

    private static final Set<String> RESOURCE_KEYS = Set.of("comment", "failback", "group", "max_relocate",
            "max_restart", "state");

    private HaHandlers() {
    }

    static void register(Map<String, ApiHandler> h) {
        h.put("GET /cluster/ha", c -> List.of(Map.of("id", "status"), Map.of("id", "resources"),
                Map.of("id", "groups"), Map.of("id", "rules")));
        h.put("GET /cluster/ha/groups", c -> new ArrayList<>(c.state().ha().groups().values()));
        h.put("GET /cluster/ha/groups/{group}", c -> group(c));
        h.put("POST /cluster/ha/groups", c -> {
            String id = c.param("group");
            if (c.state().ha().groups().containsKey(id)) {
                throw PveError.fail("create HA group failed: group '" + id + "' already defined");
            }
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("group", id);
            g.put("type", "group");
            g.put("nodes", checkNodes(c.state(), c.param("nodes")));
            g.put("restricted", c.flag("restricted") ? 1 : 0);
            g.put("nofailback", c.flag("nofailback") ? 1 : 0);
            if (c.param("comment") != null) {
                g.put("comment", c.param("comment"));
            }
            c.state().ha().groups().put(id, g);
            return null;
        });
        h.put("PUT /cluster/ha/groups/{group}", c -> {
            Map<String, Object> g = group(c);
            if (c.param("nodes") != null) {
                g.put("nodes", checkNodes(c.state(), c.param("nodes")));
            }
            for (String k : List.of("restricted", "nofailback")) {
                if (c.param(k) != null) {
                    g.put(k, c.flag(k) ? 1 : 0);
                }
            }
            if (c.param("comment") != null) {
                g.put("comment", c.param("comment"));
            }
            for (String d : c.list("delete")) {
                g.remove(d);
            }
            return null;
        });
        h.put("DELETE /cluster/ha/groups/{group}", c -> {
            Map<String, Object> g = group(c);
            for (Map<String, Object> r : c.state().ha().resources().values()) {
                if (g.get("group").equals(r.get("group"))) {
                    throw PveError.fail("ha group is used by service '" + r.get("sid") + "'");
                }
            }
            c.state().ha().groups().remove(String.valueOf(g.get("group")));
            return null;
        });
        h.put("GET /cluster/ha/rules", c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> r : c.state().ha().rules().values()) {
                if ((c.param("type") == null || c.param("type").equals(r.get("type"))) && (c.param("resource") == null
                        || List.of(String.valueOf(r.get("resources")).split(",")).contains(c.param("resource")))) {
                    out.add(ruleView(r));
                }
            }
            return out;
        });
        h.put("GET /cluster/ha/rules/{rule}", c -> ruleView(rule(c)));
        h.put("POST /cluster/ha/rules", c -> {
            String id = c.param("rule");
            if (c.state().ha().rules().containsKey(id)) {
                throw PveError.fail("create HA rule failed: rule '" + id + "' already defined");
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("rule", id);
            r.put("type", c.param("type"));
            setRule(c, r);
            c.state().ha().rules().put(id, r);
            return null;
        });
        h.put("PUT /cluster/ha/rules/{rule}", c -> {
            Map<String, Object> r = rule(c);
            if (!r.get("type").equals(c.param("type"))) {
                throw PveError.param("type", "rule type '" + c.param("type") + "' does not match the type of rule '"
                        + r.get("rule") + "' (" + r.get("type") + ")");
            }
            Map<String, Object> changed = new LinkedHashMap<>(r);
            for (String d : c.list("delete")) {
                changed.remove(d);
            }
            setRule(c, changed);
            r.clear();
            r.putAll(changed);
            return null;
        });
        h.put("DELETE /cluster/ha/rules/{rule}", c -> {
            c.state().ha().rules().remove(String.valueOf(rule(c).get("rule")));
            return null;
        });
        h.put("GET /cluster/ha/resources", c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> r : c.state().ha().resources().values()) {
                if (c.param("type") == null || c.param("type").equals(r.get("type"))) {
                    out.add(resourceView(r));
                }
            }
            return out;
        });
        h.put("GET /cluster/ha/resources/{sid}", c -> resourceView(resource(c)));
        h.put("POST /cluster/ha/resources", c -> {
            SimGuest g = guestOf(c.state(), c.param("sid"), c.param("type"));
            String sid = Ha.sid(g);
            if (c.state().ha().resources().containsKey(sid)) {
                throw PveError.fail("resource ID '" + sid + "' already defined");
            }
            if (c.param("group") != null && !c.state().ha().groups().containsKey(c.param("group"))) {
                throw PveError.fail("group '" + c.param("group") + "' does not exist");
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("sid", sid);
            r.put("type", g.type().equals("qemu") ? "vm" : "ct");
            r.put("state", "started");
            for (String k : RESOURCE_KEYS) {
                if (c.param(k) != null) {
                    r.put(k, k.equals("max_relocate") || k.equals("max_restart") || k.equals("failback")
                            ? (Object) Integer.parseInt(c.param(k)) : c.param(k));
                }
            }
            c.state().ha().resources().put(sid, r);
            if ("started".equals(r.get("state")) && !g.running()) {
                startLater(c, g);
            }
            return null;
        });
        h.put("PUT /cluster/ha/resources/{sid}", c -> {
            Map<String, Object> r = resource(c);
            if (c.param("group") != null && !c.state().ha().groups().containsKey(c.param("group"))) {
                throw PveError.fail("group '" + c.param("group") + "' does not exist");
            }
            for (String k : RESOURCE_KEYS) {
                if (c.param(k) != null) {
                    r.put(k, c.param(k));
                }
            }
            for (String d : c.list("delete")) {
                r.remove(d);
            }
            return null;
        });
        h.put("DELETE /cluster/ha/resources/{sid}", c -> {
            Map<String, Object> r = resource(c);
            String sid = String.valueOf(r.get("sid"));
            c.state().ha().resources().remove(sid);
            c.state().ha().rules().values().removeIf(rule -> {
                List<String> rest = new ArrayList<>(List.of(String.valueOf(rule.get("resources")).split(",")));
                rest.remove(sid);
                rule.put("resources", String.join(",", rest));
                return rest.isEmpty() || "resource-affinity".equals(rule.get("type")) && rest.size() < 2;
            });
            return null;
        });
        h.put("POST /cluster/ha/resources/{sid}/migrate", c -> {
            Map<String, Object> r = resource(c);
            SimGuest g = guestOf(c.state(), String.valueOf(r.get("sid")), null);
            SimNode target = c.state().node(c.param("node")).orElseThrow(
                    () -> PveError.fail("no such cluster node '" + c.param("node") + "'"));
            c.guests().migrate(g, target.name(), g.running(), g.running(), true, c.authid());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("sid", r.get("sid"));
            out.put("requested-node", target.name());
            out.put("comigrated-resources", List.of());
            return out;
        });
        h.put("GET /cluster/ha/status", c -> List.of(Map.of("name", "current"), Map.of("name", "manager_status")));
        h.put("GET /cluster/ha/status/current", HaHandlers::current);
        h.put("GET /cluster/ha/status/manager_status", c -> {
            Map<String, Object> services = new LinkedHashMap<>();
            for (Map<String, Object> r : c.state().ha().resources().values()) {
                SimGuest g = guestOf(c.state(), String.valueOf(r.get("sid")), null);
                services.put(String.valueOf(r.get("sid")), Map.of("node", g.node(), "state",
                        c.state().ha().stateOf(g), "uid", Integer.toHexString(g.vmid() * 2654435)));
            }
            Map<String, Object> ms = new LinkedHashMap<>();
            ms.put("master_node", master(c.state()));
            ms.put("node_status", nodeStatus(c.state()));
            ms.put("service_status", services);
            ms.put("timestamp", c.state().clock().seconds());
            return Map.of("manager_status", ms, "quorum", Map.of("node", c.state().localNode(),
                    "quorate", c.state().quorate() ? "1" : "0"));
        });
    }

    private static void startLater(ApiCall c, SimGuest g) {
        c.state().tasks().start(g.node(), "hastart", Integer.toString(g.vmid()), "root@pam", 3000, null, t -> {
            if (!g.running() && g.lock() == null) {
                c.guests().start(g, false, "root@pam");
            }
        }, null);
    }

    private static String checkNodes(SimState s, String nodes) {
        for (String part : nodes.split(",")) {
            String n = part.contains(":") ? part.substring(0, part.indexOf(':')) : part;
            if (s.node(n.trim()).isEmpty()) {
                throw PveError.param("nodes", "invalid format - node '" + n + "' does not exist");
            }
        }
        return nodes;
    }

    private static Map<String, Object> rule(ApiCall c) {
        Map<String, Object> r = c.state().ha().rules().get(c.param("rule"));
        if (r == null) {
            throw PveError.fail("no such ha rule '" + c.param("rule") + "'");
        }
        return r;
    }

    private static Map<String, Object> ruleView(Map<String, Object> r) {
        Map<String, Object> m = new LinkedHashMap<>(r);
        m.put("digest", Integer.toHexString(r.toString().hashCode()));
        return m;
    }

    /** Sets what the call gives and checks the rule as a whole, as a node does before it writes rules.cfg. */
    private static void setRule(ApiCall c, Map<String, Object> r) {
        for (String k : List.of("resources", "nodes", "affinity", "comment")) {
            if (c.param(k) != null) {
                r.put(k, k.equals("nodes") ? checkNodes(c.state(), c.param(k)) : c.param(k));
            }
        }
        for (String k : List.of("strict", "disable")) {
            if (c.param(k) != null) {
                r.put(k, c.flag(k) ? 1 : 0);
            }
        }
        List<String> resources = List.of(String.valueOf(r.getOrDefault("resources", "")).split(","));
        for (String sid : resources) {
            if (!c.state().ha().resources().containsKey(sid.trim())) {
                throw PveError.param("resources", "resource '" + sid.trim() + "' is not configured as HA resource");
            }
        }
        if ("node-affinity".equals(r.get("type")) && r.get("nodes") == null) {
            throw PveError.param("nodes", "property is missing and it is not optional");
        }
        if ("resource-affinity".equals(r.get("type"))) {
            if (r.get("affinity") == null) {
                throw PveError.param("affinity", "property is missing and it is not optional");
            }
            if (resources.size() < 2) {
                throw PveError.param("resources", "a resource affinity rule needs at least two resources");
            }
        }
    }

    private static Map<String, Object> group(ApiCall c) {
        Map<String, Object> g = c.state().ha().groups().get(c.param("group"));
        if (g == null) {
            throw PveError.fail("no such ha group '" + c.param("group") + "'");
        }
        return g;
    }

    private static Map<String, Object> resource(ApiCall c) {
        SimGuest g = guestOf(c.state(), c.param("sid"), null);
        Map<String, Object> r = c.state().ha().resources().get(Ha.sid(g));
        if (r == null) {
            throw PveError.fail("no such resource '" + Ha.sid(g) + "'");
        }
        return r;
    }

    private static Map<String, Object> resourceView(Map<String, Object> r) {
        Map<String, Object> m = new LinkedHashMap<>(r);
        m.putIfAbsent("state", "started");
        m.put("digest", Integer.toHexString(r.toString().hashCode()));
        return m;
    }

    /** Resolves {@code vm:100}, {@code ct:200} or a bare {@code 100} to the guest. */
    private static SimGuest guestOf(SimState s, String sid, String type) {
        String id = sid.contains(":") ? sid.substring(sid.indexOf(':') + 1) : sid;
        int vmid;
        try {
            vmid = Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw PveError.param("sid", "unable to parse service id '" + sid + "'");
        }
        SimGuest g = s.guest(vmid).orElseThrow(() -> PveError.fail("no such VM or CT '" + vmid + "'"));
        String kind = sid.contains(":") ? sid.substring(0, sid.indexOf(':')) : type;
        if (kind != null && !(kind.equals("vm") && g.type().equals("qemu") || kind.equals("ct") && g.type().equals("lxc"))) {
            throw PveError.fail("service '" + sid + "' is a " + (g.type().equals("qemu") ? "VM" : "container")
                    + ", not a " + kind);
        }
        return g;
    }

    private static String master(SimState s) {
        for (SimNode n : s.nodes()) {
            if (n.online()) {
                return n.name();
            }
        }
        return s.localNode();
    }

    private static Map<String, Object> nodeStatus(SimState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (SimNode n : s.nodes()) {
            m.put(n.name(), n.online() ? "online" : "unknown");
        }
        return m;
    }

    private static List<Map<String, Object>> current(ApiCall c) {
        SimState s = c.state();
        List<Map<String, Object>> out = new ArrayList<>();
        long now = s.clock().seconds();
        Map<String, Object> quorum = new LinkedHashMap<>();
        quorum.put("id", "quorum");
        quorum.put("type", "quorum");
        quorum.put("node", s.localNode());
        quorum.put("quorate", s.quorate() ? 1 : 0);
        quorum.put("status", s.quorate() ? "OK" : "No quorum on node '" + s.localNode() + "'!");
        out.add(quorum);
        String master = master(s);
        out.add(Map.of("id", "master", "type", "master", "node", master, "status",
                master + " (active, " + java.time.Instant.ofEpochSecond(now) + ")", "timestamp", now));
        for (SimNode n : s.nodes()) {
            boolean hasServices = false;
            for (Map<String, Object> r : s.ha().resources().values()) {
                hasServices |= guestOf(s, String.valueOf(r.get("sid")), null).node().equals(n.name());
            }
            String state = !n.online() ? "old timestamp - dead?" : hasServices ? "active" : "idle";
            out.add(Map.of("id", "lrm:" + n.name(), "type", "lrm", "node", n.name(), "status",
                    n.name() + " (" + state + ", " + java.time.Instant.ofEpochSecond(now) + ")", "timestamp", now));
        }
        for (Map<String, Object> r : s.ha().resources().values()) {
            String sid = String.valueOf(r.get("sid"));
            SimGuest g = guestOf(s, sid, null);
            String state = s.ha().stateOf(g);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", "service:" + sid);
            m.put("type", "service");
            m.put("sid", sid);
            m.put("node", g.node());
            m.put("state", state);
            m.put("crm_state", state);
            m.put("request_state", r.getOrDefault("state", "started"));
            m.put("status", sid + " (" + g.node() + ", " + state + ")");
            m.put("max_restart", r.getOrDefault("max_restart", 1));
            m.put("max_relocate", r.getOrDefault("max_relocate", 1));
            m.put("failback", r.getOrDefault("failback", 1));
            if (r.get("group") != null) {
                m.put("group", r.get("group"));
            }
            out.add(m);
        }
        return out;
    }
}
