package io.pvemcp.tools.cluster.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.TaskResult;
import io.pvemcp.api.pve.Upid;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_task_status", title = "Follow a task", risk = Risk.READ, category = "tasks",
        idempotent = true,
        description = "A task by UPID: running or stopped, exit status, last log lines; wait_seconds waits for it to "
                + "end.")
public final class TaskStatusTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("upid", JsonSchema.string().pattern("^UPID:[a-zA-Z0-9-]+:[0-9A-Fa-f]{8}:.+$").maxLength(512)
                    .description("The task's UPID"))
            .optional("wait_seconds", JsonSchema.integer().minimum(0).maximum(3600).defaultValue(0)
                    .description("Wait up to this long for it to end"))
            .optional("log_lines", JsonSchema.integer().minimum(1).maximum(500).defaultValue(20)
                    .description("Last log lines to return"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("upid", JsonSchema.string())
            .required("node", JsonSchema.string())
            .required("type", JsonSchema.string().description("e.g. qmstart, vzcreate, vzdump"))
            .required("id", JsonSchema.string().description("The object, usually a VMID; may be empty"))
            .required("user", JsonSchema.string())
            .required("status", JsonSchema.string().enumValues("running", "stopped"))
            .optional("exit_status", JsonSchema.string())
            .optional("succeeded", JsonSchema.bool())
            .required("started_at", JsonSchema.string().description("ISO 8601"))
            .optional("running_for_seconds", JsonSchema.integer())
            .required("log", JsonSchema.array(JsonSchema.string()))
            .required("log_lines_total", JsonSchema.integer())
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
    public ToolResult call(ToolCall call) throws Exception {
        Upid upid;
        try {
            upid = Upid.parse(call.arguments().string("upid"));
        } catch (IllegalArgumentException e) {
            throw ToolException.invalidArgument("upid", e.getMessage());
        }
        int lines = (int) call.arguments().integer("log_lines", 20);
        long wait = call.arguments().integer("wait_seconds", 0);
        TaskResult state = call.followTask(upid.value(), Duration.ofSeconds(wait), "Task " + upid.type()
                + (upid.id().isEmpty() ? "" : " " + upid.id()));
        List<String> log = new ArrayList<>();
        for (Object o : Json.list(call.proxmox().get("/nodes/{node}/tasks/{upid}/log", Map.of("node", upid.node(),
                "upid", upid.value(), "limit", 5000)).join())) {
            Object t = Json.map(o).get("t");
            if (t != null && !"no content".equals(t)) {
                log.add(String.valueOf(t));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("upid", upid.value());
        out.put("node", upid.node());
        out.put("type", upid.type());
        out.put("id", upid.id());
        out.put("user", upid.user());
        out.put("status", state.running() ? "running" : "stopped");
        if (!state.running()) {
            out.put("exit_status", state.exitStatus());
            out.put("succeeded", state.succeeded());
        } else {
            out.put("running_for_seconds", Math.max(0, Instant.now().getEpochSecond() - upid.startTime()));
        }
        out.put("started_at", Instant.ofEpochSecond(upid.startTime()).toString());
        out.put("log", log.subList(Math.max(0, log.size() - lines), log.size()));
        out.put("log_lines_total", log.size());
        String subject = "Task " + upid.type() + (upid.id().isEmpty() ? "" : " of " + upid.id()) + " by " + upid.user()
                + " on " + upid.node();
        String text = state.running() ? subject + " is still running" + (wait > 0 ? " after waiting " + wait + " s" : "")
                + "." : subject + (state.succeeded() ? " finished: " : " FAILED: ") + state.exitStatus() + ".";
        List<String> tail = log.subList(Math.max(0, log.size() - Math.min(lines, 5)), log.size());
        if (!tail.isEmpty()) {
            text += " Last log lines: " + String.join(" | ", tail);
        }
        return ToolResult.of(text, out);
    }
}
