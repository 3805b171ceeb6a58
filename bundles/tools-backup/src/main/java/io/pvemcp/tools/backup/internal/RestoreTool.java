package io.pvemcp.tools.backup.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.Guests;
import io.pvemcp.api.pve.TaskResult;
import io.pvemcp.tools.guest.ConfigDiff;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.Placement;
import io.pvemcp.tools.guest.StorageScan;

/** Restores a backup, as a new guest or over an existing one; the two differ in risk and in what they check. */
abstract class RestoreTool extends GuestTool {

    private final boolean over;
    private final Map<String, Object> input;

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("vmid", JsonSchema.integer())
            .required("type", JsonSchema.string().enumValues("qemu", "lxc"))
            .required("node", JsonSchema.string())
            .required("name", JsonSchema.string())
            .required("status", JsonSchema.string())
            .required("from", JsonSchema.string().description("the backup's volid"))
            .optional("task", taskSchema())
            .build();

    RestoreTool(boolean over) {
        super();
        this.over = over;
        JsonSchema in = JsonSchema.object()
                .required("archive", JsonSchema.string().pattern("^[a-zA-Z][a-zA-Z0-9._-]+:.+$").maxLength(512)
                        .description("The backup's volid (proxmox_backup_list)"));
        if (over) {
            in.required("vmid", vmidSchema(null).description("The guest to overwrite"));
        } else {
            in.optional("vmid", vmidSchema(null).description("Default: the next free"))
                    .optional("node", nodeSchema("Default: the original's, else most free memory"))
                    .optional("pool", JsonSchema.string().pattern("^[A-Za-z0-9._/-]{1,64}$"));
        }
        in.optional("storage", StorageScan.storageSchema("Storage for its disks (default: the backup's)"))
                .optional("unique", JsonSchema.bool().defaultValue(!over).description("New MAC addresses"))
                .optional("start", JsonSchema.bool().defaultValue(false))
                .optional("timeout", timeoutSchema(1800, "Seconds"));
        this.input = in.build();
    }

    @Override
    public Map<String, Object> inputSchema() {
        return input;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    private record Plan(Backups.Found backup, Map<String, Object> config, int vmid, String node,
            Map<String, Object> params, GuestRef existing, List<ConfigDiff.Change> changes) {
    }

    private Plan plan(ToolCall call) {
        var args = call.arguments();
        Backups.Found b = Backups.find(call, args.string("archive"), null);
        Map<String, Object> config = Backups.config(call, b);
        String type = b.type();
        GuestRef existing = null;
        int vmid;
        String node;
        if (over) {
            vmid = (int) args.integer("vmid");
            existing = Guests.locate(call.proxmox(), vmid, null, null).join();
            if (!existing.type().equals(type)) {
                throw new ToolException("VMID " + vmid + " is a " + (existing.type().equals("qemu") ? "VM" : "container")
                        + ", but " + b.volid() + " holds a " + b.noun() + "; a backup restores over a guest of its "
                        + "own kind only.");
            }
            checkActionable(existing, "restore over");
            if ("running".equals(existing.status())) {
                throw new ToolException(title(existing) + " is running; Proxmox restores only over a stopped guest. "
                        + "Shut it down first (" + (type.equals("qemu") ? "proxmox_vm_shutdown" : "proxmox_ct_shutdown")
                        + ").");
            }
            Map<String, Object> current = Json.map(call.proxmox().get(existing.path("/config"), existing.params())
                    .join());
            if (Json.bool(current, "protection", false)) {
                throw new ToolException(title(existing) + " has protection on; Proxmox refuses to overwrite it. "
                        + "Turn protection off first if it is really to be replaced.");
            }
            node = existing.node();
            if (!b.place().shared() && !b.place().node().equals(node)) {
                throw new ToolException(b.volid() + " is on local storage of " + b.place().node() + ", but "
                        + name(existing) + " is on " + node + "; restore it as a new guest on " + b.place().node()
                        + " instead.");
            }
            return finish(call, b, config, vmid, node, existing, ConfigDiff.between(current, config));
        }
        Long requested = args.has("vmid") ? args.integer("vmid") : null;
        try {
            vmid = Placement.vmid(call.proxmox(), requested);
        } catch (ToolException e) {
            throw new ToolException(e.getMessage() + " To replace that guest with the backup, use "
                    + "proxmox_backup_restore_over.");
        }
        String wanted = args.string("node", null);
        if (!b.place().shared()) {
            if (wanted != null && !wanted.equals(b.place().node())) {
                throw new ToolException(b.volid() + " is on local storage of " + b.place().node() + ", so it can be "
                        + "restored there only; leave out node or use a backup on shared storage.");
            }
            node = Placement.node(call.proxmox(), b.place().node());
        } else if (wanted != null) {
            node = Placement.node(call.proxmox(), wanted);
        } else {
            node = null;
            for (Object o : Json.list(call.proxmox().get("/cluster/resources", Map.of("type", "vm")).join())) {
                Map<String, Object> r = Json.map(o);
                if (Json.longValue(r, "vmid", -1) == b.vmid() && !"unknown".equals(r.get("status"))) {
                    node = Json.string(r, "node");
                }
            }
            node = Placement.node(call.proxmox(), node);
        }
        return finish(call, b, config, vmid, node, null, List.of());
    }

    private Plan finish(ToolCall call, Backups.Found b, Map<String, Object> config, int vmid, String node,
            GuestRef existing, List<ConfigDiff.Change> changes) {
        var args = call.arguments();
        String content = b.type().equals("qemu") ? "images" : "rootdir";
        String storage = args.string("storage", null);
        if (storage == null) {
            for (Map.Entry<String, Object> e : config.entrySet()) {
                String v = String.valueOf(e.getValue());
                if (e.getKey().matches("(scsi|virtio|sata|ide|rootfs)\\d*") && !v.contains("media=cdrom")
                        && v.contains(":")) {
                    storage = v.substring(0, v.indexOf(':'));
                    break;
                }
            }
            try {
                storage = Placement.storage(call.proxmox(), node, content, storage);
            } catch (ToolException e) {
                storage = Placement.storage(call.proxmox(), node, content, null);
            }
        } else {
            storage = Placement.storage(call.proxmox(), node, content, storage);
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("vmid", vmid);
        if (b.type().equals("qemu")) {
            params.put("archive", b.volid());
        } else {
            params.put("ostemplate", b.volid());
            params.put("restore", 1);
        }
        params.put("storage", storage);
        if (args.bool("unique", !over)) {
            params.put("unique", 1);
        }
        if (args.bool("start", false)) {
            params.put("start", 1);
        }
        if (args.has("pool")) {
            params.put("pool", args.string("pool"));
        }
        if (over) {
            params.put("force", 1);
        }
        return new Plan(b, config, vmid, node, params, existing, changes);
    }

    private String original(Plan p) {
        return p.backup().noun() + " " + p.backup().vmid() + " (" + Backups.picture(p.backup().type(), p.config())
                + ")";
    }

    @Override
    public Preview preview(ToolCall call) {
        Plan p = plan(call);
        String path = "/nodes/" + p.node() + "/" + p.backup().type();
        Preview.Request request = new Preview.Request("POST", path, p.params());
        if (p.existing() != null) {
            return new Preview("Replace " + name(p.existing()) + " on " + p.node() + " with backup " + p.backup().volid()
                    + " " + p.backup().when() + " of " + original(p) + ". Lost for good: its disks as they are now "
                    + "(everything written since that backup) and its snapshots" + (p.changes().isEmpty() ? ""
                            : "; configuration changes back: " + ConfigDiff.summary(p.changes(), 6)) + ".",
                    List.of(target(call, p.existing())), List.of(request), title(p.existing()) + " is as it was "
                            + p.backup().when() + ".", false, false);
        }
        return new Preview("Restore backup " + p.backup().volid() + " " + p.backup().when() + " of " + original(p)
                + " as new " + p.backup().noun() + " " + p.vmid() + " on " + p.node() + ", disks on "
                + p.params().get("storage") + (p.params().containsKey("unique") ? ", with new MAC addresses" : "")
                + ".", List.of(new Preview.Target(p.backup().type(), (long) p.vmid(), null, p.node(), null, List.of(),
                        (String) p.params().get("pool"), null, false)), List.of(request),
                p.backup().noun() + " " + p.vmid() + " exists on " + p.node() + ".", true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        String what = "Restoring " + p.backup().volid() + " as " + p.backup().noun() + " " + p.vmid();
        Map<String, Object> params = new LinkedHashMap<>(p.params());
        params.put("node", p.node());
        Object answer = call.proxmox().post("/nodes/{node}/" + p.backup().type(), params).join();
        TaskResult task = call.followTask(upid(answer, what), Duration.ofSeconds(call.arguments().integer("timeout",
                1800)), what);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vmid", p.vmid());
        out.put("type", p.backup().type());
        out.put("node", p.node());
        Object name = p.config().get(p.backup().type().equals("qemu") ? "name" : "hostname");
        out.put("name", name == null ? "" : String.valueOf(name));
        out.put("from", p.backup().volid());
        out.put("task", describe(task));
        if (task.running()) {
            out.put("status", "restoring");
            return ToolResult.of(stillRunning(what, task), out);
        }
        if (task.failed()) {
            throw new ToolException(failure(what, task));
        }
        GuestRef restored = Guests.locate(call.proxmox(), p.vmid(), p.backup().type(), p.node()).join();
        out.put("status", restored.status());
        return ToolResult.of(title(restored) + " is restored on " + p.node() + " from " + p.backup().volid() + " "
                + p.backup().when() + " and " + restored.status() + " (" + Math.round(task.elapsed().toMillis()
                        / 100.0) / 10.0 + " s)." + (p.existing() != null && !p.changes().isEmpty()
                                ? " Configuration changed back: " + ConfigDiff.summary(p.changes(), 8) + "." : ""),
                out);
    }
}
