package io.pvemcp.tools.network.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.Futures;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * {@code proxmox_network_set}: creates a bridge, bond or VLAN on a node, or changes an interface. Proxmox stages the
 * change; nothing happens on the node until {@code proxmox_network_apply}.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_network_set", title = "Create or change an interface", risk = Risk.CHANGE,
        category = "network", scope = Scopes.ADMIN, idempotent = true,
        description = "Creates a bridge, bond or VLAN on a node, or changes an interface; staged until "
                + "proxmox_network_apply.")
public final class NetworkSetTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("node", Net.node())
            .required("iface", Net.iface())
            .optional("type", JsonSchema.string().enumValues("bridge", "bond", "vlan").description("For a new one"))
            .optional("cidr", JsonSchema.string().pattern("^$|^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$")
                    .description("IPv4/prefix; empty removes"))
            .optional("gateway", JsonSchema.string().pattern("^$|^\\d{1,3}(\\.\\d{1,3}){3}$"))
            .optional("ports", JsonSchema.array(JsonSchema.string().pattern(Net.IFACE)).maxItems(16)
                    .description("Bridge ports or bond slaves"))
            .optional("bond_mode", JsonSchema.string().enumValues("balance-rr", "active-backup", "balance-xor",
                    "broadcast", "802.3ad", "balance-tlb", "balance-alb"))
            .optional("vlan_aware", JsonSchema.bool())
            .optional("vlan_id", JsonSchema.integer().minimum(1).maximum(4094))
            .optional("vlan_raw_device", JsonSchema.string().pattern(Net.IFACE))
            .optional("mtu", JsonSchema.integer().minimum(1280).maximum(65520))
            .optional("autostart", JsonSchema.bool())
            .optional("comment", JsonSchema.string().maxLength(1024))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("node", JsonSchema.string())
            .required("iface", JsonSchema.string())
            .required("created", JsonSchema.bool())
            .required("pending", JsonSchema.bool())
            .build();

    private record Plan(String node, String iface, boolean create, Map<String, Object> params, List<String> said) {

        String summary(boolean done) {
            if (params == null) {
                return "Nothing: " + iface + " on " + node + " is like that already.";
            }
            return (done ? "Staged on " : "Stage on ") + node + ": " + (create ? "create " + params.get("type") + " "
                    + iface : "change " + iface) + (said.isEmpty() ? "" : (create ? " with " : ": ")
                    + String.join(", ", said)) + ". The node's network does not change until proxmox_network_apply.";
        }
    }

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    @Override
    public Preview preview(ToolCall call) {
        Plan p = plan(call);
        return new Preview(p.summary(false), p.create() ? List.of() : List.of(Net.target(p.node(), p.iface())),
                p.params() == null ? List.of() : List.of(new Preview.Request(p.create() ? "POST" : "PUT", "/nodes/"
                + p.node() + "/network" + (p.create() ? "" : "/" + p.iface()), p.params())), "Pending on "
                + p.node() + " until applied or reverted.", true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        if (p.params() != null) {
            Futures.join(call.proxmox().request(p.create() ? "POST" : "PUT", p.create() ? "/nodes/{node}/network"
                    : "/nodes/{node}/network/{iface}", p.params()));
        }
        Net.Config after = Net.read(call.proxmox(), p.node());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", p.node());
        out.put("iface", p.iface());
        out.put("created", p.create() && p.params() != null);
        out.put("pending", after.changes() != null);
        Map<String, Object> now = after.interfaces().get(p.iface());
        return ToolResult.of(p.summary(true) + (now == null ? "" : "\nAs staged: " + Net.line(Net.describe(now))),
                out);
    }

    private static Plan plan(ToolCall call) {
        Arguments a = call.arguments();
        String node = a.string("node");
        String iface = a.string("iface");
        Net.Config config = Net.read(call.proxmox(), node);
        Map<String, Object> current = config.interfaces().get(iface);
        String type = current != null ? Json.string(current, "type") : a.string("type", null);
        if (current == null && type == null) {
            throw ToolException.invalidArgument("type", iface + " does not exist on " + node + "; say which type to "
                    + "create: bridge, bond or vlan");
        }
        if (current != null && a.has("type") && !a.string("type").equals(type)) {
            throw ToolException.invalidArgument("type", iface + " on " + node + " is a " + type + "; its type cannot "
                    + "change (delete it and create a " + a.string("type") + ")");
        }
        if (a.has("ports") && !type.equals("bridge") && !type.equals("bond")) {
            throw ToolException.invalidArgument("ports", "only a bridge has ports and only a bond has slaves; " + iface
                    + " is a " + type);
        }
        if (current == null && type.equals("bond") && !a.has("ports")) {
            throw ToolException.invalidArgument("ports", "a bond needs its slaves, e.g. [\"eno3\", \"eno4\"]");
        }
        if (current == null && type.equals("vlan") && !a.has("vlan_id") && !iface.matches(".*\\.\\d+")) {
            throw ToolException.invalidArgument("vlan_id", "a VLAN named " + iface + " needs vlan_id and "
                    + "vlan_raw_device (or name it <device>.<id>, e.g. vmbr0.50)");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        List<String> said = new ArrayList<>();
        List<String> delete = new ArrayList<>();
        set(a, "cidr", "cidr", current, params, delete, said);
        set(a, "gateway", "gateway", current, params, delete, said);
        if (a.has("ports")) {
            String key = type.equals("bridge") ? "bridge_ports" : "slaves";
            String v = String.join(" ", a.strings("ports"));
            if (current == null || !v.equals(String.valueOf(current.getOrDefault(key, "")).replace("none", ""))) {
                if (v.isEmpty() && current != null) {
                    delete.add(key);
                } else if (!v.isEmpty()) {
                    params.put(key, v);
                }
                said.add((type.equals("bridge") ? "ports " : "slaves ") + (v.isEmpty() ? "none" : v));
            }
        }
        set(a, "bond_mode", "bond_mode", current, params, delete, said);
        if (a.has("vlan_aware")) {
            boolean v = a.bool("vlan_aware", false);
            if (current == null || Json.bool(current, "bridge_vlan_aware", false) != v) {
                params.put("bridge_vlan_aware", v ? 1 : 0);
                said.add(v ? "VLAN-aware" : "not VLAN-aware");
            }
        }
        set(a, "vlan_id", "vlan-id", current, params, delete, said);
        set(a, "vlan_raw_device", "vlan-raw-device", current, params, delete, said);
        set(a, "mtu", "mtu", current, params, delete, said);
        if (a.has("autostart")) {
            boolean v = a.bool("autostart", true);
            if (current == null || Json.bool(current, "autostart", false) != v) {
                params.put("autostart", v ? 1 : 0);
                said.add(v ? "started at boot" : "not started at boot");
            }
        }
        set(a, "comment", "comments", current, params, delete, said);
        if (current != null && params.isEmpty() && delete.isEmpty()) {
            return new Plan(node, iface, false, null, List.of());
        }
        if (current == null && type.equals("bridge") && !params.containsKey("autostart")) {
            params.put("autostart", 1);
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("node", node);
        all.put("iface", iface);
        all.put("type", type);
        all.putAll(params);
        if (!delete.isEmpty()) {
            all.put("delete", String.join(",", delete));
        }
        return new Plan(node, iface, current == null, all, said);
    }

    private static void set(Arguments a, String arg, String key, Map<String, Object> current,
            Map<String, Object> params, List<String> delete, List<String> said) {
        if (!a.has(arg)) {
            return;
        }
        Object v = a.asMap().get(arg);
        Object was = current == null ? null : current.get(key);
        String text = String.valueOf(v);
        if (was != null && String.valueOf(was).strip().equals(text) || was == null && text.isEmpty()) {
            return;
        }
        if (text.isEmpty()) {
            delete.add(key);
            said.add("no " + arg.replace('_', ' '));
            return;
        }
        params.put(key, v);
        said.add(arg.replace('_', ' ') + " " + (was == null || current == null ? "" : String.valueOf(was).strip()
                + " → ") + text);
    }
}
