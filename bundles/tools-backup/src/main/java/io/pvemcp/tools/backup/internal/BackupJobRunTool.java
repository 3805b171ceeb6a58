package io.pvemcp.tools.backup.internal;

import java.time.Duration;
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
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestTool;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_backup_job_run", title = "Run a backup job now", risk = Risk.CHANGE, category = "backup",
        scope = Scopes.WRITE, description = "Runs a scheduled backup job now, with its own settings, and waits; "
                + "reports each guest's archive.")
public final class BackupJobRunTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("id", JsonSchema.string().pattern("^\\S{1,50}$").description("Job id (proxmox_backup_jobs)"))
            .optional("timeout", GuestTool.timeoutSchema(3600, "Seconds"))
            .build();

    private static final Map<String, Object> OUTPUT = Vzdump.output().build();

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    private static Vzdump.Plan plan(ToolCall call) {
        Map<String, Object> job = BackupJobs.get(call, call.arguments().string("id"));
        Map<Long, Map<String, Object>> resources = Vzdump.resources(call);
        List<Long> vmids = BackupJobs.guests(job, resources).stream().filter(resources::containsKey)
                .filter(v -> !Json.bool(resources.get(v), "template", false)).toList();
        if (vmids.isEmpty()) {
            throw new ToolException("Backup job " + job.get("id") + " (" + BackupJobs.selection(job) + ") covers no "
                    + "existing guest now.");
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("storage", job.get("storage") == null ? null : Json.string(job, "storage"));
        for (String key : List.of("mode", "compress", "notes-template", "protected", "prune-backups")) {
            if (job.get(key) != null) {
                settings.put(key, job.get(key));
            }
        }
        return Vzdump.plan(call, resources, vmids, settings);
    }

    @Override
    public Preview preview(ToolCall call) {
        Vzdump.Plan p = plan(call);
        Preview base = Vzdump.preview(p);
        return new Preview("Run backup job " + call.arguments().string("id") + " now: " + base.summary(),
                base.targets(), base.requests(), base.after(), base.undoable(), base.interrupts());
    }

    @Override
    public ToolResult call(ToolCall call) {
        Vzdump.Plan p = plan(call);
        return Vzdump.run(call, p, Duration.ofSeconds(call.arguments().integer("timeout", 3600)), "Running backup job "
                + call.arguments().string("id"));
    }
}
