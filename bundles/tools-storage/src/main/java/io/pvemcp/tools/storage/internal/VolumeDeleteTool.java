package io.pvemcp.tools.storage.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import io.pvemcp.api.pve.TaskResult;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.StorageScan;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_volume_delete", title = "Delete a volume", risk = Risk.DESTROY, category = "storage",
        scope = Scopes.DESTROY, idempotent = true, description = "Deletes a volume for good (ISO, template, backup, "
                + "unused disk); refuses protected backups and what a guest uses.")
public final class VolumeDeleteTool implements Tool {

    /** The guest configuration keys that hold a volume. */
    private static final String DISK_KEY = "(ide|sata|scsi|virtio|efidisk|tpmstate|rootfs|mp)\\d*";

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("volume", JsonSchema.string().pattern("^[a-zA-Z][a-zA-Z0-9._-]+:.+$").maxLength(512)
                    .description("Volid from proxmox_storage_content"))
            .optional("node", GuestTool.nodeSchema("For local storage; found if left out"))
            .optional("timeout", GuestTool.timeoutSchema(120, "Seconds"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("volid", JsonSchema.string())
            .required("deleted", JsonSchema.bool().description("false if it did not exist"))
            .optional("node", JsonSchema.string())
            .optional("task", GuestTool.taskSchema())
            .build();

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    private record Found(StorageScan.Place place, Map<String, Object> volume) {
    }

    /** @return where the volume is, or {@code null} if nowhere */
    private static Found find(ToolCall call, String volid) {
        String storage = StorageScan.storageOf(volid);
        String node = call.arguments().string("node", null);
        Set<String> offline = new LinkedHashSet<>();
        List<StorageScan.Place> places = StorageScan.places(call, node, storage, null, offline);
        if (places.isEmpty()) {
            throw new ToolException("There is no storage '" + storage + "'" + (node == null ? "" : " on " + node)
                    + ". proxmox_storage_list shows the storages.");
        }
        List<Found> found = new ArrayList<>();
        for (StorageScan.Place p : places) {
            if (!p.available()) {
                continue;
            }
            for (Map<String, Object> v : StorageScan.content(call, p, null, null)) {
                if (volid.equals(v.get("volid"))) {
                    found.add(new Found(p, v));
                }
            }
        }
        if (found.size() > 1) {
            throw new ToolException(volid + " exists on " + found.size() + " nodes (" + String.join(", ",
                    found.stream().map(f -> f.place().node()).toList()) + "); say which with node.");
        }
        if (found.isEmpty() && !offline.isEmpty()) {
            throw new ToolException(volid + " is not on any node that answers; node " + String.join(", ", offline)
                    + " is offline, so it cannot be checked there.");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    private static String describe(Map<String, Object> v) {
        String content = String.valueOf(v.get("content"));
        String kind = switch (content) {
            case "iso" -> "ISO image";
            case "vztmpl" -> "container template";
            case "backup" -> "backup";
            case "images", "rootdir" -> "disk image";
            default -> content + " volume";
        };
        return kind + " " + v.get("volid") + " (" + v.get("size") + (v.get("created") == null ? ""
                : ", " + ((String) v.get("created")).substring(0, 10)) + (v.get("vmid") == null ? ""
                        : ", of VMID " + v.get("vmid")) + (v.get("notes") == null ? "" : ", \"" + v.get("notes") + "\"")
                + ")";
    }

    /** Refuses what must not be deleted; @return a note on what the deletion leaves, or an empty string */
    private static String check(ToolCall call, Found f) {
        Map<String, Object> v = f.volume();
        String volid = (String) v.get("volid");
        if (Boolean.TRUE.equals(v.get("protected"))) {
            throw new ToolException("Backup " + volid + " is protected; Proxmox refuses to delete it. Remove its "
                    + "protection first if it is really to go.");
        }
        String content = String.valueOf(v.get("content"));
        List<Map<String, Object>> guests = new ArrayList<>();
        for (Object o : Json.list(call.proxmox().get("/cluster/resources", Map.of("type", "vm")).join())) {
            Map<String, Object> r = Json.map(o);
            boolean owner = v.get("vmid") != null && Json.longValue(r, "vmid", -1) == (Long) v.get("vmid");
            boolean reachable = !"unknown".equals(r.get("status")) && (f.place().shared()
                    || f.place().node().equals(r.get("node")));
            if (reachable && (owner && (content.equals("images") || content.equals("rootdir"))
                    || content.equals("iso") && "qemu".equals(r.get("type")))) {
                guests.add(r);
            }
        }
        if (guests.size() > 200) {
            return " " + guests.size() + " VMs could use it; they were not all checked.";
        }
        for (Map<String, Object> g : guests) {
            Map<String, Object> config = Json.map(call.proxmox().get("/nodes/{node}/" + Json.string(g, "type")
                    + "/{vmid}/config", Map.of("node", Json.string(g, "node"), "vmid", Json.longValue(g, "vmid", 0)))
                    .join());
            for (Map.Entry<String, Object> e : config.entrySet()) {
                String value = String.valueOf(e.getValue());
                if (!(value.equals(volid) || value.startsWith(volid + ","))) {
                    continue;
                }
                String who = ("qemu".equals(g.get("type")) ? "VM " : "container ") + g.get("vmid");
                if (e.getKey().matches(DISK_KEY)) {
                    throw new ToolException(volid + " is in use as " + e.getKey() + " of " + who + (content.equals(
                            "iso") ? "; eject it there first (set " + e.getKey() + " to none,media=cdrom)."
                                    : "; detach it from the guest, or delete the guest, first."));
                }
                if (e.getKey().startsWith("unused")) {
                    return " It was listed as " + e.getKey() + " (detached disk) of " + who + ".";
                }
            }
        }
        return "";
    }

    @Override
    public Preview preview(ToolCall call) {
        String volid = call.arguments().string("volume");
        Found f = find(call, volid);
        if (f == null) {
            return new Preview("Nothing: " + volid + " does not exist.", List.of(), List.of(), "Unchanged.", true,
                    false);
        }
        String note = check(call, f);
        return new Preview("Delete the " + describe(f.volume()) + " from storage " + f.place().storage()
                + (f.place().shared() ? "" : " on " + f.place().node()) + " for good." + note, List.of(),
                List.of(new Preview.Request("DELETE", "/nodes/" + f.place().node() + "/storage/"
                        + f.place().storage() + "/content/" + volid, Map.of())), volid + " is gone.", false, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        String volid = call.arguments().string("volume");
        Found f = find(call, volid);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("volid", volid);
        if (f == null) {
            out.put("deleted", false);
            return ToolResult.of(volid + " does not exist; nothing to delete.", out);
        }
        String note = check(call, f);
        out.put("node", f.place().node());
        String what = "Deleting " + volid;
        Object answer = call.proxmox().delete("/nodes/{node}/storage/{storage}/content/{volume}", Map.of("node",
                f.place().node(), "storage", f.place().storage(), "volume", volid)).join();
        if (answer == null) {
            out.put("deleted", true);
            return ToolResult.of("Deleted the " + describe(f.volume()) + "." + note, out);
        }
        TaskResult task = call.followTask(GuestTool.upid(answer, what), Duration.ofSeconds(call.arguments()
                .integer("timeout", 120)), what);
        out.put("task", GuestTool.describe(task));
        if (task.running()) {
            out.put("deleted", false);
            return ToolResult.of(GuestTool.stillRunning(what, task), out);
        }
        if (task.failed()) {
            throw new ToolException(GuestTool.failure(what, task));
        }
        out.put("deleted", true);
        return ToolResult.of("Deleted the " + describe(f.volume()) + " from " + f.place().storage()
                + (f.place().shared() ? "" : " on " + f.place().node()) + "." + note, out);
    }
}
