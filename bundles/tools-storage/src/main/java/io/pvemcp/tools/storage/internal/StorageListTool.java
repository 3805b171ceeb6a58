package io.pvemcp.tools.storage.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Listing;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.Sizes;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_storage_list", title = "List storage", risk = Risk.READ, category = "storage",
        idempotent = true,
        description = "Storages with type, content, size, use and free space; shared ones once, local ones per node.")
public final class StorageListTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("node", GuestTool.nodeSchema("Only this node's"))
            .optional("content", JsonSchema.string().enumValues("images", "rootdir", "iso", "vztmpl", "backup",
                    "snippets", "import").description("Only storage for this; images: VM disks, "
                    + "rootdir: container volumes, vztmpl: templates"))
            .optional("type", JsonSchema.string().pattern("^[a-z]+$").maxLength(20)
                    .description("e.g. dir, lvmthin, nfs, pbs, zfspool, rbd"))
            .optional("sort", JsonSchema.string().enumValues("name", "used_percent", "free").defaultValue("name")
                    .description("used_percent: fullest first; free: most free first"))
            .optional("limit", JsonSchema.integer().minimum(1).maximum(500).defaultValue(100)
                    .description("Most entries to return"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("storages", JsonSchema.array(JsonSchema.object()
                    .required("storage", JsonSchema.string())
                    .required("type", JsonSchema.string())
                    .required("shared", JsonSchema.bool())
                    .required("nodes", JsonSchema.array(JsonSchema.string()))
                    .required("content", JsonSchema.array(JsonSchema.string()))
                    .required("status", JsonSchema.string().description("available, or unknown (node offline)"))
                    .optional("total_bytes", JsonSchema.integer())
                    .optional("used_bytes", JsonSchema.integer())
                    .optional("free_bytes", JsonSchema.integer())
                    .optional("used_percent", JsonSchema.number())
                    .optional("server", JsonSchema.string())
                    .optional("datastore", JsonSchema.string())))
            .required("total", JsonSchema.integer())
            .required("omitted", JsonSchema.integer())
            .required("warnings", JsonSchema.array(JsonSchema.string()))
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
    @SuppressWarnings("unchecked")
    public ToolResult call(ToolCall call) throws Exception {
        var args = call.arguments();
        String node = args.string("node", null);
        String content = args.string("content", null);
        String type = args.string("type", null);
        Map<String, Map<String, Object>> entries = new LinkedHashMap<>();
        Set<String> offline = new LinkedHashSet<>();
        for (Object o : Json.list(call.proxmox().get("/cluster/resources", Map.of("type", "storage")).join())) {
            Map<String, Object> r = Json.map(o);
            String at = Json.string(r, "node");
            List<String> holds = r.get("content") == null ? List.of()
                    : List.of(Json.string(r, "content").split(","));
            if (node != null && !node.equals(at) || content != null && !holds.contains(content)
                    || type != null && !type.equals(r.get("plugintype"))) {
                continue;
            }
            boolean shared = Json.bool(r, "shared", false);
            String status = r.get("status") == null ? "unknown" : Json.string(r, "status");
            if (!"available".equals(status)) {
                offline.add(at);
            }
            String key = shared ? Json.string(r, "storage") : Json.string(r, "storage") + "@" + at;
            Map<String, Object> e = entries.get(key);
            if (e == null) {
                e = new LinkedHashMap<>();
                e.put("storage", Json.string(r, "storage"));
                e.put("type", r.get("plugintype") == null ? "" : Json.string(r, "plugintype"));
                e.put("shared", shared);
                e.put("nodes", new ArrayList<String>());
                e.put("content", holds);
                e.put("status", status);
                entries.put(key, e);
            }
            ((List<String>) e.get("nodes")).add(at);
            if ("available".equals(status)) {
                e.put("status", "available");
                long total = Json.longValue(r, "maxdisk", 0);
                long used = Json.longValue(r, "disk", 0);
                e.put("total_bytes", total);
                e.put("used_bytes", used);
                e.put("free_bytes", Math.max(0, total - used));
                e.put("used_percent", total == 0 ? 0.0 : Math.round(used * 1000.0 / total) / 10.0);
            }
        }
        backupServers(call, entries.values());
        Comparator<Map<String, Object>> order = switch (args.string("sort", "name")) {
            case "used_percent" -> Comparator.comparingDouble(
                    (Map<String, Object> m) -> ((Number) m.getOrDefault("used_percent", -1.0)).doubleValue()).reversed();
            case "free" -> Comparator.comparingLong(
                    (Map<String, Object> m) -> ((Number) m.getOrDefault("free_bytes", -1L)).longValue()).reversed();
            default -> Comparator.comparing((Map<String, Object> m) -> (String) m.get("storage"))
                    .thenComparing(m -> String.valueOf(m.get("nodes")));
        };
        Listing.Page<Map<String, Object>> page = Listing.page(new ArrayList<>(entries.values()), order,
                (int) args.integer("limit", 100));
        List<String> warnings = new ArrayList<>();
        for (String n : offline) {
            warnings.add("Node " + n + " is offline: its storage is listed with status unknown and no space figures.");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("storages", page.items());
        out.put("total", page.total());
        out.put("omitted", page.omitted());
        out.put("warnings", warnings);
        return ToolResult.of(text(page, warnings), out);
    }

    /**
     * Names the Proxmox Backup Server and datastore (and namespace) behind each PBS storage, from the storage
     * configuration; read only when the list has one, and left out if the account may not read it.
     */
    private static void backupServers(ToolCall call, java.util.Collection<Map<String, Object>> storages) {
        if (storages.stream().noneMatch(e -> "pbs".equals(e.get("type")))) {
            return;
        }
        Map<String, Map<String, Object>> config = new LinkedHashMap<>();
        try {
            for (Object o : Json.list(call.proxmox().get("/storage", Map.of("type", "pbs")).join())) {
                Map<String, Object> c = Json.map(o);
                config.put(Json.string(c, "storage"), c);
            }
        } catch (java.util.concurrent.CompletionException e) {
            return;
        }
        for (Map<String, Object> e : storages) {
            Map<String, Object> c = config.get(e.get("storage"));
            if (c != null) {
                if (c.get("server") != null) {
                    e.put("server", Json.string(c, "server"));
                }
                if (c.get("datastore") != null) {
                    e.put("datastore", Json.string(c, "datastore") + (c.get("namespace") == null ? ""
                            : " (namespace " + Json.string(c, "namespace") + ")"));
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static String text(Listing.Page<Map<String, Object>> page, List<String> warnings) {
        if (page.total() == 0) {
            return "No storage matches." + (warnings.isEmpty() ? "" : " " + String.join(" ", warnings));
        }
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> s : page.items()) {
            List<String> nodes = (List<String>) s.get("nodes");
            String where = !(Boolean) s.get("shared") ? "on " + nodes.get(0) : nodes.size() > 1 ? "shared by "
                    + nodes.size() + " nodes" : "shared, seen from " + nodes.get(0);
            parts.add(s.get("storage") + " (" + s.get("type") + (s.get("datastore") == null ? "" : " datastore "
                    + s.get("datastore") + " on " + s.get("server")) + ", " + where + ", " + (s.get("total_bytes") != null
                    ? Sizes.bytes((Long) s.get("free_bytes")) + " free of " + Sizes.bytes((Long) s.get("total_bytes"))
                    + ", " + s.get("used_percent") + "% used" : "status " + s.get("status")) + ")");
        }
        return page.total() + " storage entries" + (page.omitted() > 0 ? " (" + page.omitted() + " left out by the limit)"
                : "") + ": " + String.join("; ", parts) + "." + (warnings.isEmpty() ? "" : " " + String.join(" ",
                warnings));
    }
}
