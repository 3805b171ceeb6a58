package io.pvemcp.tools.backup.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;

/** The cluster's backup jobs ({@code /cluster/backup}) as the backup tools read them. */
final class BackupJobs {

    private BackupJobs() {
    }

    static List<Map<String, Object>> list(ToolCall call) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : Json.list(call.proxmox().get("/cluster/backup", Map.of()).join())) {
            out.add(Json.map(o));
        }
        return out;
    }

    static Map<String, Object> get(ToolCall call, String id) {
        for (Map<String, Object> job : list(call)) {
            if (id.equals(job.get("id"))) {
                return job;
            }
        }
        throw new ToolException("There is no backup job '" + id + "'. proxmox_backup_jobs lists them.");
    }

    /** @return what a job backs up, in words, e.g. {@code VMIDs 100, 101} or {@code all guests except 9000} */
    static String selection(Map<String, Object> job) {
        if (Json.bool(job, "all", false)) {
            return "all guests" + (job.get("exclude") == null ? "" : " except " + job.get("exclude"));
        }
        if (job.get("pool") != null) {
            return "pool " + job.get("pool");
        }
        return "VMIDs " + String.valueOf(job.getOrDefault("vmid", "")).replace(",", ", ");
    }

    /** @return the VMIDs a job backs up now */
    static List<Long> guests(Map<String, Object> job, Map<Long, Map<String, Object>> resources) {
        List<Long> out = new ArrayList<>();
        if (Json.bool(job, "all", false)) {
            List<String> excluded = List.of(String.valueOf(job.getOrDefault("exclude", "")).split("[,;\\s]+"));
            resources.forEach((vmid, r) -> {
                if (!excluded.contains(Long.toString(vmid))) {
                    out.add(vmid);
                }
            });
        } else if (job.get("pool") != null) {
            resources.forEach((vmid, r) -> {
                if (job.get("pool").equals(r.get("pool"))) {
                    out.add(vmid);
                }
            });
        } else {
            for (String part : String.valueOf(job.getOrDefault("vmid", "")).split("[,;\\s]+")) {
                if (!part.isBlank()) {
                    out.add(Long.parseLong(part.strip()));
                }
            }
        }
        return out;
    }

    /** @return the job described for a model */
    static Map<String, Object> describe(Map<String, Object> job) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", Json.string(job, "id"));
        m.put("enabled", Json.bool(job, "enabled", true));
        m.put("schedule", job.get("schedule") == null ? "" : Json.string(job, "schedule"));
        if (job.get("next-run") != null) {
            m.put("next_run", Instant.ofEpochSecond(Json.longValue(job, "next-run", 0)).toString());
        }
        m.put("storage", job.get("storage") == null ? "local" : Json.string(job, "storage"));
        m.put("selection", selection(job));
        m.put("mode", job.get("mode") == null ? "snapshot" : Json.string(job, "mode"));
        if (job.get("compress") != null) {
            m.put("compress", Json.string(job, "compress"));
        }
        if (job.get("comment") != null) {
            m.put("comment", Json.string(job, "comment"));
        }
        if (job.get("notes-template") != null) {
            m.put("notes", Json.string(job, "notes-template"));
        }
        if (job.get("prune-backups") != null) {
            m.put("retention", Json.string(job, "prune-backups"));
        }
        return m;
    }
}
