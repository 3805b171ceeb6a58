package io.pvemcp.tools.pool.internal;

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

/** What the pool tools share: the pool id's schema, reading a pool with its members, and the pool as a target. */
final class Pools {

    /** Proxmox VE's {@code pve-poolid}: a name, or up to three levels of nested pools. */
    static final String POOL_ID = "^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+){0,2}$";

    private Pools() {
    }

    static JsonSchema poolId() {
        return JsonSchema.string().pattern(POOL_ID).maxLength(64).description("e.g. dev");
    }

    /**
     * A pool as it is now.
     *
     * @param comment its comment, or {@code null}
     * @param guests its guests: vmid, name, type, node, status
     * @param storage its storages' ids
     */
    record Pool(String id, String comment, List<Map<String, Object>> guests, List<String> storage) {

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("poolid", id);
            if (comment != null) {
                m.put("comment", comment);
            }
            m.put("guests", guests);
            m.put("storage", storage);
            return m;
        }

        List<Long> vmids() {
            return guests.stream().map(g -> ((Number) g.get("vmid")).longValue()).toList();
        }

        boolean empty() {
            return guests.isEmpty() && storage.isEmpty();
        }

        Preview.Target target() {
            return new Preview.Target("pool", null, id, null, null, List.of(), id, null, false);
        }
    }

    /** @return the ids of the pools the account may see, sorted */
    static List<String> ids(ProxmoxClient pve) {
        List<String> ids = new ArrayList<>();
        for (Object o : Json.list(Futures.join(pve.get("/pools", Map.of())))) {
            ids.add(Json.string(Json.map(o), "poolid"));
        }
        ids.sort(null);
        return ids;
    }

    /**
     * @return the pool with its members
     * @throws ToolException naming the pools there are, if it does not exist
     */
    static Pool read(ProxmoxClient pve, String id) {
        List<String> ids = ids(pve);
        if (!ids.contains(id)) {
            throw ToolException.invalidArgument("poolid", "there is no pool " + id + (ids.isEmpty()
                    ? " (there are none)" : "; the pools are " + String.join(", ", ids)));
        }
        Map<String, Object> p = Json.map(Json.list(Futures.join(pve.get("/pools", Map.of("poolid", id)))).get(0));
        List<Map<String, Object>> guests = new ArrayList<>();
        List<String> storage = new ArrayList<>();
        for (Object o : Json.list(p.getOrDefault("members", List.of()))) {
            Map<String, Object> m = Json.map(o);
            String type = Json.string(m, "type");
            if ("storage".equals(type)) {
                String s = Json.string(m, "storage");
                if (!storage.contains(s)) {
                    storage.add(s);
                }
            } else if ("qemu".equals(type) || "lxc".equals(type)) {
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("vmid", Json.longValue(m, "vmid", 0));
                g.put("name", Json.string(m, "name"));
                g.put("type", type);
                g.put("node", Json.string(m, "node"));
                g.put("status", Json.string(m, "status"));
                guests.add(g);
            }
        }
        return new Pool(id, p.get("comment") == null ? null : Json.string(p, "comment"), guests, storage);
    }
}
