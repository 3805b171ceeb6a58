package io.pvemcp.tools.network.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * {@code proxmox_network_delete}: stages the deletion of a bridge, bond or VLAN. Refused for an interface guests
 * use, one that is a port of another, a physical NIC, and the one this server reaches Proxmox through.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_network_delete", title = "Delete an interface", risk = Risk.DESTROY,
        category = "network", scope = Scopes.ADMIN,
        description = "Stages the deletion of a bridge, bond or VLAN on a node (not one guests or this server "
                + "use); applied by proxmox_network_apply.")
public final class NetworkDeleteTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("node", Net.node())
            .required("iface", Net.iface())
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("node", JsonSchema.string())
            .required("iface", JsonSchema.string())
            .required("pending", JsonSchema.bool())
            .build();

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
        String line = check(call);
        String node = call.arguments().string("node");
        String iface = call.arguments().string("iface");
        return new Preview("Stage on " + node + ": delete " + line + ". It goes when the node's network is applied "
                + "(proxmox_network_apply).", List.of(Net.target(node, iface)), List.of(new Preview.Request("DELETE",
                "/nodes/" + node + "/network/" + iface, Map.of("node", node, "iface", iface))), null, true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        String line = check(call);
        String node = call.arguments().string("node");
        String iface = call.arguments().string("iface");
        Futures.join(call.proxmox().delete("/nodes/{node}/network/{iface}", Map.of("node", node, "iface", iface)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", node);
        out.put("iface", iface);
        out.put("pending", true);
        return ToolResult.of("Staged on " + node + ": delete " + line + ". Apply with proxmox_network_apply (or "
                + "revert).", out);
    }

    private static String check(ToolCall call) {
        String node = call.arguments().string("node");
        String iface = call.arguments().string("iface");
        Net.Config config = Net.read(call.proxmox(), node);
        Map<String, Object> i = config.require(iface);
        if ("eth".equals(i.get("type"))) {
            throw ToolException.invalidArgument("iface", iface + " is a physical NIC, which stays; change its "
                    + "settings with proxmox_network_set");
        }
        List<String> users = "bridge".equals(i.get("type")) ? Net.guestsOn(call.proxmox(), node, iface) : List.of();
        if (!users.isEmpty()) {
            throw new ToolException("Refused: guests on " + node + " use bridge " + iface + ": " + String.join(", ",
                    users) + ". Move their NICs to another bridge (proxmox_vm_config) first.");
        }
        for (Map<String, Object> other : config.interfaces().values()) {
            for (String k : List.of("bridge_ports", "slaves", "vlan-raw-device")) {
                Object v = other.get(k);
                if (v != null && List.of(v.toString().split("[\\s,;]+")).contains(iface)) {
                    throw new ToolException("Refused: " + iface + " on " + node + " is used by " + other.get("iface")
                            + " (" + k.replace('_', ' ') + "); change or delete " + other.get("iface") + " first.");
                }
            }
        }
        String own = Net.ownLink(call.proxmox(), config);
        if (own != null && own.endsWith(" on " + iface)) {
            throw new ToolException("Refused: this server reaches Proxmox at " + own + "; deleting it would cut the "
                    + "server off " + node + ". Do it from the node's console if you mean it.");
        }
        return Net.line(Net.describe(i));
    }
}
