package io.pvemcp.tools.snapshot.internal;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.TaskResult;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_snapshot_create", title = "Take a snapshot", risk = Risk.CHANGE, category = "snapshot",
        scope = Scopes.WRITE, description = "Takes a snapshot of a VM or container (with ram: a running VM's RAM too) "
                + "and waits.")
public final class SnapshotCreateTool extends SnapshotTool {

    private static final DateTimeFormatter AUTO = DateTimeFormatter.ofPattern("'snap-'yyyyMMdd-HHmmss");

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("vmid", vmidSchema(null))
            .optional("name", snapshotNameSchema("Default snap-<UTC time>; a letter, then letters, digits, - or _"))
            .optional("description", JsonSchema.string().maxLength(8192))
            .optional("ram", JsonSchema.bool().defaultValue(false).description("Save a running VM's RAM too"))
            .optional("node", guestNodeSchema())
            .optional("timeout", timeout(300))
            .build();

    private static final Map<String, Object> OUTPUT = resultSchema()
            .required("ram", JsonSchema.bool().description("whether the RAM state was saved"))
            .build();

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    private record Plan(GuestRef guest, String name, Map<String, Object> params, boolean ram, String note) {
    }

    private Plan plan(ToolCall call) {
        GuestRef guest = locate(call);
        String name = call.arguments().string("name", null);
        if (name == null) {
            name = ZonedDateTime.now(ZoneOffset.UTC).format(AUTO);
        }
        if (List.of("current", "pending", "vzdump").contains(name.toLowerCase(java.util.Locale.ROOT))) {
            throw new ToolException("'" + name + "' is a name Proxmox reserves; choose another snapshot name.");
        }
        checkActionable(guest, "snapshot");
        Tree tree = tree(call, guest);
        if (tree.find(name) != null) {
            throw new ToolException(title(guest) + " already has a snapshot '" + name + "' ("
                    + tree.find(name).when() + "); choose another name, or delete that one first with "
                    + "proxmox_snapshot_delete.");
        }
        boolean ramAsked = call.arguments().bool("ram", false);
        if (ramAsked && !guest.type().equals("qemu")) {
            throw new ToolException("Containers have no RAM state Proxmox can save; leave out ram to snapshot "
                    + name(guest) + ".");
        }
        Map<String, Object> feature = Json.map(call.proxmox().get(guest.path("/feature"),
                guest.params(Map.of("feature", "snapshot"))).join());
        if (!Json.bool(feature, "hasFeature", false)) {
            throw new ToolException("The storage of " + name(guest) + " cannot take snapshots (a raw disk on a "
                    + "directory, NFS or plain LVM storage, for example). Back it up instead, or move its disks to a "
                    + "storage with snapshots (LVM-thin, ZFS, Ceph RBD, or qcow2 on a directory).");
        }
        boolean ram = ramAsked && "running".equals(guest.status());
        String note = ramAsked && !ram ? " " + title(guest) + " is not running, so there is no RAM to save." : "";
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("snapname", name);
        String description = call.arguments().string("description", null);
        if (description != null && !description.isBlank()) {
            params.put("description", description);
        }
        if (ram) {
            params.put("vmstate", 1);
        }
        return new Plan(guest, name, params, ram, note);
    }

    @Override
    public Preview preview(ToolCall call) {
        Plan p = plan(call);
        return new Preview("Take snapshot '" + p.name + "' of " + name(p.guest) + " on " + p.guest.node()
                + (p.ram ? ", with its RAM (the VM runs on, slowed while the RAM is written)." : ".") + p.note,
                List.of(target(call, p.guest)), List.of(new Preview.Request("POST", concretePath(p.guest, "/snapshot"),
                        p.params)), title(p.guest) + " has snapshot '" + p.name + "'; its current state follows it.",
                true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        String what = "Taking snapshot '" + p.name + "' of " + name(p.guest);
        Object answer = call.proxmox().post(p.guest.path("/snapshot"), p.guest.params(p.params)).join();
        TaskResult task = follow(call, answer, what, (int) call.arguments().integer("timeout", 300));
        Map<String, Object> out = result(p.guest, p.name, task);
        out.put("ram", p.ram);
        if (task.running()) {
            return ToolResult.of(stillRunning(what, task), out);
        }
        return ToolResult.of("Took snapshot '" + p.name + "' of " + name(p.guest) + " on " + p.guest.node()
                + (p.ram ? " with its RAM" : "") + " in " + Math.round(task.elapsed().toMillis() / 100.0) / 10.0
                + " s." + p.note + " Roll back to it with proxmox_snapshot_rollback.", out);
    }
}
