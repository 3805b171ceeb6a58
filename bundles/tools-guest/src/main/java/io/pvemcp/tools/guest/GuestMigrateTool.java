package io.pvemcp.tools.guest;

import java.util.ArrayList;
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

/**
 * Moves a guest to another node. A running VM migrates live (online), copying local disks when it has them; a
 * running container is shut down, moved and started again (restart migration); a stopped guest moves offline.
 * What Proxmox says first ({@code GET .../migrate}) decides: nodes that cannot take it are refused with the reason.
 */
public abstract class GuestMigrateTool extends GuestTool {

    private final Map<String, Object> input;

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("vmid", JsonSchema.integer())
            .required("from", JsonSchema.string())
            .required("node", JsonSchema.string().description("where it is now"))
            .required("status", JsonSchema.string())
            .required("mode", JsonSchema.string().enumValues("online", "restart", "offline"))
            .optional("task", taskSchema())
            .build();

    /** @param type the guest type */
    protected GuestMigrateTool(GuestType type) {
        super(type);
        this.input = JsonSchema.object()
                .required("vmid", vmidSchema(type))
                .required("target", nodeSchema("Node to move it to"))
                .optional("target_storage", StorageScan.storageSchema(
                        "Target storage for local disks (default: same)"))
                .optional("offline", JsonSchema.bool().defaultValue(false).description(type == GuestType.VM
                        ? "Refuse to move it while it runs" : "Refuse to restart it while it runs"))
                .optional("node", guestNodeSchema())
                .optional("timeout", timeoutSchema(1800, "Seconds"))
                .build();
    }

    @Override
    public Map<String, Object> inputSchema() {
        return input;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    private record Plan(GuestRef guest, String target, String mode, Map<String, Object> params, List<String> local) {
    }

    @SuppressWarnings("unchecked")
    private Plan plan(ToolCall call) {
        var args = call.arguments();
        GuestRef guest = locate(call);
        String target = args.string("target");
        if (target.equals(guest.node())) {
            throw new ToolException(title(guest) + " is already on " + target + "; nothing to move.");
        }
        checkActionable(guest, "migrate");
        Placement.node(call.proxmox(), target);
        Map<String, Object> pre = Json.map(call.proxmox().get(guest.path("/migrate"), guest.params(Map.of("target",
                target))).join());
        Object allowed = pre.containsKey("allowed_nodes") ? pre.get("allowed_nodes") : pre.get("allowed-nodes");
        Object refused = pre.containsKey("not_allowed_nodes") ? pre.get("not_allowed_nodes") : pre.get("not-allowed-nodes");
        if (allowed instanceof List<?> nodes && !nodes.contains(target)) {
            String why = refused instanceof Map<?, ?> m && m.get(target) != null ? String.valueOf(m.get(target))
                    .replace('=', ' ').replaceAll("[{}\\[\\]]", "") : "Proxmox does not allow it";
            throw new ToolException(title(guest) + " cannot move to " + target + ": " + why + ". Nodes it can move to: "
                    + (nodes.isEmpty() ? "none" : String.join(", ", (List<String>) nodes)) + ".");
        }
        List<String> local = new ArrayList<>();
        if (pre.get("local_disks") instanceof List<?> disks) {
            for (Object d : disks) {
                local.add(String.valueOf(Json.map(d).get("volid")));
            }
        }
        boolean running = "running".equals(guest.status());
        if (running && args.bool("offline", false)) {
            throw new ToolException(title(guest) + " is running and offline was asked; shut it down first ("
                    + type.toolPrefix() + "_shutdown), or leave out offline.");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("target", target);
        String mode = "offline";
        if (running && type == GuestType.VM) {
            mode = "online";
            params.put("online", 1);
            if (!local.isEmpty()) {
                params.put("with-local-disks", 1);
            }
        } else if (running) {
            mode = "restart";
            params.put("restart", 1);
        }
        if (args.has("target_storage")) {
            if (local.isEmpty()) {
                throw new ToolException(title(guest) + " has no local disks; its disks stay on shared storage, so "
                        + "leave out target_storage.");
            }
            params.put(type == GuestType.VM ? "targetstorage" : "target-storage", Placement.storage(call.proxmox(),
                    target, type == GuestType.VM ? "images" : "rootdir", args.string("target_storage")));
        }
        return new Plan(guest, target, mode, params, local);
    }

    @Override
    public Preview preview(ToolCall call) {
        Plan p = plan(call);
        String how = switch (p.mode) {
            case "online" -> " live: it keeps running" + (p.local.isEmpty() ? "" : ", its local disks ("
                    + String.join(", ", p.local) + ") are copied while it runs");
            case "restart" -> ": it is shut down, moved and started again (a short outage)";
            default -> " while stopped" + (p.local.isEmpty() ? "" : "; its local disks (" + String.join(", ", p.local)
                    + ") are copied");
        };
        Object to = p.params.containsKey("targetstorage") ? p.params.get("targetstorage")
                : p.params.get("target-storage");
        return new Preview("Move " + name(p.guest) + " from " + p.guest.node() + " to " + p.target + how
                + (to == null ? "" : "; its local disks go to " + to) + ".",
                List.of(target(call, p.guest)), List.of(new Preview.Request("POST", concretePath(p.guest, "/migrate"),
                        p.params)), title(p.guest) + " is on " + p.target + ", " + p.guest.status() + ".", true,
                p.mode.equals("restart"));
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        String what = "Migrating " + name(p.guest) + " to " + p.target;
        Object answer = call.proxmox().post(p.guest.path("/migrate"), p.guest.params(p.params)).join();
        TaskResult task = call.followTask(upid(answer, what), seconds(call, "timeout", 1800), what);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vmid", p.guest.vmid());
        out.put("from", p.guest.node());
        out.put("mode", p.mode);
        out.put("task", describe(task));
        if (task.running()) {
            out.put("node", p.guest.node());
            out.put("status", "migrating");
            return ToolResult.of(stillRunning(what, task), out);
        }
        if (task.failed()) {
            throw new ToolException(failure(what, task));
        }
        GuestRef now = Guests.locate(call.proxmox(), p.guest.vmid(), type.api(), null).join();
        out.put("node", now.node());
        out.put("status", now.status());
        if (!now.node().equals(p.target)) {
            return ToolResult.of("The migration task of " + name(p.guest) + " ended, but it is still on " + now.node()
                    + " (an HA-managed guest moves when the HA manager acts). Check with " + type.toolPrefix()
                    + "_get_info.", out);
        }
        return ToolResult.of(title(now) + " moved from " + p.guest.node() + " to " + now.node() + " (" + p.mode + ", "
                + Math.round(task.elapsed().toMillis() / 100.0) / 10.0 + " s) and is " + now.status() + ".", out);
    }
}
