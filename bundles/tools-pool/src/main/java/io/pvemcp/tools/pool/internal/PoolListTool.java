package io.pvemcp.tools.pool.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_pool_list", title = "List pools", risk = Risk.READ, category = "pool", idempotent = true,
        description = "Resource pools with their comment, guests (VMID, name, node, status) and storages; or one pool.")
public final class PoolListTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("poolid", Pools.poolId())
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("pools", JsonSchema.array(JsonSchema.object().additionalProperties(true)
                    .required("poolid", JsonSchema.string())
                    .required("guests", JsonSchema.array(JsonSchema.object().additionalProperties(true)))
                    .required("storage", JsonSchema.array(JsonSchema.string()))))
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
        String only = call.arguments().string("poolid", null);
        List<String> ids = only != null ? List.of(only) : Pools.ids(call.proxmox());
        List<Map<String, Object>> pools = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (String id : ids) {
            Pools.Pool p = Pools.read(call.proxmox(), id);
            pools.add(p.describe());
            List<String> guests = new ArrayList<>();
            for (Map<String, Object> g : p.guests()) {
                guests.add(g.get("vmid") + (g.get("name") == null ? "" : " " + g.get("name")));
            }
            text.append(text.length() == 0 ? "" : "\n").append("- ").append(id)
                    .append(p.comment() == null ? "" : " (" + p.comment() + ")").append(": ")
                    .append(guests.isEmpty() ? "no guests" : guests.size() + " guests: " + String.join(", ", guests))
                    .append(p.storage().isEmpty() ? "" : "; storage " + String.join(", ", p.storage()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pools", pools);
        return ToolResult.of(pools.isEmpty() ? "There are no pools." : pools.size() + (pools.size() == 1 ? " pool:\n"
                : " pools:\n") + text, out);
    }
}
