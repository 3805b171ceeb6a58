package io.pvemcp.tools.guest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;

/**
 * Where storage content lives, and how tools read and describe it: the storages of the cluster as seen from their
 * nodes (shared ones once), their volumes (ISOs, templates, disk images, backups) in one shape for a model.
 */
public final class StorageScan {

    /** The content types a storage can hold. */
    public static final List<String> CONTENT = List.of("iso", "vztmpl", "images", "rootdir", "backup", "snippets", "import");

    /**
     * A storage as seen from one node.
     *
     * @param storage its id
     * @param node the node it is seen from (for shared storage, the first that can reach it)
     * @param shared whether all its nodes see the same content
     * @param type its plugin type, e.g. {@code dir}, {@code pbs}
     * @param content what it holds
     * @param available whether the node reaches it now
     */
    public record Place(String storage, String node, boolean shared, String type, List<String> content, boolean available) {
    }

    /**
     * @param what what the storage is for
     * @return the schema of a storage id argument
     */
    public static JsonSchema storageSchema(String what) {
        return JsonSchema.string().pattern("^[a-zA-Z][a-zA-Z0-9._-]{1,99}$").description(what);
    }

    private StorageScan() {
    }

    /**
     * @param call the call
     * @param node only this node, or {@code null}
     * @param storage only this storage, or {@code null}
     * @param content only storages that hold this, or {@code null}
     * @param offline collects the nodes that could not be asked
     * @return the storages, a shared one once (from its first available node), a local one once per node
     */
    public static List<Place> places(ToolCall call, String node, String storage, String content, Set<String> offline) {
        Map<String, Place> out = new LinkedHashMap<>();
        for (Object o : Json.list(call.proxmox().get("/cluster/resources", Map.of("type", "storage")).join())) {
            Map<String, Object> r = Json.map(o);
            String at = Json.string(r, "node");
            String id = Json.string(r, "storage");
            List<String> holds = r.get("content") == null ? List.of() : List.of(Json.string(r, "content").split(","));
            if (node != null && !node.equals(at) || storage != null && !storage.equals(id)
                    || content != null && !holds.contains(content)) {
                continue;
            }
            boolean available = "available".equals(r.get("status"));
            if (!available) {
                offline.add(at);
            }
            boolean shared = Json.bool(r, "shared", false);
            String key = shared ? id : id + "@" + at;
            Place known = out.get(key);
            if (known == null || !known.available() && available) {
                out.put(key, new Place(id, at, shared, r.get("plugintype") == null ? "" : Json.string(r, "plugintype"),
                        holds, available));
            }
        }
        return new ArrayList<>(out.values());
    }

    /**
     * @param call the call
     * @param p the storage
     * @param content only this content type, or {@code null}
     * @param vmid only volumes of this guest, or {@code null}
     * @return the content of a storage as {@code GET .../content} lists it, each entry described for a model: volid,
     *         storage, node (for local storage), content, format, size, date, vmid, notes, protection
     */
    public static List<Map<String, Object>> content(ToolCall call, Place p, String content, Integer vmid) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("node", p.node());
        params.put("storage", p.storage());
        if (content != null) {
            params.put("content", content);
        }
        if (vmid != null) {
            params.put("vmid", vmid);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : Json.list(call.proxmox().get("/nodes/{node}/storage/{storage}/content", params).join())) {
            out.add(describe(Json.map(o), p));
        }
        return out;
    }

    /**
     * @param v a volume as {@code GET .../content} lists it
     * @param p the storage it is on
     * @return it described for a model, conforming to {@link #volumeSchema()}
     */
    public static Map<String, Object> describe(Map<String, Object> v, Place p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("volid", Json.string(v, "volid"));
        m.put("storage", p.storage());
        if (!p.shared()) {
            m.put("node", p.node());
        }
        m.put("content", Json.string(v, "content"));
        if (v.get("format") != null) {
            m.put("format", Json.string(v, "format"));
        }
        long size = Json.longValue(v, "size", 0);
        m.put("size_bytes", size);
        m.put("size", Sizes.bytes(size));
        long ctime = Json.longValue(v, "ctime", 0);
        if (ctime > 0) {
            m.put("created", Instant.ofEpochSecond(ctime).toString());
            m.put("ctime", ctime);
        }
        if (v.get("vmid") != null) {
            m.put("vmid", Json.longValue(v, "vmid", 0));
        }
        if (v.get("notes") != null && !Json.string(v, "notes").isBlank()) {
            m.put("notes", Json.string(v, "notes"));
        }
        if (Json.bool(v, "protected", false)) {
            m.put("protected", true);
        }
        if (v.get("verification") instanceof Map<?, ?> verification && verification.get("state") != null) {
            m.put("verified", String.valueOf(verification.get("state")));
        }
        return m;
    }

    /** @return the schema of one entry as {@link #describe} writes it */
    public static JsonSchema volumeSchema() {
        return JsonSchema.object()
                .required("volid", JsonSchema.string())
                .required("storage", JsonSchema.string())
                .optional("node", JsonSchema.string().description("for local storage"))
                .required("content", JsonSchema.string())
                .optional("format", JsonSchema.string())
                .required("size_bytes", JsonSchema.integer())
                .required("size", JsonSchema.string())
                .optional("created", JsonSchema.string())
                .optional("ctime", JsonSchema.integer())
                .optional("vmid", JsonSchema.integer())
                .optional("notes", JsonSchema.string())
                .optional("protected", JsonSchema.bool())
                .optional("verified", JsonSchema.string().description("PBS: ok or failed"));
    }

    /**
     * @param volid a volume id, {@code storage:rest}
     * @return its storage
     * @throws ToolException if it is not a volume id
     */
    public static String storageOf(String volid) {
        int colon = volid.indexOf(':');
        if (colon < 2 || colon == volid.length() - 1) {
            throw new ToolException("'" + volid + "' is not a volume id; it looks like storage:content/name, e.g. "
                    + "local:iso/debian-13.iso. proxmox_storage_content lists them.");
        }
        return volid.substring(0, colon);
    }

    /**
     * @param call the call
     * @param storage a storage id
     * @param node the node to see it from, or {@code null} for the first that reaches it
     * @return the place to ask about a volume on a storage
     * @throws ToolException if there is no such storage or it is not available
     */
    public static Place placeOf(ToolCall call, String storage, String node) {
        Set<String> offline = new java.util.LinkedHashSet<>();
        List<Place> places = places(call, node, storage, null, offline);
        if (places.isEmpty()) {
            throw new ToolException("There is no storage '" + storage + "'" + (node == null ? "" : " on node " + node)
                    + ". proxmox_storage_list shows the storages.");
        }
        return places.stream().filter(Place::available).findFirst().orElseThrow(() -> new ToolException(
                "Storage '" + storage + "' is not available" + (offline.isEmpty() ? "" : " (node "
                        + String.join(", ", offline) + " offline)") + "."));
    }
}
