package io.pvemcp.pve.sim.internal.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.pvemcp.pve.sim.internal.state.Perms;
import io.pvemcp.pve.sim.internal.state.PveError;
import io.pvemcp.pve.sim.internal.state.SimState;
import io.pvemcp.pve.sim.internal.state.SimTask;

/** Worker tasks: per-node lists, status, log and stopping; the cluster-wide list of recent tasks. */
final class TaskHandlers {

    private TaskHandlers() {
    }

    static void register(Map<String, ApiHandler> h) {
        h.put("GET /nodes/{node}/tasks", TaskHandlers::list);
        h.put("GET /nodes/{node}/tasks/{upid}", c -> {
            task(c);
            return List.of(Map.of("name", "log"), Map.of("name", "status"));
        });
        h.put("GET /nodes/{node}/tasks/{upid}/status", c -> {
            SimTask t = task(c);
            Map<String, Object> m = t.describe(false);
            m.remove("endtime");
            m.put("status", t.running() ? "running" : "stopped");
            if (!t.running()) {
                m.put("exitstatus", t.exitstatus());
            }
            return m;
        });
        h.put("GET /nodes/{node}/tasks/{upid}/log", c -> {
            SimTask t = task(c);
            int start = c.integer("start") == null ? 0 : c.integer("start");
            int limit = c.integer("limit") == null ? 50 : c.integer("limit");
            List<String> lines = t.logLines();
            List<Map<String, Object>> out = new ArrayList<>();
            if (lines.isEmpty() && t.running()) {
                out.add(Map.of("n", 1, "t", "no content"));
                return out;
            }
            for (int i = start; i < lines.size() && (limit == 0 || out.size() < limit); i++) {
                out.add(Map.of("n", i + 1, "t", lines.get(i)));
            }
            return out;
        });
        h.put("DELETE /nodes/{node}/tasks/{upid}", c -> {
            SimTask t = task(c);
            if (!ownTask(t, c.authid())) {
                Perms.require(c.state(), c.authid(), "/nodes/" + c.node(), "Sys.Modify");
            }
            c.state().tasks().stop(t);
            return null;
        });
        h.put("GET /cluster/tasks", c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (SimTask t : c.state().tasks().all()) {
                if (out.size() >= 50) {
                    break;
                }
                if (visible(c.state(), t, c.authid())) {
                    Map<String, Object> m = t.describe(true);
                    if (t.running()) {
                        m.remove("status");
                    }
                    m.put("saved", t.running() ? "0" : "1");
                    out.add(m);
                }
            }
            return out;
        });
    }

    private static SimTask task(ApiCall c) {
        String upid = c.param("upid");
        String[] parts = upid.split(":", -1);
        if (parts.length < 9 || !parts[0].equals("UPID")) {
            throw PveError.param("upid", "unable to parse worker upid '" + upid + "'");
        }
        SimTask t = c.state().tasks().get(upid);
        if (t == null || !t.node().equals(c.node())) {
            throw PveError.param("upid", "no such task");
        }
        if (!ownTask(t, c.authid())) {
            Perms.require(c.state(), c.authid(), "/nodes/" + c.node(), "Sys.Audit");
        }
        return t;
    }

    /** A token sees its own tasks; a user sees its own and its tokens' tasks. */
    static boolean ownTask(SimTask t, String authid) {
        if (authid == null) {
            return false;
        }
        return t.authid().equals(authid) || t.authid().startsWith(authid + "!");
    }

    private static boolean visible(SimState s, SimTask t, String authid) {
        return ownTask(t, authid) || Perms.has(s, authid, "/nodes/" + t.node(), "Sys.Audit");
    }

    private static List<Map<String, Object>> list(ApiCall c) {
        int start = c.integer("start") == null ? 0 : c.integer("start");
        int limit = c.integer("limit") == null ? 50 : c.integer("limit");
        String source = c.param("source") == null ? "archive" : c.param("source");
        String userfilter = c.param("userfilter");
        String typefilter = c.param("typefilter");
        Integer vmid = c.integer("vmid");
        Long since = c.param("since") == null ? null : Long.valueOf(c.param("since"));
        Long until = c.param("until") == null ? null : Long.valueOf(c.param("until"));
        Set<String> statuses = Set.of("ok", "warning", "error", "unknown");
        if (c.param("statusfilter") != null && !c.flag("errors")) {
            statuses = Set.copyOf(c.list("statusfilter").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
        } else if (c.flag("errors")) {
            statuses = Set.of("warning", "error", "unknown");
        }
        boolean auditor = Perms.has(c.state(), c.authid(), "/nodes/" + c.node(), "Sys.Audit");
        List<Map<String, Object>> out = new ArrayList<>();
        int count = 0;
        for (SimTask t : c.state().tasks().all()) {
            if (!t.node().equals(c.node())) {
                continue;
            }
            if (t.running() ? source.equals("archive") : source.equals("active")) {
                continue;
            }
            if (userfilter != null && !t.authid().toLowerCase(Locale.ROOT).contains(userfilter.toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (!auditor && !ownTask(t, c.authid())) {
                continue;
            }
            if (typefilter != null && !typefilter.equals(t.type())) {
                continue;
            }
            if (vmid != null && !Integer.toString(vmid).equals(t.id())) {
                continue;
            }
            Map<String, Object> m = t.describe(true);
            long starttime = ((Number) m.get("starttime")).longValue();
            if (since != null && starttime < since || until != null && starttime > until) {
                continue;
            }
            if (!t.running() && !statuses.contains(statusType(t.exitstatus()))) {
                continue;
            }
            if (count++ < start || out.size() >= limit) {
                continue;
            }
            out.add(m);
        }
        return out;
    }

    private static String statusType(String status) {
        if (status == null) {
            return "unknown";
        }
        if (status.equals("OK")) {
            return "ok";
        }
        if (status.startsWith("WARNINGS:")) {
            return "warning";
        }
        return status.equals("unknown") ? "unknown" : "error";
    }
}
