package io.pvemcp.tools.cluster.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.Upid;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_task_log", title = "Read a task's log", risk = Risk.READ, category = "tasks",
        idempotent = true, description = "A task's log by UPID, a page at a time; next_start is where the next page "
                + "begins.")
public final class TaskLogTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("upid", Tasks.UPID)
            .optional("start", JsonSchema.integer().minimum(0).defaultValue(0).description("First line, from 0"))
            .optional("limit", JsonSchema.integer().minimum(1).maximum(500).defaultValue(50)
                    .description("Most lines"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("upid", JsonSchema.string())
            .required("start", JsonSchema.integer())
            .required("lines", JsonSchema.array(JsonSchema.string()))
            .optional("next_start", JsonSchema.integer().description("Where the next page starts; absent at the end"))
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
        Upid upid = Tasks.upid(call.arguments().string("upid"));
        int start = (int) call.arguments().integer("start", 0);
        int limit = (int) call.arguments().integer("limit", 50);
        List<String> lines = new ArrayList<>();
        for (Object o : Json.list(call.proxmox().get("/nodes/{node}/tasks/{upid}/log", Map.of("node", upid.node(),
                "upid", upid.value(), "start", start, "limit", limit + 1)).join())) {
            Object t = Json.map(o).get("t");
            if (t != null && !(start == 0 && lines.isEmpty() && "no content".equals(t))) {
                lines.add(String.valueOf(t));
            }
        }
        boolean more = lines.size() > limit;
        List<String> page = more ? lines.subList(0, limit) : lines;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("upid", upid.value());
        out.put("start", start);
        out.put("lines", List.copyOf(page));
        if (more) {
            out.put("next_start", start + limit);
        }
        String text = page.isEmpty() ? "The log of " + upid.value() + " has no lines" + (start > 0 ? " from line "
                + start : "") + "." : "Lines " + start + "-" + (start + page.size() - 1) + " of the log of "
                + upid.type() + (upid.id().isEmpty() ? "" : " " + upid.id()) + " on " + upid.node() + (more
                        ? " (more from next_start " + (start + limit) + ")" : "") + ":\n" + String.join("\n", page);
        return ToolResult.of(text, out);
    }
}
