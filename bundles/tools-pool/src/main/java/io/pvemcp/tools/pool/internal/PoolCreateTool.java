package io.pvemcp.tools.pool.internal;

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

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_pool_create", title = "Create a pool", risk = Risk.CHANGE, category = "pool",
        scope = Scopes.ADMIN, idempotent = true,
        description = "Creates an empty resource pool; add guests and storage with proxmox_pool_members.")
public final class PoolCreateTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("poolid", Pools.poolId())
            .optional("comment", JsonSchema.string().maxLength(512))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("poolid", JsonSchema.string())
            .required("created", JsonSchema.bool())
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
        String id = call.arguments().string("poolid");
        List<String> ids = Pools.ids(call.proxmox());
        if (ids.contains(id)) {
            return new Preview("Nothing: pool " + id + " exists already.", List.of(), List.of(), null, true, false);
        }
        checkParent(ids, id);
        return new Preview("Create the empty pool " + id + ".", List.of(), List.of(new Preview.Request("POST",
                "/pools", params(call))), "Pool " + id + " exists, with no members.", true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        String id = call.arguments().string("poolid");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("poolid", id);
        List<String> ids = Pools.ids(call.proxmox());
        if (ids.contains(id)) {
            out.put("created", false);
            return ToolResult.of("Pool " + id + " exists already; nothing was changed.", out);
        }
        checkParent(ids, id);
        Futures.join(call.proxmox().post("/pools", params(call)));
        out.put("created", true);
        return ToolResult.of("Created pool " + id + ". Add guests and storage with proxmox_pool_members.", out);
    }

    private static void checkParent(List<String> ids, String id) {
        if (id.contains("/") && !ids.contains(id.substring(0, id.lastIndexOf('/')))) {
            throw ToolException.invalidArgument("poolid", "the parent pool " + id.substring(0, id.lastIndexOf('/'))
                    + " does not exist; create it first");
        }
    }

    private static Map<String, Object> params(ToolCall call) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("poolid", call.arguments().string("poolid"));
        call.arguments().optionalString("comment").ifPresent(c -> p.put("comment", c));
        return p;
    }
}
