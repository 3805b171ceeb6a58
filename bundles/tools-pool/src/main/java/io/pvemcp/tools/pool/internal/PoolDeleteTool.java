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

/** {@code proxmox_pool_delete}: deletes an empty pool; its guests and storage are never touched. */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_pool_delete", title = "Delete a pool", risk = Risk.DESTROY, category = "pool",
        scope = Scopes.ADMIN,
        description = "Deletes an empty resource pool (its guests and storage stay; remove them with "
                + "proxmox_pool_members first).")
public final class PoolDeleteTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("poolid", Pools.poolId())
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("poolid", JsonSchema.string())
            .required("deleted", JsonSchema.bool())
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
        Pools.Pool pool = emptyPool(call);
        return new Preview("Delete the empty pool " + pool.id() + (pool.comment() == null ? "" : " ("
                + pool.comment() + ")") + ".", List.of(pool.target()), List.of(new Preview.Request("DELETE", "/pools",
                Map.of("poolid", pool.id()))), "Pool " + pool.id() + " no longer exists; its permissions (ACLs on "
                + "/pool/" + pool.id() + ") no longer apply.", false, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Pools.Pool pool = emptyPool(call);
        Futures.join(call.proxmox().delete("/pools", Map.of("poolid", pool.id())));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("poolid", pool.id());
        out.put("deleted", true);
        return ToolResult.of("Deleted pool " + pool.id() + ".", out);
    }

    private static Pools.Pool emptyPool(ToolCall call) {
        Pools.Pool pool = Pools.read(call.proxmox(), call.arguments().string("poolid"));
        if (!pool.empty()) {
            throw new ToolException("Pool " + pool.id() + " is not empty: it has " + pool.guests().size()
                    + " guests (" + String.join(", ", pool.vmids().stream().map(String::valueOf).toList())
                    + ") and " + pool.storage().size() + " storages. Proxmox deletes empty pools only: remove them "
                    + "with proxmox_pool_members (the guests themselves stay), then delete the pool.");
        }
        return pool;
    }
}
