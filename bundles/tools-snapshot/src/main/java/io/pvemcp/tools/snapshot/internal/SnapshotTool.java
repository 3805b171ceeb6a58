package io.pvemcp.tools.snapshot.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.TaskResult;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.Sizes;

/** What the snapshot tools share: they work on VMs and containers alike, found by VMID. */
abstract class SnapshotTool extends GuestTool {

    /** A snapshot as {@code GET .../snapshot} lists it. */
    record Snap(String name, String parent, long snaptime, String description, boolean ram) {

        Map<String, Object> describe(String current) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            if (parent != null) {
                m.put("parent", parent);
            }
            if (snaptime > 0) {
                m.put("taken", Instant.ofEpochSecond(snaptime).toString());
                m.put("age", Sizes.duration(Math.max(0, Instant.now().getEpochSecond() - snaptime)));
            }
            m.put("description", description);
            m.put("ram", ram);
            m.put("current", name.equals(current));
            return m;
        }

        String when() {
            return snaptime > 0 ? "taken " + Instant.ofEpochSecond(snaptime) + ", "
                    + Sizes.duration(Math.max(0, Instant.now().getEpochSecond() - snaptime)) + " ago" : "no date";
        }
    }

    /** The snapshots of a guest and the one its current state follows. */
    record Tree(List<Snap> snaps, String current) {

        Snap find(String name) {
            return snaps.stream().filter(s -> s.name.equals(name)).findFirst().orElse(null);
        }

        List<String> names() {
            return snaps.stream().map(Snap::name).toList();
        }

        /** @return the snapshots in tree order, parents before children, oldest first, with their depth */
        List<Map.Entry<Snap, Integer>> ordered() {
            List<Map.Entry<Snap, Integer>> out = new ArrayList<>();
            for (Snap s : snaps) {
                if (s.parent == null || find(s.parent) == null) {
                    walk(s, 0, out);
                }
            }
            return out;
        }

        private void walk(Snap s, int depth, List<Map.Entry<Snap, Integer>> out) {
            out.add(Map.entry(s, depth));
            snaps.stream().filter(c -> s.name.equals(c.parent))
                    .sorted(java.util.Comparator.comparingLong(Snap::snaptime))
                    .forEach(c -> walk(c, depth + 1, out));
        }

        /** @return the snapshots whose parent is the given one */
        List<String> children(String name) {
            return snaps.stream().filter(s -> name.equals(s.parent)).map(Snap::name).toList();
        }
    }

    static Tree tree(ToolCall call, GuestRef guest) {
        List<Snap> snaps = new ArrayList<>();
        String current = null;
        for (Object o : Json.list(call.proxmox().get(guest.path("/snapshot"), guest.params()).join())) {
            Map<String, Object> m = Json.map(o);
            String name = Json.string(m, "name");
            if ("current".equals(name)) {
                current = Json.string(m, "parent");
                continue;
            }
            snaps.add(new Snap(name, Json.string(m, "parent"), Json.longValue(m, "snaptime", 0),
                    m.get("description") == null ? "" : Json.string(m, "description").strip(),
                    Json.bool(m, "vmstate", false)));
        }
        snaps.sort(java.util.Comparator.comparingLong(Snap::snaptime));
        return new Tree(snaps, current);
    }

    /** @return the named snapshot; throws with the ones there are if it does not exist */
    Snap require(Tree tree, GuestRef guest, String name) {
        Snap snap = tree.find(name);
        if (snap == null) {
            throw new ToolException(title(guest) + " has no snapshot '" + name + "'. " + (tree.snaps().isEmpty()
                    ? "It has no snapshots." : "Its snapshots: " + String.join(", ", tree.names()) + "."));
        }
        return snap;
    }

    /** The output every changing snapshot tool answers with. */
    static JsonSchema resultSchema() {
        return JsonSchema.object()
                .required("vmid", JsonSchema.integer())
                .required("type", JsonSchema.string().enumValues("qemu", "lxc"))
                .required("node", JsonSchema.string())
                .required("snapshot", JsonSchema.string())
                .optional("task", taskSchema());
    }

    Map<String, Object> result(GuestRef guest, String snapshot, TaskResult task) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vmid", guest.vmid());
        out.put("type", guest.type());
        out.put("node", guest.node());
        out.put("snapshot", snapshot);
        if (task != null) {
            out.put("task", describe(task));
        }
        return out;
    }

    /**
     * Follows the task a snapshot request started.
     *
     * @return the task, ended or still running
     * @throws ToolException if it failed: its exit status and the last lines of its log
     */
    static TaskResult follow(ToolCall call, Object answer, String what, int timeout) {
        TaskResult task = call.followTask(upid(answer, what), java.time.Duration.ofSeconds(timeout), what);
        if (!task.running() && task.failed()) {
            throw new ToolException(failure(what, task));
        }
        return task;
    }

    static JsonSchema timeout(int fallback) {
        return timeoutSchema(fallback, "Seconds");
    }
}
