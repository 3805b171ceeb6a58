package io.pvemcp.tools.storage.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.TaskResult;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.StorageScan;

/** What the download tools share: a download is planned, previewed, then run as a followed Proxmox task. */
final class Downloads {

    /**
     * A planned download.
     *
     * @param path the API path, with {@code {node}} and possibly {@code {storage}}
     * @param params the request's parameters, without those of the path
     */
    record Plan(StorageScan.Place place, String volid, String what, String path, Map<String, Object> params,
            String note) {

        Preview preview() {
            String concrete = path.replace("{node}", place.node()).replace("{storage}", place.storage());
            return new Preview("Download " + what + " to " + place.storage() + " on " + place.node() + " as "
                    + volid + "." + note, List.of(), List.of(new Preview.Request("POST", concrete, params)), volid
                            + " is on storage " + place.storage() + (place.shared() ? "" : " of " + place.node()) + ".",
                    true, false);
        }
    }

    static JsonSchema output() {
        return JsonSchema.object()
                .required("volid", JsonSchema.string())
                .required("storage", JsonSchema.string())
                .required("node", JsonSchema.string())
                .required("downloaded", JsonSchema.bool().description("false if it was already there"))
                .optional("task", GuestTool.taskSchema());
    }

    private Downloads() {
    }

    static Map<String, Object> result(Plan p, boolean downloaded, TaskResult task) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("volid", p.volid());
        out.put("storage", p.place().storage());
        out.put("node", p.place().node());
        out.put("downloaded", downloaded);
        if (task != null) {
            out.put("task", GuestTool.describe(task));
        }
        return out;
    }

    /** Starts the download and follows it to its end. */
    static ToolResult run(ToolCall call, Plan p, int timeout) {
        Map<String, Object> params = new LinkedHashMap<>(p.params());
        params.put("node", p.place().node());
        params.put("storage", p.place().storage());
        String doing = "Downloading " + p.what();
        Object answer = call.proxmox().post(p.path(), params).join();
        TaskResult task = call.followTask(GuestTool.upid(answer, doing), Duration.ofSeconds(timeout), doing);
        if (task.running()) {
            return ToolResult.of(GuestTool.stillRunning(doing, task), result(p, false, task));
        }
        if (task.failed()) {
            throw new ToolException(GuestTool.failure(doing, task) + hint(task.exitStatus()));
        }
        return ToolResult.of("Downloaded " + p.what() + " to " + p.volid() + (p.place().shared() ? ""
                : " on " + p.place().node()) + " in " + Math.round(task.elapsed().toMillis() / 100.0) / 10.0 + " s."
                + p.note(), result(p, true, task));
    }

    private static String hint(String exit) {
        String e = exit == null ? "" : exit.toLowerCase(java.util.Locale.ROOT);
        if (e.contains("checksum")) {
            return " The file does not match the checksum: check the checksum and its algorithm against the "
                    + "publisher's page; Proxmox removed the file.";
        }
        if (e.contains("404") || e.contains("not found")) {
            return " The URL does not exist; check it in a browser.";
        }
        return "";
    }
}
