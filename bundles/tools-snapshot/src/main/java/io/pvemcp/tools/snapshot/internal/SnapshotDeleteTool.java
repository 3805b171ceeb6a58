package io.pvemcp.tools.snapshot.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.TaskResult;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_snapshot_delete", title = "Delete a snapshot", risk = Risk.DESTROY,
        category = "snapshot", scope = Scopes.DESTROY, idempotent = true,
        description = "Deletes a snapshot of a VM or container; the current state is untouched, but that moment is "
                + "gone.")
public final class SnapshotDeleteTool extends SnapshotTool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("vmid", vmidSchema(null))
            .required("name", snapshotNameSchema("Snapshot name"))
            .optional("force", JsonSchema.bool().defaultValue(false).description(
                    "Even if deleting its data fails or it is locked"))
            .optional("node", guestNodeSchema())
            .optional("timeout", timeout(300))
            .build();

    private static final Map<String, Object> OUTPUT = resultSchema()
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

    private record Plan(GuestRef guest, Snap snap, List<String> children, boolean force) {
    }

    private Plan plan(ToolCall call) {
        GuestRef guest = locate(call);
        return plan(call, guest, tree(call, guest));
    }

    private Plan plan(ToolCall call, GuestRef guest, Tree tree) {
        boolean force = call.arguments().bool("force", false);
        if (!force || guest.lock() != null && !guest.lock().startsWith("snapshot")) {
            checkActionable(guest, "delete a snapshot of");
        }
        Snap snap = require(tree, guest, call.arguments().string("name"));
        return new Plan(guest, snap, tree.children(snap.name()), force);
    }

    @Override
    public Preview preview(ToolCall call) {
        Plan p = plan(call);
        String summary = "Delete snapshot '" + p.snap.name() + "' of " + name(p.guest) + " (" + p.snap.when()
                + (p.snap.ram() ? ", with RAM" : "") + (p.snap.description().isEmpty() ? ""
                        : ", \"" + p.snap.description().lines().findFirst().orElse("") + "\"") + "): "
                + title(p.guest) + " can no longer be rolled back to it; its current state is untouched."
                + (p.children.isEmpty() ? "" : " Its children (" + String.join(", ", p.children) + ") then follow "
                        + (p.snap.parent() == null ? "no snapshot." : "'" + p.snap.parent() + "'."));
        Map<String, Object> params = p.force ? Map.of("force", 1) : Map.of();
        return new Preview(summary, List.of(target(call, p.guest)), List.of(new Preview.Request("DELETE",
                concretePath(p.guest, "/snapshot/" + p.snap.name()), params)), title(p.guest) + " has no snapshot '"
                        + p.snap.name() + "'.", false, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        GuestRef guest = locate(call);
        Tree tree = tree(call, guest);
        String name = call.arguments().string("name");
        if (tree.find(name) == null) {
            Map<String, Object> out = result(guest, name, null);
            out.put("deleted", false);
            return ToolResult.of(title(guest) + " has no snapshot '" + name + "' (any more); nothing to delete."
                    + (tree.snaps().isEmpty() ? "" : " Its snapshots: " + String.join(", ", tree.names()) + "."), out);
        }
        Plan p = plan(call, guest, tree);
        String what = "Deleting snapshot '" + p.snap.name() + "' of " + name(p.guest);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("snapname", p.snap.name());
        if (p.force) {
            params.put("force", 1);
        }
        Object answer = call.proxmox().delete(p.guest.path("/snapshot/{snapname}"), p.guest.params(params))
                .join();
        TaskResult task = follow(call, answer, what, (int) call.arguments().integer("timeout", 300));
        Map<String, Object> out = result(p.guest, p.snap.name(), task);
        out.put("deleted", !task.running());
        if (task.running()) {
            return ToolResult.of(stillRunning(what, task), out);
        }
        return ToolResult.of("Deleted snapshot '" + p.snap.name() + "' of " + name(p.guest) + " on " + p.guest.node()
                + "." + (p.children.isEmpty() ? "" : " Its children (" + String.join(", ", p.children) + ") now follow "
                        + (p.snap.parent() == null ? "no snapshot." : "'" + p.snap.parent() + "'.")), out);
    }
}
