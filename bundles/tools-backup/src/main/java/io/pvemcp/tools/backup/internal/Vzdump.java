package io.pvemcp.tools.backup.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.TaskResult;
import io.pvemcp.api.pve.Upid;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.StorageScan;

/**
 * Backing up guests with {@code vzdump}: one job per node for the guests that live there (as Proxmox runs a backup
 * job), all started at once and followed to their end; then the archives each guest got.
 */
final class Vzdump {

    private static final Pattern FAILED = Pattern.compile("ERROR: Backup of VM (\\d+) failed - (.*)");

    /** A guest to back up. */
    record Guest(long vmid, String type, String name, String node) {

        String label() {
            return (type.equals("qemu") ? "VM " : "CT ") + vmid + (name.isEmpty() ? "" : " (" + name + ")");
        }
    }

    /**
     * A planned backup.
     *
     * @param settings the vzdump parameters besides {@code node} and {@code vmid}
     * @param skipped guests left out, with why
     */
    record Plan(Map<String, List<Guest>> byNode, Map<String, Object> settings, Map<Long, String> skipped) {

        String storage() {
            return (String) settings.get("storage");
        }

        List<Guest> guests() {
            return byNode.values().stream().flatMap(List::stream).toList();
        }
    }

    private Vzdump() {
    }

    /** @return the guests of the cluster by VMID, as {@code /cluster/resources} lists them */
    static Map<Long, Map<String, Object>> resources(ToolCall call) {
        Map<Long, Map<String, Object>> out = new TreeMap<>();
        for (Object o : Json.list(call.proxmox().get("/cluster/resources", Map.of("type", "vm")).join())) {
            Map<String, Object> r = Json.map(o);
            out.put(Json.longValue(r, "vmid", 0), r);
        }
        return out;
    }

    /**
     * @param vmids the guests, in order
     * @param settings storage (or {@code null} for the node's default), mode, compress, notes-template, protected
     */
    static Plan plan(ToolCall call, Map<Long, Map<String, Object>> resources, List<Long> vmids,
            Map<String, Object> settings) {
        Map<String, List<Guest>> byNode = new TreeMap<>();
        Map<Long, String> skipped = new LinkedHashMap<>();
        for (long vmid : vmids) {
            Map<String, Object> r = resources.get(vmid);
            if (r == null) {
                throw new ToolException("There is no guest with VMID " + vmid + ". proxmox_vm_list and proxmox_ct_list "
                        + "show the guests.");
            }
            Guest g = new Guest(vmid, Json.string(r, "type"), r.get("name") == null ? "" : Json.string(r, "name"),
                    Json.string(r, "node"));
            if ("unknown".equals(r.get("status"))) {
                skipped.put(vmid, g.label() + ": node " + g.node() + " is offline");
            } else if (r.get("lock") != null) {
                skipped.put(vmid, g.label() + ": locked (" + r.get("lock") + ")");
            } else {
                byNode.computeIfAbsent(g.node(), n -> new ArrayList<>()).add(g);
            }
        }
        if (byNode.isEmpty()) {
            throw new ToolException("Nothing can be backed up" + (skipped.isEmpty() ? "." : ": "
                    + String.join("; ", skipped.values()) + "."));
        }
        Map<String, Object> s = new LinkedHashMap<>(settings);
        if (s.get("storage") == null) {
            Map<String, Object> defaults = Json.map(call.proxmox().get("/nodes/{node}/vzdump/defaults", Map.of("node",
                    byNode.keySet().iterator().next())).join());
            s.put("storage", defaults.get("storage") == null ? "local" : Json.string(defaults, "storage"));
        }
        String storage = (String) s.get("storage");
        Set<String> offline = new LinkedHashSet<>();
        List<StorageScan.Place> places = StorageScan.places(call, null, storage, null, offline);
        if (places.isEmpty()) {
            throw new ToolException("There is no storage '" + storage + "'. proxmox_storage_list shows the storages; "
                    + "backups go to one that holds backup content.");
        }
        if (!places.get(0).content().contains("backup")) {
            throw new ToolException("Storage " + storage + " does not hold backups (it holds " + String.join(", ",
                    places.get(0).content()) + "); choose one that does.");
        }
        if (!places.get(0).shared()) {
            for (String node : byNode.keySet()) {
                boolean there = places.stream().anyMatch(p -> p.node().equals(node) && p.available());
                if (!there) {
                    throw new ToolException("Storage " + storage + " is not available on node " + node + " (guests "
                            + String.join(", ", byNode.get(node).stream().map(Guest::label).toList()) + "); choose a "
                            + "shared storage or back those up elsewhere.");
                }
            }
        }
        return new Plan(byNode, s, skipped);
    }

    static Preview preview(Plan p) {
        List<Preview.Request> requests = new ArrayList<>();
        List<Preview.Target> targets = new ArrayList<>();
        p.byNode().forEach((node, guests) -> {
            requests.add(new Preview.Request("POST", "/nodes/" + node + "/vzdump", params(p, guests)));
            guests.forEach(g -> targets.add(new Preview.Target(g.type(), g.vmid(), g.name(), node, null, List.of(),
                    null, null, false)));
        });
        String mode = String.valueOf(p.settings().getOrDefault("mode", "snapshot"));
        String how = switch (mode) {
            case "stop" -> " in stop mode: each running guest is shut down for its backup and started again";
            case "suspend" -> " in suspend mode: each running guest is paused during its backup";
            default -> " in snapshot mode (the guests keep running)";
        };
        return new Preview("Back up " + p.guests().size() + " guest" + (p.guests().size() == 1 ? "" : "s") + " ("
                + String.join(", ", p.guests().stream().map(Guest::label).toList()) + ") to " + p.storage() + how + "."
                + (p.skipped().isEmpty() ? "" : " Left out: " + String.join("; ", p.skipped().values()) + "."),
                targets, requests, "Each guest has a new backup on " + p.storage() + ".", true, !mode.equals("snapshot"));
    }

    private static Map<String, Object> params(Plan p, List<Guest> guests) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vmid", String.join(",", guests.stream().map(g -> Long.toString(g.vmid())).toList()));
        m.putAll(p.settings());
        return m;
    }

    static JsonSchema output() {
        return JsonSchema.object()
                .required("storage", JsonSchema.string())
                .required("guests", JsonSchema.array(JsonSchema.object()
                        .required("vmid", JsonSchema.integer())
                        .required("name", JsonSchema.string())
                        .required("node", JsonSchema.string())
                        .required("status", JsonSchema.string().enumValues("ok", "failed", "skipped", "running"))
                        .optional("volid", JsonSchema.string())
                        .optional("size", JsonSchema.string())
                        .optional("size_bytes", JsonSchema.integer())
                        .optional("reason", JsonSchema.string())))
                .required("tasks", JsonSchema.array(GuestTool.taskSchema()));
    }

    /** Starts one vzdump per node, follows them all, and reports what each guest got. */
    static ToolResult run(ToolCall call, Plan p, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> upids = new LinkedHashMap<>();
        long started = Long.MAX_VALUE;
        for (Map.Entry<String, List<Guest>> e : p.byNode().entrySet()) {
            Map<String, Object> params = params(p, e.getValue());
            params.put("node", e.getKey());
            Object answer = call.proxmox().post("/nodes/{node}/vzdump", params).join();
            String upid = GuestTool.upid(answer, "Backing up on " + e.getKey());
            upids.put(e.getKey(), upid);
            started = Math.min(started, Upid.parse(upid).startTime());
        }
        List<Map<String, Object>> tasks = new ArrayList<>();
        Map<Long, String> failed = new LinkedHashMap<>();
        Set<String> stillRunning = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : upids.entrySet()) {
            Duration left = Duration.ofNanos(Math.max(1_000_000_000L, deadline - System.nanoTime()));
            TaskResult task = call.followTask(e.getValue(), left, what + " on " + e.getKey());
            tasks.add(GuestTool.describe(task));
            if (task.running()) {
                stillRunning.add(e.getKey());
            }
            for (String line : task.log()) {
                Matcher m = FAILED.matcher(line.strip());
                if (m.find()) {
                    failed.put(Long.parseLong(m.group(1)), m.group(2).strip());
                }
            }
            if (task.failed() && failed.isEmpty()) {
                p.byNode().get(e.getKey()).forEach(g -> failed.put(g.vmid(), task.exitStatus()));
            }
        }
        Map<Long, Map<String, Object>> archives = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (Backups.Found f : Backups.list(call, null, p.storage(), null, warnings)) {
            Object vmid = f.backup().get("vmid");
            long ctime = ((Number) f.backup().getOrDefault("ctime", 0L)).longValue();
            if (vmid != null && ctime >= started - 5) {
                archives.putIfAbsent(((Number) vmid).longValue(), f.backup());
            }
        }
        List<Map<String, Object>> guests = new ArrayList<>();
        List<String> ok = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (Guest g : p.guests()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("vmid", g.vmid());
            m.put("name", g.name());
            m.put("node", g.node());
            Map<String, Object> archive = archives.get(g.vmid());
            if (failed.containsKey(g.vmid())) {
                m.put("status", "failed");
                m.put("reason", failed.get(g.vmid()));
                bad.add(g.label() + ": " + failed.get(g.vmid()));
            } else if (archive != null) {
                m.put("status", "ok");
                m.put("volid", archive.get("volid"));
                m.put("size", archive.get("size"));
                m.put("size_bytes", archive.get("size_bytes"));
                ok.add(g.label() + " → " + archive.get("volid") + " (" + archive.get("size") + ")");
            } else {
                m.put("status", stillRunning.contains(g.node()) ? "running" : "failed");
                if (!stillRunning.contains(g.node())) {
                    m.put("reason", "no new archive was found on " + p.storage());
                    bad.add(g.label() + ": no new archive was found on " + p.storage());
                }
            }
            guests.add(m);
        }
        p.skipped().forEach((vmid, why) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("vmid", vmid);
            m.put("name", "");
            m.put("node", "");
            m.put("status", "skipped");
            m.put("reason", why);
            guests.add(m);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("storage", p.storage());
        out.put("guests", guests);
        out.put("tasks", tasks);
        StringBuilder text = new StringBuilder();
        text.append("Backed up ").append(ok.size()).append(" of ").append(p.guests().size()).append(" guests to ")
                .append(p.storage()).append('.');
        ok.forEach(o -> text.append("\n- ").append(o));
        if (!bad.isEmpty()) {
            text.append("\nFailed: ").append(String.join("; ", bad)).append(". Read the task log with "
                    + "proxmox_task_log (").append(String.join(", ", upids.values())).append(").");
        }
        if (!stillRunning.isEmpty()) {
            text.append("\nStill running on ").append(String.join(", ", stillRunning)).append("; follow with "
                    + "proxmox_task_status.");
        }
        if (!p.skipped().isEmpty()) {
            text.append("\nLeft out: ").append(String.join("; ", p.skipped().values())).append('.');
        }
        return ok.isEmpty() && !bad.isEmpty() ? ToolResult.error(text.toString()) : ToolResult.of(text.toString(), out);
    }
}
