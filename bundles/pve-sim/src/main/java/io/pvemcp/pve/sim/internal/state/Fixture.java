package io.pvemcp.pve.sim.internal.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.pvemcp.pve.contract.PropertyString;

/**
 * Loads a cluster from a JSON fixture: nodes, storages and their volumes, guests (whose disks become volumes),
 * snapshots, backups, pools, users, groups, tokens, ACLs, HA and firewall rules. The demo cluster is the
 * fixture {@code demo-cluster.json} next to this class; its format is documented in {@code docs/simulator.md}.
 */
public final class Fixture {

    /** The bundled demo cluster. */
    public static final String DEMO = "demo-cluster.json";

    private Fixture() {
    }

    /**
     * @param clusterName the cluster name
     * @param rootPassword the password of {@code root@pam}
     * @return the demo cluster
     */
    public static SimState demo(String clusterName, String rootPassword) {
        try (InputStream in = Fixture.class.getResourceAsStream(DEMO)) {
            if (in == null) {
                throw new IllegalStateException("the demo fixture " + DEMO + " is missing");
            }
            return load(read(in), clusterName, rootPassword);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the demo fixture", e);
        }
    }

    /**
     * @param file a fixture file
     * @param clusterName the cluster name
     * @param rootPassword the password of {@code root@pam}
     * @return the cluster it describes
     * @throws IOException if the file cannot be read or is not valid JSON
     */
    public static SimState load(Path file, String clusterName, String rootPassword) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return load(read(in), clusterName, rootPassword);
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new IOException("invalid fixture " + file + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(InputStream in) throws IOException {
        return new ObjectMapper().readValue(in, Map.class);
    }

    @SuppressWarnings("unchecked")
    static SimState load(Map<String, Object> f, String clusterName, String rootPassword) {
        List<Map<String, Object>> nodes = list(f, "nodes");
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a fixture needs at least one node");
        }
        String local = str(f, "localNode", String.valueOf(nodes.get(0).get("name")));
        SimState s = new SimState(clusterName, local);
        long now = s.clock().seconds();
        for (Map<String, Object> n : nodes) {
            s.addNode(str(n, "name", null), num(n, "cpus", 16), num(n, "memoryGiB", 64) * SimState.GIB,
                    num(n, "rootfsGiB", 94) * SimState.GIB, num(n, "uptimeDays", 10) * 86_400L);
        }
        if (s.node(local).isEmpty()) {
            throw new IllegalArgumentException("localNode '" + local + "' is not one of the nodes");
        }
        for (Map<String, Object> st : list(f, "storages")) {
            SimStorage storage = s.addStorage(str(st, "id", null), str(st, "type", "dir"));
            storage.content.addAll((List<String>) st.getOrDefault("content", List.of("images")));
            storage.shared = Boolean.TRUE.equals(st.get("shared"));
            storage.total = num(st, "totalGiB", 100) * SimState.GIB;
            storage.baseUsed = num(st, "usedGiB", 0) * SimState.GIB;
            storage.nodes.addAll((List<String>) st.getOrDefault("nodes", List.of()));
            ((Map<String, Object>) st.getOrDefault("settings", Map.of()))
                    .forEach((k, v) -> storage.settings.put(k, String.valueOf(v)));
        }
        for (Map<String, Object> v : list(f, "volumes")) {
            String volid = str(v, "volid", null);
            SimStorage storage = storageOf(s, volid);
            String content = volid.contains(":iso/") ? "iso" : volid.contains(":vztmpl/") ? "vztmpl"
                    : volid.contains(":snippets/") ? "snippets" : "images";
            long size = (long) num(v, "sizeMiB", 100) << 20;
            String node = str(v, "node", "*");
            if (storage.shared) {
                s.volumes().register(storage, null, volid, content, size, null, now - 30 * 86_400);
            } else {
                for (SimNode n : s.nodes()) {
                    if (node.equals("*") || node.equals(n.name)) {
                        s.volumes().register(storage, n.name, volid, content, size, null, now - 30 * 86_400);
                    }
                }
            }
        }
        for (Map<String, Object> g : list(f, "guests")) {
            addGuest(s, g, now);
        }
        for (Map<String, Object> b : list(f, "backups")) {
            int vmid = num(b, "vmid", 0);
            SimGuest g = s.guest(vmid).orElseThrow(() -> new IllegalArgumentException("backup of unknown guest " + vmid));
            SimStorage storage = s.storage(str(b, "storage", null)).orElseThrow(
                    () -> new IllegalArgumentException("backup on unknown storage " + b.get("storage")));
            long time = (now - num(b, "daysAgo", 1) * 86_400L) / 3600 * 3600 + 7200;
            SimVolume v = s.volumes().createBackup(storage, str(b, "node", g.node), g, time, "zstd", g.config);
            v.notes = (String) b.get("notes");
            v.protectedFlag = Boolean.TRUE.equals(b.get("protected"));
        }
        for (Map<String, Object> p : list(f, "pools")) {
            SimPool pool = s.addPool(str(p, "id", null), (String) p.get("comment"));
            for (Object vmid : (List<Object>) p.getOrDefault("vmids", List.of())) {
                pool.vmids.add(((Number) vmid).intValue());
            }
            pool.storages.addAll((List<String>) p.getOrDefault("storages", List.of()));
        }
        Access access = s.access();
        access.addUser("root@pam", rootPassword);
        Access.User root = access.users.get("root@pam");
        root.email = "root@example.com";
        root.comment = "Built-in superuser";
        for (Map<String, Object> g : list(f, "groups")) {
            Access.Group group = access.groups.computeIfAbsent(str(g, "id", null), Access.Group::new);
            group.comment = (String) g.get("comment");
        }
        for (Map<String, Object> u : list(f, "users")) {
            String userid = str(u, "userid", null);
            access.addUser(userid, (String) u.get("password"));
            Access.User user = access.users.get(userid);
            user.firstname = (String) u.get("firstname");
            user.lastname = (String) u.get("lastname");
            user.email = (String) u.get("email");
            user.comment = (String) u.get("comment");
            for (String group : (List<String>) u.getOrDefault("groups", List.of())) {
                access.addGroupMember(group, userid);
            }
            for (Map<String, Object> t : (List<Map<String, Object>>) u.getOrDefault("tokens", List.of())) {
                access.addToken(userid, str(t, "name", null), str(t, "secret", null),
                        Boolean.TRUE.equals(t.get("privsep")));
                user.tokens.get(str(t, "name", null)).comment = (String) t.get("comment");
            }
        }
        for (Map<String, Object> a : list(f, "acls")) {
            access.addAcl(str(a, "path", null), str(a, "ugid", null), str(a, "role", null),
                    !Boolean.FALSE.equals(a.get("propagate")));
        }
        for (Map<String, Object> job : list(f, "backupJobs")) {
            Map<String, String> settings = new LinkedHashMap<>();
            job.forEach((k, v) -> settings.put(k, v instanceof Boolean b ? (b ? "1" : "0") : String.valueOf(v)));
            settings.putIfAbsent("enabled", "1");
            settings.put("type", "vzdump");
            s.backupJobs().put(settings.get("id"), settings);
        }
        for (Map<String, Object> r : list(f, "replication")) {
            Map<String, Object> job = new LinkedHashMap<>();
            int guest = ((Number) r.get("guest")).intValue();
            int jobnum = ((Number) r.getOrDefault("jobnum", 0)).intValue();
            job.put("id", guest + "-" + jobnum);
            job.put("type", "local");
            job.put("guest", guest);
            job.put("jobnum", jobnum);
            job.put("target", str(r, "target", null));
            job.put("schedule", str(r, "schedule", "*/15"));
            if (r.get("comment") != null) {
                job.put("comment", r.get("comment"));
            }
            Map<String, Object> status = new LinkedHashMap<>();
            long last = now - ((Number) r.getOrDefault("lastSyncMinutesAgo", 10)).longValue() * 60;
            int failures = ((Number) r.getOrDefault("failCount", 0)).intValue();
            status.put("last_sync", last);
            status.put("fail_count", failures);
            if (failures > 0) {
                status.put("last_try", now - 300);
                status.put("next_sync", now + 1500);
                status.put("error", str(r, "error", "replication failed"));
            } else {
                status.put("last_try", last);
                status.put("next_sync", last + 900);
                status.put("duration", ((Number) r.getOrDefault("durationSeconds", 3.0)).doubleValue());
            }
            job.put("status", status);
            s.replication().add(job);
        }
        if (f.get("ceph") instanceof Map<?, ?> ceph) {
            s.ceph = (Map<String, Object>) ceph;
        }
        Map<String, Object> ha = (Map<String, Object>) f.getOrDefault("ha", Map.of());
        for (Map<String, Object> g : (List<Map<String, Object>>) ha.getOrDefault("groups", List.of())) {
            Map<String, Object> group = new LinkedHashMap<>(g);
            group.put("type", "group");
            s.ha().groups.put(str(g, "group", null), group);
        }
        for (Map<String, Object> r : (List<Map<String, Object>>) ha.getOrDefault("resources", List.of())) {
            Map<String, Object> res = new LinkedHashMap<>(r);
            String sid = str(r, "sid", null);
            res.put("type", sid.startsWith("ct:") ? "ct" : "vm");
            s.ha().resources.put(sid, res);
        }
        for (Map<String, Object> r : (List<Map<String, Object>>) ha.getOrDefault("rules", List.of())) {
            s.ha().rules.put(str(r, "rule", null), new LinkedHashMap<>(r));
        }
        Map<String, Object> fw = (Map<String, Object>) f.getOrDefault("firewall", Map.of());
        for (var e : fw.entrySet()) {
            Map<String, Object> scope = (Map<String, Object>) e.getValue();
            s.firewall().options(e.getKey()).putAll((Map<String, Object>) scope.getOrDefault("options", Map.of()));
            int pos = 0;
            for (Map<String, Object> rule : (List<Map<String, Object>>) scope.getOrDefault("rules", List.of())) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("pos", pos++);
                r.putAll(rule);
                s.firewall().rules(e.getKey()).add(r);
            }
            if (e.getKey().startsWith("group/")) {
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("group", e.getKey().substring("group/".length()));
                if (scope.get("comment") != null) {
                    g.put("comment", scope.get("comment"));
                }
                s.firewall().groups().put(String.valueOf(g.get("group")), g);
            }
            for (Map<String, Object> a : (List<Map<String, Object>>) scope.getOrDefault("aliases", List.of())) {
                Map<String, Object> alias = new LinkedHashMap<>(a);
                alias.put("ipversion", String.valueOf(a.get("cidr")).contains(":") ? 6 : 4);
                s.firewall().aliases(e.getKey()).put(str(a, "name", null), alias);
            }
            for (Map<String, Object> set : (List<Map<String, Object>>) scope.getOrDefault("ipsets", List.of())) {
                Map<String, Object> ipset = new LinkedHashMap<>(set);
                ipset.put("entries", new ArrayList<>((List<Map<String, Object>>) set.getOrDefault("entries",
                        List.of())));
                s.firewall().ipsets(e.getKey()).put(str(set, "name", null), ipset);
            }
        }
        s.clusterLog("root@pam", "cluster '" + clusterName + "' started with " + s.nodes().size() + " nodes and "
                + s.guests().size() + " guests");
        return s;
    }

    @SuppressWarnings("unchecked")
    private static void addGuest(SimState s, Map<String, Object> f, long now) {
        String type = str(f, "type", "qemu");
        int vmid = num(f, "vmid", 0);
        String node = str(f, "node", s.localNode());
        if (s.node(node).isEmpty()) {
            throw new IllegalArgumentException("guest " + vmid + " is on unknown node " + node);
        }
        SimGuest g = s.newGuest(type, vmid, node);
        ((Map<String, Object>) f.getOrDefault("config", Map.of())).forEach((k, v) -> g.config.put(k, String.valueOf(v)));
        ((Map<String, Object>) f.getOrDefault("pending", Map.of())).forEach((k, v) -> g.pending.put(k, String.valueOf(v)));
        g.status = str(f, "status", "stopped");
        g.paused = Boolean.TRUE.equals(f.get("paused"));
        g.agentInstalled = !Boolean.FALSE.equals(f.get("agentInstalled"));
        g.guestAddress = (String) f.get("address");
        if (g.running()) {
            g.startedAt = now - 3600L * (1 + vmid % 97);
        }
        for (var e : g.config.entrySet()) {
            if (!g.isDiskKey(e.getKey()) || SimGuest.isCdrom(e.getValue())) {
                continue;
            }
            Map<String, String> disk = PropertyString.parse(e.getValue(), g.volumeKey());
            String volid = disk.get(g.volumeKey());
            SimStorage storage = storageOf(s, volid);
            long size = disk.containsKey("size") ? PropertyString.parseSize(disk.get("size")) : 8 * SimState.GIB;
            s.volumes().register(storage, node, volid, type.equals("qemu") ? "images" : "rootdir", size, vmid,
                    now - 90 * 86_400);
        }
        String parent = null;
        for (Map<String, Object> snap : (List<Map<String, Object>>) f.getOrDefault("snapshots", List.of())) {
            String name = str(snap, "name", null);
            g.snapshots.put(name, new SimSnapshot(name, str(snap, "description", ""),
                    now - num(snap, "daysAgo", 1) * 86_400L, parent, false, false, g.config));
            parent = name;
        }
        if (parent != null) {
            g.config.put("parent", parent);
        }
    }

    private static SimStorage storageOf(SimState s, String volid) {
        int colon = volid == null ? -1 : volid.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not a volume id: " + volid);
        }
        return s.storage(volid.substring(0, colon))
                .orElseThrow(() -> new IllegalArgumentException("volume " + volid + " is on an unknown storage"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> f, String key) {
        return (List<Map<String, Object>>) f.getOrDefault(key, List.of());
    }

    private static String str(Map<String, Object> f, String key, String fallback) {
        Object v = f.get(key);
        if (v == null && fallback == null) {
            throw new IllegalArgumentException("'" + key + "' is missing in " + f);
        }
        return v == null ? fallback : String.valueOf(v);
    }

    private static int num(Map<String, Object> f, String key, int fallback) {
        Object v = f.get(key);
        return v instanceof Number n ? n.intValue() : fallback;
    }
}
