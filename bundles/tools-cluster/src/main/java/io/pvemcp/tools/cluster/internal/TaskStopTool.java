package io.pvemcp.tools.cluster.internal;

import java.time.Duration;
import java.time.Instant;
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
import io.pvemcp.api.pve.TaskResult;
import io.pvemcp.api.pve.Upid;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_task_stop", title = "Stop a task", risk = Risk.CHANGE, category = "tasks",
        scope = Scopes.WRITE, idempotent = true, description = "Stops a running task by UPID and reports how it ended; "
                + "what it did so far may remain.")
public final class TaskStopTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object().required("upid", Tasks.UPID).build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("upid", JsonSchema.string())
            .required("stopped", JsonSchema.bool().description("false if it had already ended or still runs"))
            .required("state", JsonSchema.string().enumValues("running", "stopped"))
            .optional("exit_status", JsonSchema.string())
            .build();

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    @Override
    public Preview preview(ToolCall call) {
        Upid upid = Tasks.upid(call.arguments().string("upid"));
        Map<String, Object> status = status(call, upid);
        String what = describe(upid);
        List<Preview.Target> targets = upid.id().matches("\\d{3,9}") ? List.of(new Preview.Target(
                upid.type().startsWith("vz") ? "lxc" : upid.type().startsWith("qm") ? "qemu" : null,
                Long.parseLong(upid.id()), null, upid.node(), null, List.of(), null, null, false)) : List.of();
        if (!"running".equals(status.get("status"))) {
            return new Preview("Nothing: " + what + " already ended (" + Json.string(status, "exitstatus") + ").",
                    targets, List.of(), "The task stays as it ended.", true, false);
        }
        long running = Math.max(0, Instant.now().getEpochSecond() - upid.startTime());
        return new Preview("Stop " + what + ", running for " + running + " s: " + consequence(upid.type()), targets,
                List.of(new Preview.Request("DELETE", "/nodes/" + upid.node() + "/tasks/" + upid.value(), Map.of())),
                "The task has ended with an interrupted status.", false, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Upid upid = Tasks.upid(call.arguments().string("upid"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("upid", upid.value());
        String what = describe(upid);
        Map<String, Object> status = status(call, upid);
        if (!"running".equals(status.get("status"))) {
            out.put("stopped", false);
            out.put("state", "stopped");
            out.put("exit_status", Json.string(status, "exitstatus"));
            return ToolResult.of(Character.toUpperCase(what.charAt(0)) + what.substring(1) + " had already ended ("
                    + Json.string(status, "exitstatus") + "); nothing to stop.", out);
        }
        call.proxmox().delete("/nodes/{node}/tasks/{upid}", Map.of("node", upid.node(), "upid", upid.value())).join();
        TaskResult after = call.followTask(upid.value(), Duration.ofSeconds(15), "Stopping " + what);
        out.put("stopped", !after.running());
        out.put("state", after.running() ? "running" : "stopped");
        if (!after.running()) {
            out.put("exit_status", after.exitStatus());
        }
        String text = after.running() ? "Proxmox was told to stop " + what + ", but it still runs; follow it with "
                + "proxmox_task_status (" + upid.value() + ")." : "Stopped " + what + " (" + after.exitStatus() + "). "
                + consequence(upid.type());
        return ToolResult.of(text, out);
    }

    private static Map<String, Object> status(ToolCall call, Upid upid) {
        return Json.map(call.proxmox().get("/nodes/{node}/tasks/{upid}/status", Map.of("node", upid.node(), "upid",
                upid.value())).join());
    }

    private static String describe(Upid upid) {
        return "task " + upid.type() + (upid.id().isEmpty() ? "" : " of " + upid.id()) + " by " + upid.user() + " on "
                + upid.node();
    }

    /** @return what interrupting a task of this type means, in a sentence */
    static String consequence(String type) {
        return switch (type) {
            case "qmclone", "vzclone" -> "the clone is interrupted; Proxmox removes the half-made guest where it can, "
                    + "check that none is left.";
            case "vzdump" -> "the backup is interrupted; its archive is incomplete and should be deleted.";
            case "qmigrate", "vzmigrate" -> "the migration is aborted; the guest stays on its source node.";
            case "qmshutdown", "vzshutdown" -> "the shutdown is aborted; the guest keeps running (or is left "
                    + "half shut down inside).";
            case "qmcreate", "vzcreate", "qmrestore", "vzrestore" -> "the guest is left unfinished; check it and "
                    + "delete it if it is broken.";
            case "qmmove", "move_volume", "qmresize" -> "the disk operation is interrupted; the disk stays where and "
                    + "as it was, check the guest's configuration.";
            default -> "the operation is interrupted where it is.";
        };
    }
}
