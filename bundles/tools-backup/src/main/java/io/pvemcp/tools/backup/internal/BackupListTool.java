package io.pvemcp.tools.backup.internal;

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
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.Sizes;
import io.pvemcp.tools.guest.StorageScan;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_backup_list", title = "List backups", risk = Risk.READ, category = "backup",
        description = "Backups on every backup storage (incl. PBS), newest first: guest, date, size, notes, "
                + "protection, verification.")
public final class BackupListTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("vmid", GuestTool.vmidSchema(null).description("Only backups of this guest"))
            .optional("storage", StorageScan.storageSchema("Only this storage"))
            .optional("node", GuestTool.nodeSchema("Only this node's storage"))
            .optional("limit", JsonSchema.integer().minimum(1).maximum(500).defaultValue(20))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("backups", JsonSchema.array(Backups.backupSchema()))
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
    public ToolResult call(ToolCall call) {
        var args = call.arguments();
        Integer vmid = args.has("vmid") ? (int) args.integer("vmid") : null;
        List<String> warnings = new ArrayList<>();
        List<Backups.Found> all = Backups.list(call, vmid, args.string("storage", null), args.string("node", null),
                warnings);
        int limit = (int) args.integer("limit", 20);
        List<Map<String, Object>> shown = all.stream().limit(limit).map(Backups.Found::backup).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("backups", shown);
        out.put("total", all.size());
        out.put("omitted", all.size() - shown.size());
        out.put("warnings", warnings);
        StringBuilder text = new StringBuilder();
        String of = vmid == null ? "" : " of " + vmid;
        if (all.isEmpty()) {
            text.append("No backups").append(of).append(" found.").append(vmid == null ? ""
                    : " Make one with proxmox_backup_create.");
        } else {
            text.append(all.size()).append(all.size() == 1 ? " backup" : " backups").append(of).append(", newest first")
                    .append(shown.size() < all.size() ? " (" + (all.size() - shown.size()) + " left out by the limit)"
                            : "").append(':');
            for (Map<String, Object> b : shown.subList(0, Math.min(15, shown.size()))) {
                text.append("\n- ").append(b.get("volid")).append(b.containsKey("node") ? " @" + b.get("node") : "")
                        .append(" (").append("qemu".equals(b.get("type")) ? "VM " : "CT ").append(b.get("vmid"))
                        .append(b.containsKey("guest") ? " " + b.get("guest") : "")
                        .append(b.containsKey("created") ? ", " + ((String) b.get("created")).substring(0, 16)
                                .replace('T', ' ') + " UTC, " + b.get("age") + " ago" : "")
                        .append(", ").append(b.get("size"))
                        .append(Boolean.TRUE.equals(b.get("protected")) ? ", protected" : "")
                        .append(b.containsKey("verified") ? ", verified " + b.get("verified") : "").append(')')
                        .append(b.containsKey("notes") ? ": " + b.get("notes") : "");
            }
            long bytes = all.stream().mapToLong(f -> (Long) f.backup().get("size_bytes")).sum();
            text.append("\nIn all ").append(Sizes.bytes(bytes)).append('.');
        }
        warnings.forEach(w -> text.append(' ').append(w));
        return ToolResult.of(text.toString(), out);
    }
}
