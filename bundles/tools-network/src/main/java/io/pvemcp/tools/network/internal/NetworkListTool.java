package io.pvemcp.tools.network.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * {@code proxmox_network_list}: a node's interfaces as they will be once the pending changes are applied, and those
 * changes as the diff Proxmox shows.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_network_list", title = "A node's network", risk = Risk.READ, category = "network",
        scope = Scopes.ADMIN, idempotent = true,
        description = "A node's interfaces (bridges, bonds, VLANs, NICs) with addresses and ports, and the changes "
                + "pending until applied.")
public final class NetworkListTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("node", Net.node())
            .optional("type", JsonSchema.string().enumValues("bridge", "bond", "eth", "vlan"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("node", JsonSchema.string())
            .required("interfaces", JsonSchema.array(JsonSchema.object().additionalProperties(true)))
            .required("pending", JsonSchema.bool())
            .optional("changes", JsonSchema.string())
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
    public ToolResult call(ToolCall call) {
        Net.Config config = Net.read(call.proxmox(), call.arguments().string("node"));
        String type = call.arguments().string("type", null);
        List<Map<String, Object>> interfaces = new ArrayList<>();
        StringBuilder text = new StringBuilder("Network of ").append(config.node()).append(':');
        for (Map<String, Object> i : config.interfaces().values()) {
            if (type != null && !type.equals(i.get("type"))) {
                continue;
            }
            Map<String, Object> d = Net.describe(i);
            interfaces.add(d);
            text.append("\n- ").append(Net.line(d));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", config.node());
        out.put("interfaces", interfaces);
        out.put("pending", config.changes() != null);
        if (config.changes() != null) {
            out.put("changes", config.changes());
            text.append("\nPending changes (apply with proxmox_network_apply, or revert):\n").append(config.changes());
        } else {
            text.append("\nNo changes pending.");
        }
        return ToolResult.of(text.toString(), out);
    }
}
