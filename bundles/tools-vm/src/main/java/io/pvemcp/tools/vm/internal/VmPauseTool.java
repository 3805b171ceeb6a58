package io.pvemcp.tools.vm.internal;

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
import io.pvemcp.api.pve.TaskResult;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.GuestType;

/** Suspends a running VM (paused in RAM, or hibernated to disk) or resumes one. */
abstract class VmPauseTool extends GuestTool {

    private final boolean suspend;
    private final Map<String, Object> input;

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("vmid", JsonSchema.integer())
            .required("node", JsonSchema.string())
            .required("state", JsonSchema.string().enumValues("running", "paused", "hibernated", "changing"))
            .required("changed", JsonSchema.bool())
            .optional("task", taskSchema())
            .build();

    VmPauseTool(boolean suspend) {
        super(GuestType.VM);
        this.suspend = suspend;
        JsonSchema in = JsonSchema.object().required("vmid", vmidSchema(GuestType.VM));
        if (suspend) {
            in.optional("to_disk", JsonSchema.bool().defaultValue(false).description(
                    "Hibernate: RAM to disk, then stop"));
        }
        this.input = in.optional("node", guestNodeSchema()).optional("timeout", timeoutSchema(120, "Seconds"))
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

    /** @return running, paused or hibernated */
    private String state(ToolCall call, GuestRef guest) {
        if ("suspended".equals(guest.lock())) {
            return "hibernated";
        }
        Map<String, Object> s = Json.map(call.proxmox().get(guest.path("/status/current"), guest.params()).join());
        if (!"running".equals(s.get("status"))) {
            return "stopped";
        }
        return "paused".equals(s.get("qmpstatus")) || "suspended".equals(s.get("qmpstatus")) ? "paused" : "running";
    }

    private record Plan(GuestRef guest, String state, String path, Map<String, Object> params) {
    }

    private Plan plan(ToolCall call) {
        GuestRef guest = locate(call);
        String state = state(call, guest);
        if (state.equals("stopped")) {
            throw new ToolException(title(guest) + " is stopped, so there is nothing to " + (suspend ? "suspend"
                    : "resume") + "; start it with proxmox_vm_start.");
        }
        if (!state.equals("hibernated")) {
            checkActionable(guest, suspend ? "suspend" : "resume");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        if (suspend && call.arguments().bool("to_disk", false)) {
            params.put("todisk", 1);
        }
        return new Plan(guest, state, state.equals("hibernated") && !suspend ? "/status/start" : suspend
                ? "/status/suspend" : "/status/resume", params);
    }

    private boolean noop(Plan p) {
        return suspend ? !p.state.equals("running") : p.state.equals("running");
    }

    @Override
    public Preview preview(ToolCall call) {
        Plan p = plan(call);
        if (noop(p)) {
            return new Preview("Nothing: " + name(p.guest) + " is " + p.state + ".", List.of(target(call, p.guest)),
                    List.of(), "Unchanged.", true, false);
        }
        String summary = !suspend ? "Resume " + name(p.guest) + " (" + p.state + ") on " + p.guest.node() + "."
                : p.params.containsKey("todisk") ? "Hibernate " + name(p.guest) + ": its RAM is saved to disk and it "
                        + "stops; proxmox_vm_resume brings it back where it was."
                        : "Pause " + name(p.guest) + " in RAM: it stops running (its services do not answer) until "
                                + "proxmox_vm_resume.";
        return new Preview(summary, List.of(target(call, p.guest)), List.of(new Preview.Request("POST",
                concretePath(p.guest, p.path), p.params)), title(p.guest) + " is " + (suspend ? p.params.containsKey(
                        "todisk") ? "hibernated" : "paused" : "running") + ".", true, suspend);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vmid", p.guest.vmid());
        out.put("node", p.guest.node());
        if (noop(p)) {
            out.put("state", p.state);
            out.put("changed", false);
            return ToolResult.of(title(p.guest) + " is already " + p.state + "; nothing to do.", out);
        }
        String what = (suspend ? "Suspending " : "Resuming ") + name(p.guest);
        Object answer = call.proxmox().post(p.guest.path(p.path), p.guest.params(p.params)).join();
        TaskResult task = call.followTask(upid(answer, what), seconds(call, "timeout", 120), what);
        out.put("changed", true);
        out.put("task", describe(task));
        if (task.running()) {
            out.put("state", "changing");
            return ToolResult.of(stillRunning(what, task), out);
        }
        if (task.failed()) {
            throw new ToolException(failure(what, task));
        }
        GuestRef now = io.pvemcp.api.pve.Guests.locate(call.proxmox(), p.guest.vmid(), "qemu", p.guest.node()).join();
        String state = state(call, now);
        out.put("state", state.equals("stopped") ? "hibernated" : state);
        return ToolResult.of(title(p.guest) + " is " + out.get("state") + "." + (suspend ? " Resume it with "
                + "proxmox_vm_resume." : ""), out);
    }
}
