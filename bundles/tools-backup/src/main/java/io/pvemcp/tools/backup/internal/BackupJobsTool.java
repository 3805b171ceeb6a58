package io.pvemcp.tools.backup.internal;

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

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_backup_jobs", title = "List backup jobs", risk = Risk.READ, category = "backup",
        description = "Scheduled backup jobs (schedule, next run, storage, guests, mode) and the guests no enabled job "
                + "backs up.")
public final class BackupJobsTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object().build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("jobs", JsonSchema.array(JsonSchema.object()
                    .required("id", JsonSchema.string())
                    .required("enabled", JsonSchema.bool())
                    .required("schedule", JsonSchema.string())
                    .optional("next_run", JsonSchema.string())
                    .required("storage", JsonSchema.string())
                    .required("selection", JsonSchema.string())
                    .required("mode", JsonSchema.string())
                    .optional("compress", JsonSchema.string())
                    .optional("comment", JsonSchema.string())
                    .optional("notes", JsonSchema.string())
                    .optional("retention", JsonSchema.string())))
            .required("not_backed_up", JsonSchema.array(JsonSchema.object()
                    .required("vmid", JsonSchema.integer())
                    .required("type", JsonSchema.string())
                    .optional("name", JsonSchema.string())))
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
    public ToolResult call(ToolCall call) {
        List<Map<String, Object>> jobs = new ArrayList<>();
        BackupJobs.list(call).forEach(j -> jobs.add(BackupJobs.describe(j)));
        List<Map<String, Object>> uncovered = new ArrayList<>();
        for (Object o : Json.list(call.proxmox().get("/cluster/backup-info/not-backed-up", Map.of()).join())) {
            Map<String, Object> g = Json.map(o);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("vmid", Json.longValue(g, "vmid", 0));
            m.put("type", Json.string(g, "type"));
            if (g.get("name") != null) {
                m.put("name", Json.string(g, "name"));
            }
            uncovered.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobs", jobs);
        out.put("not_backed_up", uncovered);
        StringBuilder text = new StringBuilder();
        long enabled = jobs.stream().filter(j -> (Boolean) j.get("enabled")).count();
        text.append(jobs.size()).append(" backup job").append(jobs.size() == 1 ? "" : "s").append(" (").append(enabled)
                .append(" enabled)").append(jobs.isEmpty() ? "." : ":");
        for (Map<String, Object> j : jobs) {
            text.append("\n- ").append(j.get("id")).append(": ").append(j.get("selection")).append(" → ")
                    .append(j.get("storage")).append(", '").append(j.get("schedule")).append("', ").append(j.get("mode"))
                    .append((Boolean) j.get("enabled") ? j.containsKey("next_run") ? ", next " + j.get("next_run") : ""
                            : ", DISABLED").append(j.containsKey("comment") ? " (" + j.get("comment") + ")" : "");
        }
        text.append(uncovered.isEmpty() ? "\nEvery guest is in an enabled job." : "\nNot in any enabled job: "
                + String.join(", ", uncovered.stream().map(g -> g.get("vmid") + (g.containsKey("name") ? " "
                        + g.get("name") : "")).toList()) + ".");
        return ToolResult.of(text.toString(), out);
    }
}
