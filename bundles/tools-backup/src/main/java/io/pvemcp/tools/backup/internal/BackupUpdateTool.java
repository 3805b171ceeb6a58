package io.pvemcp.tools.backup.internal;

import java.util.ArrayList;
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
import io.pvemcp.tools.guest.GuestTool;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_backup_update", title = "Change a backup's notes or protection", risk = Risk.CHANGE,
        category = "backup", scope = Scopes.WRITE, idempotent = true, description = "Sets a backup's notes, or "
                + "protects it from deletion and pruning (or lifts that).")
public final class BackupUpdateTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("archive", JsonSchema.string().pattern("^[a-zA-Z][a-zA-Z0-9._-]+:.+$").maxLength(512)
                    .description("The backup's volid"))
            .optional("notes", JsonSchema.string().maxLength(1024).description("New notes; empty clears them"))
            .optional("protected", JsonSchema.bool())
            .optional("node", GuestTool.nodeSchema("For local storage; found if left out"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("volid", JsonSchema.string())
            .required("changed", JsonSchema.bool())
            .optional("notes", JsonSchema.string())
            .required("protected", JsonSchema.bool())
            .build();

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    private record Plan(Backups.Found backup, Map<String, Object> params, List<String> changes) {
    }

    private static Plan plan(ToolCall call) {
        var args = call.arguments();
        if (!args.has("notes") && !args.has("protected")) {
            throw new ToolException("Give notes, protected, or both.");
        }
        Backups.Found b = Backups.find(call, args.string("archive"), args.string("node", null));
        Map<String, Object> params = new LinkedHashMap<>();
        List<String> changes = new ArrayList<>();
        String notes = b.backup().get("notes") == null ? "" : (String) b.backup().get("notes");
        if (args.has("notes") && !args.string("notes").equals(notes)) {
            params.put("notes", args.string("notes"));
            changes.add("notes '" + notes + "' → '" + args.string("notes") + "'");
        }
        boolean prot = Boolean.TRUE.equals(b.backup().get("protected"));
        if (args.has("protected") && args.bool("protected", false) != prot) {
            params.put("protected", args.bool("protected", false) ? 1 : 0);
            changes.add(prot ? "protection off (it can then be deleted and pruned)" : "protection on");
        }
        return new Plan(b, params, changes);
    }

    @Override
    public Preview preview(ToolCall call) {
        Plan p = plan(call);
        String path = "/nodes/" + p.backup().place().node() + "/storage/" + p.backup().place().storage() + "/content/"
                + p.backup().volid();
        return p.params().isEmpty() ? new Preview("Nothing: " + p.backup().volid() + " is already so.", List.of(),
                List.of(), "Unchanged.", true, false)
                : new Preview("Change backup " + p.backup().volid() + ": " + String.join(", ", p.changes()) + ".",
                        List.of(), List.of(new Preview.Request("PUT", path, p.params())), "The backup has the new "
                                + "settings.", true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("volid", p.backup().volid());
        out.put("changed", !p.params().isEmpty());
        var args = call.arguments();
        String notes = args.has("notes") ? args.string("notes") : (String) p.backup().backup().get("notes");
        if (notes != null && !notes.isEmpty()) {
            out.put("notes", notes);
        }
        out.put("protected", args.has("protected") ? args.bool("protected", false)
                : Boolean.TRUE.equals(p.backup().backup().get("protected")));
        if (p.params().isEmpty()) {
            return ToolResult.of(p.backup().volid() + " already is so; nothing changed.", out);
        }
        Map<String, Object> params = new LinkedHashMap<>(p.params());
        params.put("node", p.backup().place().node());
        params.put("storage", p.backup().place().storage());
        params.put("volume", p.backup().volid());
        call.proxmox().put("/nodes/{node}/storage/{storage}/content/{volume}", params).join();
        return ToolResult.of("Changed backup " + p.backup().volid() + ": " + String.join(", ", p.changes()) + ".",
                out);
    }
}
