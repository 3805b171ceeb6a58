package io.pvemcp.tools.guest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.TaskResult;

/**
 * Deletes a guest and its disks, and waits until Proxmox is done. Refuses a running guest unless told to stop
 * it first, and a protected one ({@code protection: 1}) always.
 */
public abstract class GuestDeleteTool extends GuestTool {

    private static final int DEFAULT_TIMEOUT = 180;

    private final Map<String, Object> input;
    private final Map<String, Object> output;

    /** @param type the guest type */
    protected GuestDeleteTool(GuestType type) {
        super(type);
        this.input = JsonSchema.object()
                .required("vmid", vmidSchema(type))
                .optional("node", guestNodeSchema())
                .optional("stop_first", JsonSchema.bool().defaultValue(false).description("Stop it first if it runs"))
                .optional("purge", JsonSchema.bool().defaultValue(true).description(
                        "Also drop it from jobs, replication, HA"))
                .optional("destroy_unreferenced_disks", JsonSchema.bool().defaultValue(false).description(
                        "Also destroy unreferenced disks with its VMID"))
                .optional("timeout", timeoutSchema(DEFAULT_TIMEOUT, "Seconds"))
                .build();
        this.output = JsonSchema.object()
                .required("vmid", JsonSchema.integer())
                .required("name", JsonSchema.string())
                .required("node", JsonSchema.string())
                .required("deleted", JsonSchema.bool())
                .required("stopped_first", JsonSchema.bool())
                .optional("task", taskSchema())
                .build();
    }

    @Override
    public Map<String, Object> inputSchema() {
        return input;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return output;
    }

    @Override
    public Map<String, String> additionalScopes(Arguments arguments) {
        return arguments.bool("stop_first", false) ? Map.of(Scopes.POWER, "stop_first=true stops the " + type.noun()
                + " if it runs") : Map.of();
    }

    @Override
    public Preview preview(ToolCall call) {
        GuestRef guest = locate(call);
        checkActionable(guest, "delete");
        Map<String, Object> config = Json.map(call.proxmox().get(guest.path("/config"), guest.params()).join());
        Preview.Target target = target(call, guest, config);
        String title = title(guest);
        if (target.protection()) {
            throw new ToolException(title + " is protected (protection is on), so Proxmox refuses to delete it. If it "
                    + "really should go, turn protection off in Proxmox (Options > Protection) first.");
        }
        boolean running = !"stopped".equals(guest.status());
        if (running && !call.arguments().bool("stop_first", false)) {
            throw new ToolException(title + " is running; a running " + type.noun() + " is not deleted. Stop it "
                    + "first (" + type.toolPrefix() + "_shutdown or " + type.toolPrefix() + "_stop), or call "
                    + "again with stop_first=true.");
        }
        List<String> volumes = new java.util.ArrayList<>();
        for (var e : config.entrySet()) {
            String v = String.valueOf(e.getValue());
            if (e.getKey().matches("(scsi|virtio|sata|ide|efidisk|tpmstate|unused|mp)\\d+|rootfs")
                    && !v.contains("media=cdrom") && !v.startsWith("none")) {
                volumes.add(e.getKey() + " " + v.split(",")[0]);
            }
        }
        List<Preview.Request> requests = new java.util.ArrayList<>();
        if (running) {
            requests.add(new Preview.Request("POST", concretePath(guest, "/status/stop"), Map.of()));
        }
        requests.add(new Preview.Request("DELETE", concretePath(guest, ""), params(call)));
        return new Preview("Delete " + name(guest) + " on " + guest.node() + " for good, with "
                + (volumes.isEmpty() ? "no disks" : "its disks (" + String.join(", ", volumes) + ")") + "."
                + (running ? " It is running and will be stopped first." : ""), List.of(target), requests, title
                + " no longer exists.", false, running);
    }

    private static Map<String, Object> params(ToolCall call) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("purge", call.arguments().bool("purge", true) ? 1 : 0);
        if (call.arguments().bool("destroy_unreferenced_disks", false)) {
            params.put("destroy-unreferenced-disks", 1);
        }
        return params;
    }

    @Override
    public ToolResult call(ToolCall call) throws Exception {
        GuestRef guest = locate(call);
        String name = name(guest);
        String title = title(guest);
        checkActionable(guest, "delete");
        Map<String, Object> config = Json.map(call.proxmox().get(guest.path("/config"), guest.params()).join());
        if (Json.bool(config, "protection", false)) {
            throw new ToolException(title + " is protected (protection is on), so Proxmox refuses to delete it. If it "
                    + "really should go, turn protection off in Proxmox (Options > Protection) first.");
        }
        Duration timeout = seconds(call, "timeout", DEFAULT_TIMEOUT);
        boolean stopped = false;
        if (!"stopped".equals(currentStatus(call, guest))) {
            if (!call.arguments().bool("stop_first", false)) {
                throw new ToolException(title + " is running; a running " + type.noun() + " is not deleted. Stop it "
                        + "first (" + type.toolPrefix() + "_shutdown or " + type.toolPrefix() + "_stop), or call "
                        + "again with stop_first=true.");
            }
            String what = "Stopping " + name;
            TaskResult stop = call.followTask(upid(call.proxmox().post(guest.path("/status/stop"),
                    guest.params()).join(), what), timeout, what);
            if (stop.running()) {
                return ToolResult.error(stillRunning(what, stop) + " It was not deleted.");
            }
            if (stop.failed()) {
                return ToolResult.error(failure(what, stop) + " It was not deleted.");
            }
            stopped = true;
        }
        Map<String, Object> params = params(call);
        String what = "Deleting " + name;
        TaskResult task = call.followTask(upid(call.proxmox().delete(guest.path(""), guest.params(params)).join(),
                what), timeout, what);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vmid", guest.vmid());
        out.put("name", guest.name() == null ? "" : guest.name());
        out.put("node", guest.node());
        out.put("deleted", task.succeeded());
        out.put("stopped_first", stopped);
        out.put("task", describe(task));
        if (task.running()) {
            return ToolResult.of(stillRunning(what, task), out);
        }
        if (task.failed()) {
            return ToolResult.error(failure(what, task) + (stopped ? " It was stopped before." : ""));
        }
        return ToolResult.of(title + " on " + guest.node() + " is deleted" + (stopped ? " (it was stopped first)" : "")
                + ", with its disks.", out);
    }
}
