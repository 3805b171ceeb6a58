package io.pvemcp.pve.sim.internal.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.pve.sim.internal.state.PveError;
import io.pvemcp.pve.sim.internal.state.SimGuest;
import io.pvemcp.pve.sim.internal.state.SimNode;
import io.pvemcp.pve.sim.internal.state.SimState;

/**
 * Storage replication jobs and their state ({@code /cluster/replication}, {@code /nodes/{node}/replication}), and
 * Ceph read-only (status, OSD tree, pools) where the fixture configures it; elsewhere a node answers as one without
 * Ceph does.
 */
final class ClusterExtrasHandlers {

    private static final long GIB = 1L << 30;

    private ClusterExtrasHandlers() {
    }

    static void register(Map<String, ApiHandler> h) {
        h.put("GET /cluster/replication", c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> job : c.state().replication()) {
                out.add(config(c.state(), job));
            }
            return out;
        });
        h.put("GET /cluster/replication/{id}", c -> config(c.state(), job(c)));
        h.put("GET /nodes/{node}/replication", c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> job : c.state().replication()) {
                Map<String, Object> m = status(c.state(), job);
                if (c.param("node").equals(m.get("source")) && (c.integer("guest") == null
                        || c.integer("guest").equals(job.get("guest")))) {
                    out.add(m);
                }
            }
            return out;
        });
        h.put("GET /nodes/{node}/replication/{id}/status", c -> status(c.state(), job(c)));
        h.put("GET /cluster/ceph/status", c -> cephStatus(c.state()));
        h.put("GET /nodes/{node}/ceph/status", c -> cephStatus(c.state()));
        h.put("GET /nodes/{node}/ceph/osd", c -> osdTree(c.state()));
        h.put("GET /nodes/{node}/ceph/pool", c -> pools(c.state()));
    }

    private static Map<String, Object> job(ApiCall c) {
        for (Map<String, Object> job : c.state().replication()) {
            if (job.get("id").equals(c.param("id"))) {
                return job;
            }
        }
        throw PveError.fail("replication job '" + c.param("id") + "' does not exist");
    }

    private static Map<String, Object> config(SimState s, Map<String, Object> job) {
        Map<String, Object> m = new LinkedHashMap<>(job);
        m.remove("status");
        SimGuest g = s.guests().get(((Number) job.get("guest")).intValue());
        if (g != null) {
            m.put("source", g.node());
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(SimState s, Map<String, Object> job) {
        Map<String, Object> m = config(s, job);
        SimGuest g = s.guests().get(((Number) job.get("guest")).intValue());
        m.put("vmtype", g == null ? "qemu" : g.type());
        m.putAll((Map<String, Object>) job.get("status"));
        return m;
    }

    private static Map<String, Object> ceph(SimState s) {
        if (s.ceph() == null) {
            throw new ApiException(500, "pveceph configuration not initialized - missing '/etc/pve/ceph.conf'");
        }
        return s.ceph();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> osds(SimState s) {
        return (List<Map<String, Object>>) ceph(s).getOrDefault("osds", List.of());
    }

    /** Down when the fixture says so or its host is offline. */
    private static boolean up(SimState s, Map<String, Object> osd) {
        return !Boolean.TRUE.equals(osd.get("down")) && s.node(String.valueOf(osd.get("host"))).map(SimNode::online)
                .orElse(false);
    }

    private static Map<String, Object> cephStatus(SimState s) {
        Map<String, Object> ceph = ceph(s);
        List<Map<String, Object>> osds = osds(s);
        int up = (int) osds.stream().filter(o -> up(s, o)).count();
        long total = 0;
        long used = 0;
        for (Map<String, Object> o : osds) {
            long size = ((Number) o.get("sizeGiB")).longValue() * GIB;
            total += size;
            used += (long) (size * ((Number) o.getOrDefault("usedPercent", 0)).doubleValue() / 100);
        }
        List<String> quorum = new ArrayList<>();
        List<Map<String, Object>> mons = new ArrayList<>();
        for (SimNode n : s.nodes()) {
            mons.add(Map.of("name", n.name(), "addr", n.ip() + ":6789/0", "rank", mons.size()));
            if (n.online()) {
                quorum.add(n.name());
            }
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        if (quorum.size() < mons.size()) {
            checks.put("MON_DOWN", check("HEALTH_WARN", (mons.size() - quorum.size()) + "/" + mons.size()
                    + " mons down, quorum " + String.join(",", quorum)));
        }
        int pgs = 0;
        for (Map<String, Object> p : pools(s)) {
            pgs += ((Number) p.get("pg_num")).intValue();
        }
        int degraded = 0;
        if (up < osds.size()) {
            checks.put("OSD_DOWN", check("HEALTH_WARN", (osds.size() - up) + " osds down"));
            degraded = pgs * (osds.size() - up) / Math.max(1, osds.size()) * 3;
            degraded = Math.min(pgs, degraded);
            checks.put("PG_DEGRADED", check("HEALTH_WARN", "Degraded data redundancy: " + degraded + " pgs degraded"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("fsid", ceph.get("fsid"));
        out.put("health", Map.of("status", checks.isEmpty() ? "HEALTH_OK" : "HEALTH_WARN", "checks", checks));
        out.put("quorum_names", quorum);
        out.put("monmap", Map.of("fsid", ceph.get("fsid"), "mons", mons));
        out.put("osdmap", Map.of("num_osds", osds.size(), "num_up_osds", up, "num_in_osds", osds.size()));
        List<Map<String, Object>> states = new ArrayList<>();
        states.add(Map.of("state_name", "active+clean", "count", pgs - degraded));
        if (degraded > 0) {
            states.add(Map.of("state_name", "active+undersized+degraded", "count", degraded));
        }
        out.put("pgmap", Map.of("num_pgs", pgs, "bytes_total", total, "bytes_used", used, "bytes_avail",
                total - used, "pgs_by_state", states));
        out.put("mgrmap", Map.of("available", true, "active_name", s.nodes().get(0).name()));
        return out;
    }

    private static Map<String, Object> check(String severity, String message) {
        return Map.of("severity", severity, "summary", Map.of("message", message, "count", 1), "muted", false);
    }

    private static Map<String, Object> osdTree(SimState s) {
        Map<String, List<Map<String, Object>>> byHost = new LinkedHashMap<>();
        for (Map<String, Object> o : osds(s)) {
            long size = ((Number) o.get("sizeGiB")).longValue() * GIB;
            double percent = ((Number) o.getOrDefault("usedPercent", 0)).doubleValue();
            Map<String, Object> m = new LinkedHashMap<>();
            int id = ((Number) o.get("id")).intValue();
            m.put("id", id);
            m.put("name", "osd." + id);
            m.put("type", "osd");
            m.put("host", o.get("host"));
            m.put("status", up(s, o) ? "up" : "down");
            m.put("in", 1);
            m.put("device_class", o.getOrDefault("class", "ssd"));
            m.put("crush_weight", Math.round(size / (double) (1L << 40) * 1000) / 1000.0);
            m.put("total_space", size);
            m.put("bytes_used", (long) (size * percent / 100));
            m.put("percent_used", percent);
            m.put("leaf", 1);
            byHost.computeIfAbsent(String.valueOf(o.get("host")), k -> new ArrayList<>()).add(m);
        }
        List<Map<String, Object>> hosts = new ArrayList<>();
        int hostId = -2;
        for (var e : byHost.entrySet()) {
            hosts.add(Map.of("id", hostId--, "name", e.getKey(), "type", "host", "children", e.getValue()));
        }
        return Map.of("root", Map.of("id", -1, "name", "default", "type", "root", "children", hosts), "flags",
                "sortbitwise,recovery_deletes,purged_snapdirs,pglog_hardlimit");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> pools(SimState s) {
        long total = 0;
        for (Map<String, Object> o : osds(s)) {
            total += ((Number) o.get("sizeGiB")).longValue() * GIB;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) ceph(s).getOrDefault("pools", List.of())) {
            int size = ((Number) p.get("size")).intValue();
            long used = (long) (((Number) p.get("usedGiB")).doubleValue() * GIB);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pool", p.get("id"));
            m.put("pool_name", p.get("name"));
            m.put("type", "replicated");
            m.put("size", size);
            m.put("min_size", p.get("minSize"));
            m.put("pg_num", p.get("pgNum"));
            m.put("pg_autoscale_mode", "on");
            m.put("crush_rule", 0);
            m.put("crush_rule_name", "replicated_rule");
            m.put("bytes_used", used);
            m.put("percent_used", total == 0 ? 0.0 : used * (double) size / total);
            m.put("application_metadata", Map.of(String.valueOf(p.get("application")), Map.of()));
            out.add(m);
        }
        return out;
    }
}
