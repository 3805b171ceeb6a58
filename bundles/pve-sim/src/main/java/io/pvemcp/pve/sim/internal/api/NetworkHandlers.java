package io.pvemcp.pve.sim.internal.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pvemcp.pve.sim.internal.state.PveError;
import io.pvemcp.pve.sim.internal.state.SimNode;

/**
 * A node's network configuration ({@code /nodes/{node}/network}): changes are staged as on a node (its
 * {@code /etc/network/interfaces.new}), listed with their diff as the answer's {@code changes}, applied by a
 * {@code srvreload} task or reverted; and the SDN zones and VNets of the cluster, read-only.
 */
final class NetworkHandlers {

    private static final Set<String> CONTROL = Set.of("node", "iface", "type", "delete", "digest");
    private static final List<String> PORT_KEYS = List.of("bridge_ports", "slaves");

    private NetworkHandlers() {
    }

    static void register(Map<String, ApiHandler> h) {
        h.put("GET /nodes/{node}/network", NetworkHandlers::list);
        h.put("GET /nodes/{node}/network/{iface}", c -> {
            Map<String, Object> iface = effective(CoreHandlers.node(c)).get(c.param("iface"));
            if (iface == null) {
                throw PveError.param("iface", "interface does not exist");
            }
            Map<String, Object> m = new LinkedHashMap<>(iface);
            m.put("method", m.getOrDefault("method", "manual"));
            return m;
        });
        h.put("POST /nodes/{node}/network", c -> {
            SimNode n = CoreHandlers.node(c);
            String name = c.param("iface");
            Map<String, Map<String, Object>> config = effective(n);
            if (config.containsKey(name)) {
                throw PveError.param("iface", "interface already exists");
            }
            Map<String, Object> iface = new LinkedHashMap<>();
            iface.put("iface", name);
            iface.put("type", c.param("type"));
            apply(c, iface);
            check(config, iface);
            n.pendingNetwork().put(name, iface);
            return null;
        });
        h.put("PUT /nodes/{node}/network/{iface}", c -> {
            SimNode n = CoreHandlers.node(c);
            Map<String, Map<String, Object>> config = effective(n);
            Map<String, Object> current = config.get(c.param("iface"));
            if (current == null) {
                throw PveError.param("iface", "interface does not exist");
            }
            if (!String.valueOf(current.get("type")).equals(c.param("type"))) {
                throw PveError.param("type", "interface type '" + c.param("type") + "' does not match the "
                        + "configured type '" + current.get("type") + "'");
            }
            Map<String, Object> iface = new LinkedHashMap<>(current);
            for (String d : c.list("delete")) {
                iface.remove(d);
                if (d.equals("cidr")) {
                    iface.remove("address");
                    iface.remove("netmask");
                }
            }
            apply(c, iface);
            check(config, iface);
            n.pendingNetwork().put(c.param("iface"), iface);
            return null;
        });
        h.put("DELETE /nodes/{node}/network/{iface}", c -> {
            SimNode n = CoreHandlers.node(c);
            Map<String, Map<String, Object>> config = effective(n);
            if (!config.containsKey(c.param("iface"))) {
                throw PveError.param("iface", "interface does not exist");
            }
            n.pendingNetwork().put(c.param("iface"), null);
            return null;
        });
        h.put("DELETE /nodes/{node}/network", c -> {
            CoreHandlers.node(c).pendingNetwork().clear();
            return null;
        });
        h.put("PUT /nodes/{node}/network", c -> {
            SimNode n = CoreHandlers.node(c);
            return c.state().tasks().start(n.name(), "srvreload", "networking", c.authid(), 1500, null, t -> {
                for (var e : n.pendingNetwork().entrySet()) {
                    if (e.getValue() == null) {
                        n.network().remove(e.getKey());
                    } else {
                        Map<String, Object> iface = new LinkedHashMap<>(e.getValue());
                        iface.put("active", 1);
                        iface.put("autostart", iface.getOrDefault("autostart", 1));
                        n.network().put(e.getKey(), iface);
                    }
                }
                n.pendingNetwork().clear();
                t.log("reloading network config on node '" + n.name() + "'");
            }, null).upid();
        });
        h.put("GET /cluster/sdn", c -> List.of(Map.of("id", "vnets"), Map.of("id", "zones"),
                Map.of("id", "controllers"), Map.of("id", "ipams"), Map.of("id", "dns")));
        h.put("GET /cluster/sdn/zones", c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> z : c.state().sdnZones()) {
                if (c.param("type") == null || c.param("type").equals(z.get("type"))) {
                    out.add(z);
                }
            }
            return out;
        });
        h.put("GET /cluster/sdn/vnets", c -> new ArrayList<>(c.state().sdnVnets()));
    }

    /** @return the configuration as it will be after the pending changes */
    static Map<String, Map<String, Object>> effective(SimNode n) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>(n.network());
        for (var e : n.pendingNetwork().entrySet()) {
            if (e.getValue() == null) {
                out.remove(e.getKey());
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static Object list(ApiCall c) {
        SimNode n = CoreHandlers.node(c);
        String type = c.param("type");
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Map<String, Object>> config = effective(n);
        for (Map<String, Object> iface : config.values()) {
            String t = String.valueOf(iface.get("type"));
            if (t.equals("loopback")) {
                continue;
            }
            if (type != null && !(type.equals(t) || type.equals("any_bridge") && (t.equals("bridge")
                    || t.equals("OVSBridge")) || type.equals("any_local_bridge") && t.equals("bridge"))) {
                continue;
            }
            out.add(iface);
        }
        List<String> before = render(n.network());
        List<String> after = render(config);
        return before.equals(after) ? out : new Answer(out, Map.of("changes", diff(before, after)));
    }

    private static void apply(ApiCall c, Map<String, Object> iface) {
        for (var e : c.strings(CONTROL.toArray(new String[0])).entrySet()) {
            String v = e.getValue();
            iface.put(e.getKey(), v.matches("\\d+") && !e.getKey().startsWith("bridge_") ? (Object) Long.parseLong(v)
                    : v);
        }
        if (c.param("cidr") != null) {
            String cidr = c.param("cidr");
            iface.put("address", cidr.substring(0, cidr.indexOf('/')));
            iface.put("netmask", cidr.substring(cidr.indexOf('/') + 1));
        }
        if (iface.get("address") != null && iface.get("cidr") == null && iface.get("netmask") != null) {
            iface.put("cidr", iface.get("address") + "/" + iface.get("netmask"));
        }
        iface.put("method", iface.get("address") != null ? "static" : "manual");
        iface.put("families", List.of("inet"));
    }

    /** What a node refuses: ports that do not exist or that another bridge or bond uses, a second gateway. */
    private static void check(Map<String, Map<String, Object>> config, Map<String, Object> iface) {
        String name = String.valueOf(iface.get("iface"));
        for (String key : PORT_KEYS) {
            for (String p : ports(iface.get(key))) {
                if (!config.containsKey(p) && !p.contains(".")) {
                    throw PveError.param(key, "interface '" + p + "' does not exist");
                }
                for (var other : config.entrySet()) {
                    if (!other.getKey().equals(name) && PORT_KEYS.stream().anyMatch(k -> ports(other.getValue().get(k))
                            .contains(p))) {
                        throw PveError.param(key, p + " is already used on interface '" + other.getKey() + "'");
                    }
                }
            }
        }
        if ("vlan".equals(iface.get("type"))) {
            Object raw = iface.get("vlan-raw-device");
            String device = raw != null ? raw.toString() : name.contains(".") ? name.substring(0, name.lastIndexOf('.'))
                    : null;
            if (device == null) {
                throw PveError.param("vlan-raw-device", "vlan-raw-device is required for VLAN interface '" + name
                        + "' (or name it <device>.<vlan-id>)");
            }
            if (!config.containsKey(device)) {
                throw PveError.param("vlan-raw-device", "interface '" + device + "' does not exist");
            }
            if (iface.get("vlan-id") == null && !name.matches(".*\\.\\d+")) {
                throw PveError.param("vlan-id", "vlan-id is required for VLAN interface '" + name + "'");
            }
        }
        if (iface.get("gateway") != null) {
            for (var other : config.entrySet()) {
                if (!other.getKey().equals(name) && other.getValue().get("gateway") != null) {
                    throw PveError.param("gateway", "Default gateway already exists on interface '" + other.getKey()
                            + "'.");
                }
            }
        }
    }

    private static List<String> ports(Object value) {
        if (value == null || value.toString().isBlank() || value.toString().equals("none")) {
            return List.of();
        }
        return Arrays.stream(value.toString().split("[\\s,;]+")).filter(s -> !s.isEmpty()).toList();
    }

    /** @return the configuration as the lines of {@code /etc/network/interfaces} */
    private static List<String> render(Map<String, Map<String, Object>> config) {
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> i : config.values()) {
            String name = String.valueOf(i.get("iface"));
            if (lines.size() > 0) {
                lines.add("");
            }
            if (Integer.valueOf(1).equals(number(i.get("autostart")))) {
                lines.add("auto " + name);
            }
            lines.add("iface " + name + " inet " + i.getOrDefault("method", "manual"));
            if (i.get("cidr") != null) {
                lines.add("\taddress " + i.get("cidr"));
            }
            if (i.get("gateway") != null) {
                lines.add("\tgateway " + i.get("gateway"));
            }
            for (String k : List.of("bridge_ports", "bridge_stp", "bridge_fd", "bridge_vlan_aware", "bridge_vids",
                    "slaves", "bond_mode", "bond_xmit_hash_policy", "vlan-raw-device", "vlan-id", "mtu")) {
                Object v = i.get(k);
                if (v == null) {
                    continue;
                }
                String key = k.replace('_', '-').replace("slaves", "bond-slaves");
                lines.add("\t" + key + " " + (k.equals("bridge_vlan_aware") ? (Integer.valueOf(1).equals(number(v))
                        ? "yes" : "no") : v));
            }
            if (i.get("comments") != null) {
                for (String c : i.get("comments").toString().split("\n")) {
                    lines.add("#" + c);
                }
            }
        }
        return lines;
    }

    private static Integer number(Object v) {
        return v == null ? null : Integer.valueOf(v.toString().equals("true") ? "1" : v.toString().equals("false")
                ? "0" : v.toString());
    }

    /** @return a unified diff of the two files, in one hunk */
    private static String diff(List<String> a, List<String> b) {
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        StringBuilder sb = new StringBuilder("--- /etc/network/interfaces\n+++ /etc/network/interfaces.new\n@@ -1,")
                .append(a.size()).append(" +1,").append(b.size()).append(" @@\n");
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                sb.append(' ').append(a.get(i++)).append('\n');
                j++;
            } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                sb.append('+').append(b.get(j++)).append('\n');
            } else {
                sb.append('-').append(a.get(i++)).append('\n');
            }
        }
        return sb.toString();
    }
}
