package io.pvemcp.tools.storage.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Listing;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.Sizes;
import io.pvemcp.tools.guest.StorageScan;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_storage_content", title = "List storage content", risk = Risk.READ,
        category = "storage", description = "Volumes on storage (ISOs, templates, disks, backups) with size, date, "
                + "owner VMID, notes, protection; newest first.")
public final class StorageContentTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("node", GuestTool.nodeSchema("Only this node"))
            .optional("storage", StorageScan.storageSchema("Only this storage"))
            .optional("content", JsonSchema.string().enumValues(StorageScan.CONTENT.toArray()))
            .optional("vmid", GuestTool.vmidSchema(null).description("Only volumes of this guest"))
            .optional("sort", JsonSchema.string().enumValues("newest", "size", "name").defaultValue("newest"))
            .optional("limit", JsonSchema.integer().minimum(1).maximum(500).defaultValue(50))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("volumes", JsonSchema.array(StorageScan.volumeSchema()))
            .required("total", JsonSchema.integer())
            .required("omitted", JsonSchema.integer())
            .required("total_bytes", JsonSchema.integer())
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
    public ToolResult call(ToolCall call) {
        var args = call.arguments();
        String content = args.string("content", null);
        Integer vmid = args.has("vmid") ? (int) args.integer("vmid") : null;
        Set<String> offline = new LinkedHashSet<>();
        List<StorageScan.Place> places = StorageScan.places(call, args.string("node", null),
                args.string("storage", null), content, offline);
        List<Map<String, Object>> all = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (StorageScan.Place p : places) {
            if (!p.available()) {
                continue;
            }
            try {
                all.addAll(StorageScan.content(call, p, content, vmid));
            } catch (ProxmoxException e) {
                warnings.add("Storage " + p.storage() + " on " + p.node() + " could not be read: " + e.getMessage());
            }
        }
        for (String n : offline) {
            warnings.add("Node " + n + " is offline: its local storage is not listed.");
        }
        if (places.isEmpty() && args.has("storage")) {
            warnings.add("No storage '" + args.string("storage") + "'" + (args.has("node") ? " on " + args.string("node")
                    : "") + (content == null ? "" : " holds " + content) + "; proxmox_storage_list shows them.");
        }
        Comparator<Map<String, Object>> order = switch (args.string("sort", "newest")) {
            case "size" -> Comparator.comparingLong((Map<String, Object> m) -> (Long) m.get("size_bytes")).reversed();
            case "name" -> Comparator.comparing((Map<String, Object> m) -> (String) m.get("volid"));
            default -> Comparator.comparingLong((Map<String, Object> m) -> ((Number) m.getOrDefault("ctime", 0L))
                    .longValue()).reversed().thenComparing(m -> (String) m.get("volid"));
        };
        long bytes = all.stream().mapToLong(m -> (Long) m.get("size_bytes")).sum();
        Listing.Page<Map<String, Object>> page = Listing.page(all, order, (int) args.integer("limit", 50));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("volumes", page.items());
        out.put("total", page.total());
        out.put("omitted", page.omitted());
        out.put("total_bytes", bytes);
        out.put("warnings", warnings);
        StringBuilder text = new StringBuilder();
        if (page.total() == 0) {
            text.append("No volumes match.");
        } else {
            text.append(page.total()).append(page.total() == 1 ? " volume" : " volumes").append(", ")
                    .append(Sizes.bytes(bytes)).append(page.omitted() > 0 ? " (" + page.omitted()
                            + " left out by the limit)" : "").append(':');
            for (Map<String, Object> v : page.items().subList(0, Math.min(15, page.items().size()))) {
                text.append("\n- ").append(v.get("volid")).append(v.containsKey("node") ? " @" + v.get("node") : "")
                        .append(" (").append(v.get("content")).append(", ").append(v.get("size"))
                        .append(v.containsKey("created") ? ", " + ((String) v.get("created")).substring(0, 10) : "")
                        .append(v.containsKey("vmid") ? ", VMID " + v.get("vmid") : "")
                        .append(Boolean.TRUE.equals(v.get("protected")) ? ", protected" : "").append(')')
                        .append(v.containsKey("notes") ? ": " + v.get("notes") : "");
            }
            if (page.items().size() > 15) {
                text.append("\n… and ").append(page.items().size() - 15).append(" more in the structured result.");
            }
        }
        warnings.forEach(w -> text.append(' ').append(w));
        return ToolResult.of(text.toString(), out);
    }
}
