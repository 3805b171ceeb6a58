package io.pvemcp.tools.snapshot.internal;

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
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.TaskResult;
import io.pvemcp.tools.guest.ConfigDiff;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_snapshot_rollback", title = "Roll back to a snapshot", risk = Risk.DESTROY,
        category = "snapshot", scope = Scopes.DESTROY,
        description = "Rolls a VM or container back to a snapshot: disks and config return to it, all since is lost.")
public final class SnapshotRollbackTool extends SnapshotTool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("vmid", vmidSchema(null))
            .required("name", snapshotNameSchema("Snapshot name"))
            .optional("start", JsonSchema.bool().defaultValue(false).description("Start the guest afterwards"))
            .optional("node", guestNodeSchema())
            .optional("timeout", timeout(300))
            .build();

    private static final Map<String, Object> OUTPUT = resultSchema()
            .required("status", JsonSchema.string().description("running or stopped afterwards"))
            .required("restored", ConfigDiff.schema().description("Configuration keys the rollback changed, "
                    + "current → snapshot"))
            .build();

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    private record Plan(GuestRef guest, Snap snap, List<ConfigDiff.Change> changes, List<String> lost,
            String after, boolean start, List<String> newer, Map<String, Object> current) {
    }

    private Plan plan(ToolCall call) {
        GuestRef guest = locate(call);
        checkActionable(guest, "roll back");
        Tree tree = tree(call, guest);
        Snap snap = require(tree, guest, call.arguments().string("name"));
        Map<String, Object> current = Json.map(call.proxmox().get(guest.path("/config"), guest.params()).join());
        Map<String, Object> then = Json.map(call.proxmox().get(guest.path("/snapshot/{snapname}/config"),
                guest.params(Map.of("snapname", snap.name()))).join());
        List<ConfigDiff.Change> changes = ConfigDiff.between(current, then);
        boolean start = call.arguments().bool("start", false);
        boolean running = "running".equals(guest.status());
        List<String> lost = new ArrayList<>();
        lost.add("everything written to its disks since the snapshot (" + snap.when() + ")");
        if (!changes.isEmpty()) {
            lost.add("configuration changes since then: " + ConfigDiff.summary(changes, 6));
        }
        if (running) {
            lost.add(snap.ram() ? "its current RAM state (it resumes from the snapshot's RAM)"
                    : "its running state: it is stopped, unsaved data in its RAM is lost");
        }
        List<String> newer = new ArrayList<>();
        collect(tree, snap.name(), newer);
        String after = snap.ram() || start ? "running" : "stopped";
        return new Plan(guest, snap, changes, lost, after, start, newer, current);
    }

    private static void collect(Tree tree, String name, List<String> out) {
        for (String child : tree.children(name)) {
            out.add(child);
            collect(tree, child, out);
        }
    }

    @Override
    public Preview preview(ToolCall call) {
        Plan p = plan(call);
        Map<String, Object> params = p.start ? Map.of("start", 1) : Map.of();
        return new Preview("Roll " + name(p.guest) + " on " + p.guest.node() + " back to snapshot '" + p.snap.name()
                + "' (" + p.snap.when() + "). Lost for good: " + String.join("; ", p.lost) + "." + (p.newer.isEmpty()
                        ? "" : " Snapshots taken after it stay: " + String.join(", ", p.newer) + ".")
                + " To keep the current state, take a snapshot first.", List.of(target(call, p.guest, p.current)), List.of(new Preview.Request("POST",
                        concretePath(p.guest, "/snapshot/" + p.snap.name() + "/rollback"), params)),
                title(p.guest) + " is as it was at snapshot '" + p.snap.name() + "', " + p.after + ".", false,
                "running".equals(p.guest.status()));
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        String what = "Rolling " + name(p.guest) + " back to snapshot '" + p.snap.name() + "'";
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("snapname", p.snap.name());
        if (p.start) {
            params.put("start", 1);
        }
        Object answer = call.proxmox().post(p.guest.path("/snapshot/{snapname}/rollback"),
                p.guest.params(params)).join();
        TaskResult task = follow(call, answer, what, (int) call.arguments().integer("timeout", 300));
        Map<String, Object> out = result(p.guest, p.snap.name(), task);
        if (task.running()) {
            out.put("status", "changing");
            out.put("restored", ConfigDiff.describe(p.changes));
            return ToolResult.of(stillRunning(what, task), out);
        }
        String status = currentStatus(call, p.guest);
        out.put("status", status);
        out.put("restored", ConfigDiff.describe(p.changes));
        return ToolResult.of(title(p.guest) + " is back at snapshot '" + p.snap.name() + "' (" + p.snap.when()
                + ") and " + status + ". Configuration restored: " + ConfigDiff.summary(p.changes, 8) + ".", out);
    }
}
