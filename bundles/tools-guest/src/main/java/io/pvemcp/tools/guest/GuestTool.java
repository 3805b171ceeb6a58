package io.pvemcp.tools.guest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.Guests;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.TaskResult;

/**
 * What every guest tool shares: the VMID and node arguments, finding the guest, the checks before an action,
 * and the description of a followed task.
 */
public abstract class GuestTool implements Tool {

    /** Compiled once: a list of 10,000 guests splits 10,000 tag strings. */
    private static final Pattern TAG_SEPARATORS = Pattern.compile("[;,\\s]+");

    /** The guest type this tool works on, or {@code null} for a tool that works on VMs and containers alike. */
    protected final GuestType type;

    /** @param type the guest type this tool works on */
    protected GuestTool(GuestType type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /** For a tool that works on VMs and containers alike: the VMID says which one it is. */
    protected GuestTool() {
        this.type = null;
    }

    /**
     * @param description what the name is for
     * @return the schema of a snapshot name as Proxmox accepts it (format {@code pve-configid}, at most 40
     *         characters); a new schema at each call, as a schema is changed by what is added to it
     * @since 1.2
     */
    public static JsonSchema snapshotNameSchema(String description) {
        return JsonSchema.string().pattern("^[a-zA-Z][a-zA-Z0-9_-]+$").maxLength(40).description(description);
    }

    /**
     * @param type the guest type, or {@code null} for either
     * @return the schema of the {@code vmid} argument: an integer from 100 to 999999999
     */
    public static JsonSchema vmidSchema(GuestType type) {
        return JsonSchema.integer().minimum(100).maximum(999_999_999);
    }

    /**
     * @return the schema of the optional {@code node} argument of a tool that finds its guest by VMID: when given,
     *         the guest must be there; without a description, as its name says it all to a model
     */
    public static JsonSchema guestNodeSchema() {
        return JsonSchema.string().pattern("^[a-zA-Z0-9-]{1,63}$");
    }

    /**
     * @param what what the node is for
     * @return the schema of a node name argument
     */
    public static JsonSchema nodeSchema(String what) {
        return JsonSchema.string().pattern("^[a-zA-Z0-9-]{1,63}$").description(what);
    }

    /**
     * @param fallback the default in seconds
     * @param what what the timeout limits, in seconds, e.g. {@code Seconds to wait}
     * @return the schema of a {@code timeout} argument in seconds
     */
    public static JsonSchema timeoutSchema(int fallback, String what) {
        return JsonSchema.integer().minimum(1).maximum(3600).defaultValue(fallback).description(what);
    }

    /** @return the schema of a followed task, as {@link #describe(TaskResult)} writes it */
    public static JsonSchema taskSchema() {
        return JsonSchema.object()
                .required("upid", JsonSchema.string())
                .required("running", JsonSchema.bool())
                .optional("exit_status", JsonSchema.anyOfTypes("string", "null"))
                .required("succeeded", JsonSchema.bool())
                .required("seconds", JsonSchema.number().minimum(0))
                .optional("log_tail", JsonSchema.array(JsonSchema.string()));
    }

    /**
     * @param task a followed task
     * @return its description for structured output, conforming to {@link #taskSchema()}
     */
    public static Map<String, Object> describe(TaskResult task) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("upid", task.upid().value());
        m.put("running", task.running());
        m.put("exit_status", task.exitStatus());
        m.put("succeeded", task.succeeded());
        m.put("seconds", Math.round(task.elapsed().toMillis() / 100.0) / 10.0);
        if (!task.running() && !"OK".equals(task.exitStatus())) {
            m.put("log_tail", task.logTail(10));
        }
        return m;
    }

    /**
     * @param what what the task did, e.g. {@code Starting VM 100}
     * @param task the task, which failed
     * @return a message for the model: the error and the last lines of the task log
     */
    public static String failure(String what, TaskResult task) {
        List<String> tail = task.logTail(8);
        return what + " failed: " + task.exitStatus() + " (task " + task.upid().value() + ")." + (tail.isEmpty() ? ""
                : " Last lines of the task log:\n" + String.join("\n", tail));
    }

    /**
     * @param what what the task does
     * @param task the task, still running
     * @return a message for the model that says how to follow it
     */
    public static String stillRunning(String what, TaskResult task) {
        return what + " is still running after " + task.elapsed().toSeconds() + " s; the task goes on in Proxmox. "
                + "Follow it with proxmox_task_status (upid " + task.upid().value() + ").";
    }

    /**
     * @param data what a call that starts a task answered
     * @param what what the call did, for the message
     * @return the task id
     * @throws ToolException if the answer is not a task id
     */
    public static String upid(Object data, String what) {
        if (!io.pvemcp.api.pve.Upid.isUpid(data)) {
            throw new ToolException(what + ": Proxmox answered '" + data + "' instead of a task id.");
        }
        return ((String) data).strip();
    }

    /**
     * Finds the guest the call's {@code vmid} (and optional {@code node}) argument names.
     *
     * @param call the call
     * @return the guest
     * @throws io.pvemcp.api.pve.ProxmoxException if it cannot be found; the message says what was searched
     */
    protected GuestRef locate(ToolCall call) {
        int vmid = (int) call.arguments().integer("vmid");
        String node = call.arguments().string("node", null);
        return Guests.locate(call.proxmox(), vmid, type == null ? null : type.api(), node).join();
    }

    /**
     * Refuses what Proxmox would refuse for an action on this guest, with a message that says what to do.
     *
     * @param guest the guest
     * @param action what the tool is about to do, e.g. {@code start}
     * @throws ToolException if the guest is a template (for power actions), locked, or on an offline node
     */
    protected void checkActionable(GuestRef guest, String action) {
        if ("unknown".equals(guest.status())) {
            throw new ToolException("Node " + guest.node() + " is offline, so " + name(guest)
                    + " cannot be reached. Check the cluster with proxmox_cluster_status.");
        }
        if (guest.lock() != null) {
            throw new ToolException(title(guest) + " is locked (" + guest.lock() + "): Proxmox refuses to " + action
                    + " it until the " + lockReason(guest.lock()) + " ends. Try again later, or follow the running "
                    + "task with proxmox_task_status.");
        }
    }

    private static String lockReason(String lock) {
        return switch (lock) {
            case "backup" -> "backup";
            case "migrate" -> "migration";
            case "clone" -> "clone";
            case "create" -> "creation";
            case "snapshot", "snapshot-delete" -> "snapshot operation";
            case "rollback" -> "rollback";
            case "suspended", "suspending" -> "suspension (resume it first)";
            default -> "operation holding the '" + lock + "' lock";
        };
    }

    /**
     * @param guest a guest
     * @return how messages name it, e.g. {@code VM 100 (web01)}
     */
    protected String name(GuestRef guest) {
        return GuestType.of(guest.type()).noun() + " " + guest.vmid() + (guest.name() == null ? "" : " (" + guest.name() + ")");
    }

    /**
     * @param guest a guest
     * @return how a sentence starts with it, e.g. {@code Container 200 (dns01)}
     */
    protected String title(GuestRef guest) {
        String n = name(guest);
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    /**
     * Reads what a preview shows of a guest and the guard rails check: its tags, pool, HA state and protection, as
     * {@code /cluster/resources} and its configuration say now.
     *
     * @param call the call
     * @param guest the guest
     * @return the guest as a preview's target
     */
    protected Preview.Target target(ToolCall call, GuestRef guest) {
        return target(call, guest, Json.map(call.proxmox().get(guest.path("/config"), guest.params()).join()));
    }

    /**
     * As {@link #target(ToolCall, GuestRef)}, for a tool that read the guest's configuration already.
     *
     * @param call the call
     * @param guest the guest
     * @param config its configuration
     * @return the guest as a preview's target
     */
    protected Preview.Target target(ToolCall call, GuestRef guest, Map<String, Object> config) {
        return previewTarget(call.proxmox(), guest, config);
    }

    /**
     * A guest as a preview's target, for tools that are not guest tools (the generic API call): its tags, pool, HA
     * state and protection, as {@code /cluster/resources} and its configuration say now.
     *
     * @param pve the client
     * @param guest the guest
     * @param config its configuration
     * @return the guest as a preview's target
     */
    public static Preview.Target previewTarget(ProxmoxClient pve, GuestRef guest, Map<String, Object> config) {
        Map<String, Object> resource = Map.of();
        for (Object o : Json.list(pve.get("/cluster/resources", Map.of("type", "vm")).join())) {
            Map<String, Object> r = Json.map(o);
            if (Json.longValue(r, "vmid", -1) == guest.vmid()) {
                resource = r;
                break;
            }
        }
        return new Preview.Target(guest.type(), (long) guest.vmid(), guest.name(), guest.node(), guest.status(),
                tags(resource.get("tags")),
                Json.string(resource, "pool"), Json.string(resource, "hastate"),
                Json.bool(config, "protection", false));
    }

    /**
     * @param value a guest's {@code tags} as Proxmox writes them: separated by {@code ;} (also {@code ,} or spaces)
     * @return the tags, none if the value is not a string
     */
    static List<String> tags(Object value) {
        List<String> tags = new ArrayList<>();
        if (value instanceof String s && !s.isBlank()) {
            for (String part : TAG_SEPARATORS.split(s)) {
                if (!part.isEmpty()) {
                    tags.add(part);
                }
            }
        }
        return tags;
    }

    /**
     * @param guest a guest
     * @param suffix the path after the guest, e.g. {@code /status/stop}
     * @return the path of a request on it as sent, e.g. {@code /nodes/pve1/qemu/100/status/stop}
     */
    protected static String concretePath(GuestRef guest, String suffix) {
        return "/nodes/" + guest.node() + "/" + guest.type() + "/" + guest.vmid() + suffix;
    }

    /**
     * Reads the current status of a guest.
     *
     * @param call the call
     * @param guest the guest
     * @return {@code running} or {@code stopped}
     */
    protected String currentStatus(ToolCall call, GuestRef guest) {
        Map<String, Object> status = Json.map(call.proxmox().get(guest.path("/status/current"), guest.params()).join());
        return Json.string(status, "status");
    }

    /**
     * @param call the call
     * @param name the argument
     * @param fallback the default, in seconds
     * @return the timeout the call asked for
     */
    protected static Duration seconds(ToolCall call, String name, long fallback) {
        return Duration.ofSeconds(call.arguments().integer(name, fallback));
    }
}
