package io.pvemcp.tools.pool.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.tools.guest.StorageScan;
import io.pvemcp.tools.guest.Futures;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/** {@code proxmox_pool_members}: adds guests and storage to a pool and removes them, in one call. */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_pool_members", title = "Change a pool's members", risk = Risk.CHANGE, category = "pool",
        scope = Scopes.ADMIN, idempotent = true,
        description = "Adds guests (by VMID) and storages to a pool, or removes them; move_from_other_pool moves "
                + "guests that are in another pool.")
public final class PoolMembersTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("poolid", Pools.poolId())
            .optional("add", JsonSchema.array(JsonSchema.integer().minimum(100).maximum(999_999_999)).maxItems(200))
            .optional("remove", JsonSchema.array(JsonSchema.integer().minimum(100).maximum(999_999_999))
                    .maxItems(200))
            .optional("add_storage", JsonSchema.array(StorageScan.storageSchema("A storage")).maxItems(50))
            .optional("remove_storage", JsonSchema.array(StorageScan.storageSchema("A storage")).maxItems(50))
            .optional("move_from_other_pool", JsonSchema.bool().defaultValue(false))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("poolid", JsonSchema.string())
            .required("guests", JsonSchema.array(JsonSchema.integer()))
            .required("storage", JsonSchema.array(JsonSchema.string()))
            .build();

    /** The requests of a call, worked out against the pool as it is. */
    private record Plan(Pools.Pool pool, List<Long> add, List<Long> remove, List<String> addStorage,
            List<String> removeStorage, List<Preview.Request> requests, String summary) {
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
        return new Preview(p.summary(), List.of(p.pool().target()), p.requests(), null, true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        for (Preview.Request r : p.requests()) {
            Futures.join(call.proxmox().put("/pools", r.params()));
        }
        Pools.Pool after = Pools.read(call.proxmox().uncached(), p.pool().id());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("poolid", after.id());
        out.put("guests", after.vmids());
        out.put("storage", after.storage());
        String done = p.requests().isEmpty() ? p.summary() : p.summary().replaceFirst("^Add", "Added")
                .replaceFirst("^Remove", "Removed").replace("; remove ", "; removed ");
        return ToolResult.of(done + " Pool " + after.id() + " now has " + count(after.guests().size(), "guest")
                + " and " + count(after.storage().size(), "storage") + ".", out);
    }

    private static Plan plan(ToolCall call) {
        ProxmoxClient pve = call.proxmox();
        String id = call.arguments().string("poolid");
        List<Long> add = longs(call.arguments().asMap().get("add"));
        List<Long> remove = longs(call.arguments().asMap().get("remove"));
        List<String> addStorage = call.arguments().has("add_storage") ? call.arguments().strings("add_storage")
                : List.of();
        List<String> removeStorage = call.arguments().has("remove_storage")
                ? call.arguments().strings("remove_storage") : List.of();
        if (add.isEmpty() && remove.isEmpty() && addStorage.isEmpty() && removeStorage.isEmpty()) {
            throw ToolException.invalidArgument("add", "name what to add or remove (add, remove, add_storage, "
                    + "remove_storage)");
        }
        Pools.Pool pool = Pools.read(pve, id);
        Map<Long, Map<String, Object>> guests = new LinkedHashMap<>();
        for (Object o : Json.list(Futures.join(pve.get("/cluster/resources", Map.of("type", "vm"))))) {
            Map<String, Object> r = Json.map(o);
            guests.put(Json.longValue(r, "vmid", 0), r);
        }
        List<Long> toAdd = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        boolean move = call.arguments().bool("move_from_other_pool", false);
        for (long vmid : add) {
            Map<String, Object> g = guests.get(vmid);
            if (g == null) {
                throw ToolException.invalidArgument("add", "no guest has VMID " + vmid);
            }
            String other = g.get("pool") == null ? null : Json.string(g, "pool");
            if (id.equals(other)) {
                continue;
            }
            if (other != null && !move) {
                throw ToolException.invalidArgument("add", "guest " + vmid + " is in pool " + other + "; a guest is "
                        + "in one pool at most: set move_from_other_pool to move it");
            }
            if (other != null) {
                moved.add(vmid + " from " + other);
            }
            toAdd.add(vmid);
        }
        List<Long> toRemove = remove.stream().filter(pool.vmids()::contains).toList();
        List<String> storageAdd = addStorage.stream().filter(s -> !pool.storage().contains(s)).toList();
        List<String> storageRemove = removeStorage.stream().filter(pool.storage()::contains).toList();
        List<Preview.Request> requests = new ArrayList<>();
        if (!toAdd.isEmpty() || !storageAdd.isEmpty()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("poolid", id);
            if (!toAdd.isEmpty()) {
                p.put("vms", join(toAdd));
            }
            if (!storageAdd.isEmpty()) {
                p.put("storage", String.join(",", storageAdd));
            }
            if (!moved.isEmpty()) {
                p.put("allow-move", 1);
            }
            requests.add(new Preview.Request("PUT", "/pools", p));
        }
        if (!toRemove.isEmpty() || !storageRemove.isEmpty()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("poolid", id);
            if (!toRemove.isEmpty()) {
                p.put("vms", join(toRemove));
            }
            if (!storageRemove.isEmpty()) {
                p.put("storage", String.join(",", storageRemove));
            }
            p.put("delete", 1);
            requests.add(new Preview.Request("PUT", "/pools", p));
        }
        List<String> parts = new ArrayList<>();
        if (!toAdd.isEmpty() || !storageAdd.isEmpty()) {
            parts.add("Add " + names(toAdd, storageAdd, guests) + " to pool " + id
                    + (moved.isEmpty() ? "" : " (moving " + String.join(", ", moved) + ")"));
        }
        if (!toRemove.isEmpty() || !storageRemove.isEmpty()) {
            parts.add((parts.isEmpty() ? "Remove " : "remove ") + names(toRemove, storageRemove, guests)
                    + " from pool " + id);
        }
        String summary = parts.isEmpty() ? "Nothing: pool " + id + " already has these members." : String.join("; ",
                parts) + ".";
        return new Plan(pool, toAdd, toRemove, storageAdd, storageRemove, requests, summary);
    }

    private static String names(List<Long> vmids, List<String> storage, Map<Long, Map<String, Object>> guests) {
        List<String> out = new ArrayList<>();
        for (long v : vmids) {
            Map<String, Object> g = guests.get(v);
            out.add(v + (g == null || g.get("name") == null ? "" : " (" + Json.string(g, "name") + ")"));
        }
        storage.forEach(s -> out.add("storage " + s));
        return String.join(", ", out);
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static String join(List<Long> vmids) {
        return String.join(",", vmids.stream().map(String::valueOf).toList());
    }

    private static List<Long> longs(Object value) {
        List<Long> out = new ArrayList<>();
        if (value instanceof List<?> l) {
            for (Object o : l) {
                out.add(((Number) o).longValue());
            }
        }
        return out;
    }
}
