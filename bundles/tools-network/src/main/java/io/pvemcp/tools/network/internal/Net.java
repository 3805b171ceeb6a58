package io.pvemcp.tools.network.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.tools.guest.Futures;
import io.pvemcp.tools.guest.GuestTool;

/**
 * What the network tools share: a node's configuration as Proxmox lists it (what it will be once the pending changes
 * are applied) with the pending diff, interfaces summarised for a model, and the guests that use a bridge.
 */
final class Net {

    /** {@code pve-iface}. */
    static final String IFACE = "^[a-zA-Z][a-zA-Z0-9_.-]{1,19}$";

    private Net() {
    }

    static JsonSchema node() {
        return GuestTool.nodeSchema("e.g. pve1");
    }

    static JsonSchema iface() {
        return JsonSchema.string().pattern(IFACE).description("e.g. vmbr1, bond1, vmbr0.50");
    }

    /**
     * A node's network configuration.
     *
     * @param node the node
     * @param interfaces by name, as they will be after the pending changes
     * @param changes the pending diff ({@code /etc/network/interfaces} to {@code .new}), or {@code null}
     */
    record Config(String node, Map<String, Map<String, Object>> interfaces, String changes) {

        Map<String, Object> require(String iface) {
            Map<String, Object> i = interfaces.get(iface);
            if (i == null) {
                throw ToolException.invalidArgument("iface", "node " + node + " has no interface " + iface
                        + "; it has " + String.join(", ", interfaces.keySet()));
            }
            return i;
        }
    }

    /**
     * @return the node's configuration
     * @throws ToolException naming the nodes, if there is no such node, or saying it is offline
     */
    static Config read(ProxmoxClient pve, String node) {
        List<String> names = new ArrayList<>();
        String status = null;
        for (Object o : Json.list(Futures.join(pve.get("/nodes", Map.of())))) {
            Map<String, Object> n = Json.map(o);
            names.add(Json.string(n, "node"));
            if (node.equals(Json.string(n, "node"))) {
                status = Json.string(n, "status");
            }
        }
        if (status == null) {
            names.sort(null);
            throw ToolException.invalidArgument("node", "there is no node " + node + "; the nodes are "
                    + String.join(", ", names));
        }
        if (!"online".equals(status)) {
            throw new ToolException("Node " + node + " is " + status + "; its network cannot be read or changed now.");
        }
        Map<String, Object> whole = Futures.join(pve.answer("GET", "/nodes/{node}/network", Map.of("node", node)));
        Map<String, Map<String, Object>> interfaces = new LinkedHashMap<>();
        for (Object o : Json.list(whole.get("data"))) {
            Map<String, Object> i = Json.map(o);
            interfaces.put(Json.string(i, "iface"), i);
        }
        Object changes = whole.get("changes");
        return new Config(node, interfaces, changes == null || changes.toString().isBlank() ? null
                : changes.toString());
    }

    /** @return an interface as a model needs it: name, type, state, addresses, ports, VLAN, comment */
    static Map<String, Object> describe(Map<String, Object> i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("iface", Json.string(i, "iface"));
        m.put("type", Json.string(i, "type"));
        m.put("active", Json.bool(i, "active", false));
        m.put("autostart", Json.bool(i, "autostart", false));
        for (String k : List.of("cidr", "gateway", "cidr6", "gateway6", "bridge_ports", "slaves", "bond_mode",
                "vlan-raw-device", "vlan-id", "mtu")) {
            Object v = i.get(k);
            if (v != null && !v.toString().isBlank() && !v.toString().equals("none")) {
                m.put(k.replace('-', '_'), v instanceof Number ? v : v.toString());
            }
        }
        if (i.get("bridge_vlan_aware") != null) {
            m.put("vlan_aware", Json.bool(i, "bridge_vlan_aware", false));
        }
        if (i.get("comments") != null && !i.get("comments").toString().isBlank()) {
            m.put("comment", i.get("comments").toString().strip());
        }
        return m;
    }

    /** @return one line for an interface, e.g. "vmbr0 bridge 10.0.0.11/24 gw 10.0.0.1, ports bond0" */
    static String line(Map<String, Object> d) {
        StringBuilder sb = new StringBuilder().append(d.get("iface")).append(' ').append(d.get("type"));
        if (d.get("cidr") != null) {
            sb.append(' ').append(d.get("cidr"));
        }
        if (d.get("gateway") != null) {
            sb.append(" gw ").append(d.get("gateway"));
        }
        if (d.get("bridge_ports") != null) {
            sb.append(", ports ").append(d.get("bridge_ports"));
        }
        if (d.get("slaves") != null) {
            sb.append(", slaves ").append(d.get("slaves")).append(d.get("bond_mode") == null ? ""
                    : " (" + d.get("bond_mode") + ")");
        }
        if (d.get("vlan_id") != null) {
            sb.append(", VLAN ").append(d.get("vlan_id"));
        }
        if (Boolean.TRUE.equals(d.get("vlan_aware"))) {
            sb.append(", VLAN-aware");
        }
        if (!Boolean.TRUE.equals(d.get("active"))) {
            sb.append(", not active");
        }
        if (d.get("comment") != null) {
            sb.append(" (").append(d.get("comment")).append(')');
        }
        return sb.toString();
    }

    /** @return the guests on the node whose NICs use the bridge, as "VM 100 (web01) net0" */
    static List<String> guestsOn(ProxmoxClient pve, String node, String bridge) {
        List<String> out = new ArrayList<>();
        for (Object o : Json.list(Futures.join(pve.get("/cluster/resources", Map.of("type", "vm"))))) {
            Map<String, Object> g = Json.map(o);
            if (!node.equals(g.get("node")) || Json.bool(g, "template", false)) {
                continue;
            }
            String type = Json.string(g, "type");
            long vmid = Json.longValue(g, "vmid", 0);
            Map<String, Object> config = Json.map(Futures.join(pve.get("/nodes/{node}/" + type + "/{vmid}/config",
                    Map.of("node", node, "vmid", vmid))));
            for (var e : config.entrySet()) {
                if (e.getKey().matches("net\\d+") && String.valueOf(e.getValue()).matches("(.*,)?bridge=" + bridge
                        + "(,.*)?")) {
                    out.add(("qemu".equals(type) ? "VM " : "CT ") + vmid + (g.get("name") == null ? "" : " ("
                            + g.get("name") + ")") + " " + e.getKey());
                }
            }
        }
        return out;
    }

    /** @return the address this server reaches Proxmox at, if it is one of this node's interfaces, with its name */
    static String ownLink(ProxmoxClient pve, Config config) {
        String host = pve.connection() == null ? null : pve.connection().host();
        if (host == null) {
            return null;
        }
        for (Map<String, Object> i : config.interfaces().values()) {
            Object cidr = i.get("cidr");
            Object address = i.get("address");
            if (host.equals(address) || cidr != null && cidr.toString().startsWith(host + "/")) {
                return host + " on " + i.get("iface");
            }
        }
        return null;
    }

    /** @return the interface as a preview's target, or the node when {@code iface} is {@code null} */
    static Preview.Target target(String node, String iface) {
        return new Preview.Target(iface == null ? "node" : "interface", null, iface == null ? node : iface, node, null,
                List.of(), null, null, false);
    }
}
