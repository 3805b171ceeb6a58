package io.pvemcp.tools.guest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.TaskResult;

/**
 * Starts, stops, shuts down or reboots a guest and waits until the Proxmox task ended. Idempotent where the
 * state says so: starting a running guest or stopping a stopped one changes nothing and says so.
 */
public abstract class GuestPowerTool extends GuestTool {

    /** A power action. */
    public enum Action {
        /** {@code status/start}: the guest runs afterwards. */
        START("start", "Starting", "running", 120),
        /** {@code status/stop}: pulls the plug; the guest is stopped afterwards. */
        STOP("stop", "Stopping", "stopped", 60),
        /** {@code status/shutdown}: asks the guest OS to shut down; stopped afterwards. */
        SHUTDOWN("shutdown", "Shutting down", "stopped", 120),
        /** {@code status/reboot}: shuts the guest down and starts it again; running afterwards. */
        REBOOT("reboot", "Rebooting", "running", 120);

        private final String verb;
        private final String doing;
        private final String target;
        private final int timeout;

        Action(String verb, String doing, String target, int timeout) {
            this.verb = verb;
            this.doing = doing;
            this.target = target;
            this.timeout = timeout;
        }

        /** @return the API's name of the action, e.g. {@code start} */
        public String verb() {
            return verb;
        }

        /** @return the state the guest is in afterwards: {@code running} or {@code stopped} */
        public String target() {
            return target;
        }
    }

    private final Action action;
    private final Map<String, Object> input;
    private final Map<String, Object> output;

    /**
     * @param type the guest type
     * @param action the action this tool performs
     */
    protected GuestPowerTool(GuestType type, Action action) {
        super(type);
        this.action = Objects.requireNonNull(action, "action");
        JsonSchema in = JsonSchema.object()
                .required("vmid", vmidSchema(type))
                .optional("node", guestNodeSchema());
        if (action == Action.SHUTDOWN || action == Action.REBOOT) {
            in.optional("timeout", timeoutSchema(action.timeout, "Seconds the OS gets to shut down"));
        } else {
            in.optional("timeout", timeoutSchema(action.timeout, "Seconds"));
        }
        if (action == Action.SHUTDOWN) {
            in.optional("force_stop", JsonSchema.bool().defaultValue(false).description(
                    "Stop it hard if still running after the timeout"));
        }
        this.input = in.build();
        this.output = JsonSchema.object()
                .required("vmid", JsonSchema.integer())
                .required("name", JsonSchema.string())
                .required("node", JsonSchema.string())
                .required("action", JsonSchema.string())
                .required("status", JsonSchema.string().description("The state afterwards: running, stopped, or "
                        + "still changing when the task outlasted the wait"))
                .required("changed", JsonSchema.bool().description("false if the " + type.noun()
                        + " already was in the requested state"))
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
    public Preview preview(ToolCall call) {
        GuestRef guest = locate(call);
        String noop = check(guest);
        Preview.Target target = target(call, guest);
        String title = title(guest);
        if (noop != null) {
            return new Preview("Nothing: " + noop, List.of(target), List.of(), title + " stays " + guest.status()
                    + ".", true, false);
        }
        Map<String, Object> params = params(call);
        String summary = switch (action) {
            case START -> "Start " + name(guest) + " on " + guest.node() + ".";
            case SHUTDOWN -> "Shut down " + name(guest) + " on " + guest.node() + " cleanly: its OS gets "
                    + params.get("timeout") + " s" + (params.containsKey("forceStop") ? ", then it is stopped hard."
                            : ".");
            case REBOOT -> "Reboot " + name(guest) + " on " + guest.node() + ": its OS shuts down and starts again.";
            case STOP -> "Stop " + name(guest) + " on " + guest.node() + " at once, like pulling the plug: what its OS "
                    + "has not written to disk is lost.";
        };
        return new Preview(summary, List.of(target), List.of(new Preview.Request("POST", concretePath(guest,
                "/status/" + action.verb), params)), title + " is " + action.target + ".", action != Action.STOP,
                action != Action.START);
    }

    /** @return why there is nothing to do, or {@code null}; throws for what cannot be done */
    private String check(GuestRef guest) {
        String title = title(guest);
        if (action == Action.START && guest.template()) {
            throw new ToolException(title + " is a template and cannot be started; clone it to get a "
                    + type.noun() + " you can start.");
        }
        if (guest.status().equals(action.target) && action != Action.REBOOT) {
            return title + " is already " + action.target + " on " + guest.node() + ".";
        }
        if (action == Action.REBOOT && guest.status().equals("stopped")) {
            throw new ToolException(title + " is not running, so it cannot be rebooted; start it with "
                    + type.toolPrefix() + "_start.");
        }
        checkActionable(guest, action.verb);
        return null;
    }

    private Map<String, Object> params(ToolCall call) {
        Map<String, Object> params = new LinkedHashMap<>();
        if (action == Action.SHUTDOWN || action == Action.REBOOT) {
            params.put("timeout", seconds(call, "timeout", action.timeout).toSeconds());
        }
        if (action == Action.SHUTDOWN && call.arguments().bool("force_stop", false)) {
            params.put("forceStop", 1);
        }
        return params;
    }

    @Override
    public ToolResult call(ToolCall call) throws Exception {
        GuestRef guest = locate(call);
        String name = name(guest);
        String title = title(guest);
        if (action == Action.START && guest.template()) {
            throw new ToolException(title + " is a template and cannot be started; clone it to get a "
                    + type.noun() + " you can start.");
        }
        if (guest.status().equals(action.target) && action != Action.REBOOT) {
            return ToolResult.of(title + " is already " + action.target + " on " + guest.node() + "; nothing to do.",
                    result(guest, guest.status(), false, null));
        }
        if (action == Action.REBOOT && guest.status().equals("stopped")) {
            throw new ToolException(title + " is not running, so it cannot be rebooted; start it with "
                    + type.toolPrefix() + "_start.");
        }
        checkActionable(guest, action.verb);
        Map<String, Object> params = new LinkedHashMap<>();
        Duration wait = seconds(call, "timeout", action.timeout);
        if (action == Action.SHUTDOWN || action == Action.REBOOT) {
            params.put("timeout", wait.toSeconds());
            wait = wait.plusSeconds(30);
        }
        if (action == Action.SHUTDOWN && call.arguments().bool("force_stop", false)) {
            params.put("forceStop", 1);
        }
        String what = action.doing + " " + name;
        Object upid = call.proxmox().post(guest.path("/status/" + action.verb), guest.params(params)).join();
        TaskResult task = call.followTask(upid(upid, what), wait, what);
        if (task.running()) {
            return ToolResult.of(stillRunning(what, task), result(guest, "changing", true, task));
        }
        if (task.failed()) {
            return ToolResult.error(failure(what, task));
        }
        String status = currentStatus(call, guest);
        String text = title + " is " + status + " on " + guest.node() + " (" + action.verb + " took "
                + Math.round(task.elapsed().toMillis() / 100.0) / 10.0 + " s)." + (task.warnings() > 0
                ? " The task finished with warnings: " + String.join(" | ", task.logTail(3)) : "");
        return ToolResult.of(text, result(guest, status, true, task));
    }

    private Map<String, Object> result(GuestRef guest, String status, boolean changed, TaskResult task) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vmid", guest.vmid());
        out.put("name", guest.name() == null ? "" : guest.name());
        out.put("node", guest.node());
        out.put("action", action.verb);
        out.put("status", status);
        out.put("changed", changed);
        if (task != null) {
            out.put("task", describe(task));
        }
        return out;
    }
}
