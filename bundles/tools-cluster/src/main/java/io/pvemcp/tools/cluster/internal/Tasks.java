package io.pvemcp.tools.cluster.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.pve.Upid;

/** What the task tools share: reading a UPID argument and describing a task of a Proxmox task list. */
final class Tasks {

    static final JsonSchema UPID = JsonSchema.string().pattern("^UPID:[a-zA-Z0-9-]+:[0-9A-Fa-f]{8}:.+$")
            .maxLength(512).description("The task's UPID");

    private Tasks() {
    }

    static Upid upid(String value) {
        try {
            return Upid.parse(value);
        } catch (IllegalArgumentException e) {
            throw ToolException.invalidArgument("upid", e.getMessage());
        }
    }

    /** @return a task of a list as the tools answer with it */
    static Map<String, Object> describe(Map<String, Object> t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("upid", Json.string(t, "upid"));
        m.put("node", Json.string(t, "node"));
        m.put("type", Json.string(t, "type"));
        m.put("id", t.get("id") == null ? "" : Json.string(t, "id"));
        m.put("user", Json.string(t, "user"));
        String status = Json.string(t, "status");
        long start = Json.longValue(t, "starttime", 0);
        long end = Json.longValue(t, "endtime", 0);
        m.put("state", status == null || end == 0 ? "running" : status.equals("OK") ? "ok"
                : status.startsWith("WARNINGS") ? "warning" : "error");
        if (status != null && end != 0) {
            m.put("exit_status", status);
        }
        m.put("started_at", Instant.ofEpochSecond(start).toString());
        if (end != 0) {
            m.put("ended_at", Instant.ofEpochSecond(end).toString());
        }
        m.put("seconds", Math.max(0, (end != 0 ? end : Instant.now().getEpochSecond()) - start));
        return m;
    }

    static JsonSchema schema() {
        return JsonSchema.object()
                .required("upid", JsonSchema.string())
                .required("node", JsonSchema.string())
                .required("type", JsonSchema.string().description("e.g. qmstart, qmclone, vzdump"))
                .required("id", JsonSchema.string().description("Usually a VMID; may be empty"))
                .required("user", JsonSchema.string())
                .required("state", JsonSchema.string().enumValues("running", "ok", "warning", "error"))
                .optional("exit_status", JsonSchema.string())
                .required("started_at", JsonSchema.string())
                .optional("ended_at", JsonSchema.string())
                .required("seconds", JsonSchema.integer().description("How long it ran (or runs so far)"));
    }
}
