package io.pvemcp.pve.sim.internal.state;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The state of a simulated Proxmox VE cluster: nodes, guests, storages and their volumes, pools, access
 * control, HA, firewall, tasks and the cluster log. Not thread-safe on its own: callers hold the monitor of
 * this object ({@code synchronized (state)}) while they read or change it, which the API layer does for every
 * request and the task timer for every task step.
 */
public final class SimState {

    /** The Proxmox VE version the simulator reports. */
    public static final String VERSION = "9.1.1";
    /** The release the simulator reports. */
    public static final String RELEASE = "9.1";
    /** The repository id the simulator reports. */
    public static final String REPOID = "42e1c9a5a0c3b9de";

    static final long GIB = 1L << 30;
    private static final int CLUSTER_LOG_SIZE = 1000;

    private final String clusterName;
    private final String localNode;
    private final SimClock clock = new SimClock();
    private final Map<String, SimNode> nodes = new LinkedHashMap<>();
    private final Map<Integer, SimGuest> guests = new TreeMap<>();
    private final Map<String, SimStorage> storages = new LinkedHashMap<>();
    private final Map<String, SimPool> pools = new TreeMap<>();
    private final Map<String, Map<String, String>> backupJobs = new LinkedHashMap<>();
    private final Access access;
    private final Tasks tasks = new Tasks(this);
    private final Faults faults = new Faults();
    private final Ha ha = new Ha();
    private final Firewall firewall = new Firewall();
    /** Storage replication jobs: their configuration, and under {@code status} what the last run left. */
    private final List<Map<String, Object>> replication = new ArrayList<>();
    /** The Ceph cluster as the fixture describes it (monitors on every node, OSDs, pools), or {@code null}. */
    Map<String, Object> ceph;
    private final List<Map<String, Object>> sdnZones = new ArrayList<>(List.of(
            new LinkedHashMap<>(Map.of("zone", "lab", "type", "vlan", "bridge", "vmbr0", "ipam", "pve",
                    "digest", "9f0c2a41d7e3b58c6a1f2e4d8b7c9a0e3f5d1b2c")),
            new LinkedHashMap<>(Map.of("zone", "isolated", "type", "simple", "ipam", "pve", "dhcp", "dnsmasq",
                    "digest", "9f0c2a41d7e3b58c6a1f2e4d8b7c9a0e3f5d1b2c"))));
    private final List<Map<String, Object>> sdnVnets = new ArrayList<>(List.of(
            new LinkedHashMap<>(Map.of("vnet", "labnet", "zone", "lab", "type", "vnet", "tag", 200, "alias",
                    "lab machines", "digest", "4b1e8c2d9a7f3e6b0c5d2a8f1e4b7c9d3a6f0e2b")),
            new LinkedHashMap<>(Map.of("vnet", "dmz", "zone", "isolated", "type", "vnet", "alias", "DMZ behind "
                    + "NAT", "digest", "4b1e8c2d9a7f3e6b0c5d2a8f1e4b7c9d3a6f0e2b"))));
    private final Volumes volumes = new Volumes(this);
    private final Deque<Map<String, Object>> clusterLog = new ArrayDeque<>();
    private long logSequence;

    /**
     * An empty cluster; fill it with a {@link Fixture} or the {@link Generator}.
     *
     * @param clusterName the cluster name
     * @param localNode the node the simulator answers as (the one clients connect to)
     */
    public SimState(String clusterName, String localNode) {
        this.clusterName = clusterName;
        this.localNode = localNode;
        this.access = new Access(clock, this::poolOfPath);
    }

    // ---- parts

    /** @return the simulated clock */
    public SimClock clock() {
        return clock;
    }

    /** @return the access control model */
    public Access access() {
        return access;
    }

    /** @return the task runner */
    public Tasks tasks() {
        return tasks;
    }

    /** @return the injected faults */
    public Faults faults() {
        return faults;
    }

    /** @return HA groups and resources */
    public Ha ha() {
        return ha;
    }

    /** @return the replication jobs (live): configuration, and their state under {@code status} */
    public List<Map<String, Object>> replication() {
        return replication;
    }

    /** @return the Ceph cluster of the fixture, or {@code null} where none is configured */
    public Map<String, Object> ceph() {
        return ceph;
    }

    /** @return the SDN zones, as {@code /cluster/sdn/zones} lists them */
    public List<Map<String, Object>> sdnZones() {
        return sdnZones;
    }

    /** @return the SDN VNets, as {@code /cluster/sdn/vnets} lists them */
    public List<Map<String, Object>> sdnVnets() {
        return sdnVnets;
    }

    /** @return firewall rules and options */
    public Firewall firewall() {
        return firewall;
    }

    /** @return volume naming and allocation */
    public Volumes volumes() {
        return volumes;
    }

    /** @return the cluster name */
    public String clusterName() {
        return clusterName;
    }

    /** @return the node this simulator pretends to be */
    public String localNode() {
        return localNode;
    }

    /** Stops background work (the task timer). */
    public void shutdown() {
        tasks.shutdown();
    }

    // ---- nodes

    /** @return the nodes */
    public List<SimNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /**
     * @param name a node name
     * @return the node, if it belongs to the cluster
     */
    public Optional<SimNode> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    SimNode addNode(String name, int cpus, long memory, long rootfs, long uptimeSeconds) {
        int id = nodes.size() + 1;
        String ip = "10.0." + (id / 250) + "." + (10 + id % 250);
        SimNode n = new SimNode(name, id, ip, cpus, memory, rootfs, clock.seconds() - uptimeSeconds);
        n.defaultNetwork();
        n.memoryUsed = memory / 8;
        n.rootfsUsed = rootfs / 6;
        n.cpuLoad = 0.03;
        nodes.put(name, n);
        return n;
    }

    /**
     * Marks a node reachable or not.
     *
     * @param name the node
     * @param online whether it is reachable
     */
    public void setOnline(String name, boolean online) {
        SimNode n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no such node: " + name);
        }
        n.online = online;
        clusterLog("root@pam", "node '" + name + "' is now " + (online ? "online" : "offline"));
    }

    /**
     * @param name the node
     * @param millis extra latency of requests for this node
     */
    public void setNodeLatency(String name, long millis) {
        SimNode n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no such node: " + name);
        }
        if (millis < 0) {
            throw new IllegalArgumentException("latency must be 0 or more: " + millis);
        }
        n.latencyMillis = millis;
    }

    /** @return whether the cluster has quorum: more than half of the nodes online, and no injected loss */
    public boolean quorate() {
        long online = nodes.values().stream().filter(n -> n.online).count();
        return !faults.quorumLost && online * 2 > nodes.size();
    }

    // ---- guests

    /** @return the guests by VMID (live) */
    public Map<Integer, SimGuest> guests() {
        return guests;
    }

    /**
     * @param vmid a VMID
     * @return the guest, wherever it lives
     */
    public Optional<SimGuest> guest(int vmid) {
        return Optional.ofNullable(guests.get(vmid));
    }

    SimGuest newGuest(String type, int vmid, String node) {
        SimGuest g = new SimGuest(type, vmid, node);
        guests.put(vmid, g);
        return g;
    }

    void removeGuest(int vmid) {
        guests.remove(vmid);
        for (SimPool p : pools.values()) {
            p.vmids.remove(vmid);
        }
    }

    /** @return the lowest free VMID from 100 */
    public int nextId() {
        int id = 100;
        while (guests.containsKey(id)) {
            id++;
        }
        return id;
    }

    // ---- storage

    /** @return the storages */
    public List<SimStorage> storages() {
        return List.copyOf(storages.values());
    }

    /**
     * @param id a storage id
     * @return the storage, if configured
     */
    public Optional<SimStorage> storage(String id) {
        return Optional.ofNullable(storages.get(id));
    }

    /**
     * @param id a new storage id
     * @param type its type
     * @return the new storage
     */
    public SimStorage addStorage(String id, String type) {
        SimStorage s = new SimStorage(id, type);
        storages.put(id, s);
        return s;
    }

    /** @param id a storage to remove from the configuration (its volumes are forgotten) */
    public void removeStorage(String id) {
        storages.remove(id);
        for (SimPool p : pools.values()) {
            p.storages.remove(id);
        }
    }

    /**
     * Finds a volume by its id, as seen from a node.
     *
     * @param node the node
     * @param volid e.g. {@code local-lvm:vm-100-disk-0}
     * @return the volume, if it exists there
     */
    public Optional<SimVolume> volume(String node, String volid) {
        int colon = volid.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        SimStorage s = storages.get(volid.substring(0, colon));
        return s == null ? Optional.empty() : Optional.ofNullable(s.volume(node, volid));
    }

    // ---- pools

    /**
     * @param id a pool to delete
     * @return whether it existed
     */
    public boolean removePool(String id) {
        return pools.remove(id) != null;
    }

    /** @return the backup jobs of the cluster by id, each its settings as {@code jobs.cfg} holds them (live) */
    public Map<String, Map<String, String>> backupJobs() {
        return backupJobs;
    }

    /** @return the pools by id (live) */
    public Map<String, SimPool> pools() {
        return pools;
    }

    /**
     * @param id a pool id
     * @param comment its comment, or {@code null}
     * @return the pool (created if new)
     */
    public SimPool addPool(String id, String comment) {
        SimPool p = pools.computeIfAbsent(id, SimPool::new);
        p.comment = comment;
        return p;
    }

    /**
     * @param vmid a VMID
     * @return the pool the guest belongs to, or {@code null}
     */
    public String poolOf(int vmid) {
        for (SimPool p : pools.values()) {
            if (p.vmids.contains(vmid)) {
                return p.id;
            }
        }
        return null;
    }

    private String poolOfPath(String path) {
        if (path.startsWith("/vms/")) {
            try {
                return poolOf(Integer.parseInt(path.substring(5)));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (path.startsWith("/storage/")) {
            String id = path.substring(9);
            for (SimPool p : pools.values()) {
                if (p.storages.contains(id)) {
                    return p.id;
                }
            }
        }
        return null;
    }

    // ---- access shortcuts (tests and the standalone simulator)

    /** Adds a user with a password. */
    public void addUser(String userid, String password) {
        access.addUser(userid, password);
    }

    /** Adds an API token. */
    public void addToken(String userid, String tokenName, String secret, boolean privsep) {
        access.addToken(userid, tokenName, secret, privsep);
    }

    /** Adds an ACL entry. */
    public void addAcl(String path, String ugid, String role, boolean propagate) {
        access.addAcl(path, ugid, role, propagate);
    }

    // ---- cluster log

    /**
     * Adds an entry to the cluster log.
     *
     * @param user who caused it
     * @param message the message
     */
    public void clusterLog(String user, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("uid", Long.toString(++logSequence));
        e.put("time", clock.seconds());
        e.put("pri", 6);
        e.put("tag", message.startsWith("starting task") || message.startsWith("end task") ? "pvedaemon" : "pvesim");
        e.put("pid", 1000 + logSequence % 9000);
        e.put("node", localNode);
        e.put("user", user);
        e.put("msg", message);
        clusterLog.addFirst(e);
        while (clusterLog.size() > CLUSTER_LOG_SIZE) {
            clusterLog.removeLast();
        }
    }

    /**
     * @param max how many entries
     * @return the newest entries, newest first
     */
    public List<Map<String, Object>> clusterLog(int max) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> e : clusterLog) {
            if (out.size() >= max) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    // ---- views

    /** @return the {@code /version} data */
    public Map<String, Object> version() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("release", RELEASE);
        v.put("repoid", REPOID);
        v.put("version", VERSION);
        return v;
    }

    /** @return the {@code /nodes} entry of a node */
    public Map<String, Object> nodeEntry(SimNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", n.name);
        m.put("status", n.online ? "online" : "offline");
        m.put("type", "node");
        m.put("id", "node/" + n.name);
        if (n.online) {
            m.put("cpu", nodeCpu(n));
            m.put("maxcpu", n.cpus);
            m.put("mem", nodeMemoryUsed(n));
            m.put("maxmem", n.memoryTotal);
            m.put("disk", n.rootfsUsed);
            m.put("maxdisk", n.rootfsTotal);
            m.put("uptime", clock.seconds() - n.bootTime);
            m.put("level", "");
            m.put("ssl_fingerprint", fingerprintOf(n));
        }
        return m;
    }

    private static String fingerprintOf(SimNode n) {
        StringBuilder sb = new StringBuilder();
        int h = n.name.hashCode();
        for (int i = 0; i < 32; i++) {
            h = h * 31 + i;
            sb.append(i == 0 ? "" : ":").append(String.format(Locale.ROOT, "%02X", h & 0xff));
        }
        return sb.toString();
    }

    /** @return the CPU load of a node, from its running guests */
    double nodeCpu(SimNode n) {
        double load = n.cpuLoad;
        for (SimGuest g : guests.values()) {
            if (g.node.equals(n.name) && g.running() && !g.paused) {
                load += guestCpu(g) * g.cpus(n.cpus) / n.cpus;
            }
        }
        return Math.min(1.0, Math.round(load * 10000) / 10000.0);
    }

    /** @return the memory a node uses, from its base use and its running guests */
    long nodeMemoryUsed(SimNode n) {
        long used = n.memoryUsed;
        for (SimGuest g : guests.values()) {
            if (g.node.equals(n.name) && g.running()) {
                used += guestMemory(g);
            }
        }
        return Math.min(used, n.memoryTotal);
    }

    /** @return the {@code /nodes/{node}/status} data */
    public Map<String, Object> nodeStatus(SimNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        long used = nodeMemoryUsed(n);
        m.put("uptime", clock.seconds() - n.bootTime);
        m.put("cpu", nodeCpu(n));
        double load = nodeCpu(n) * n.cpus;
        m.put("loadavg", List.of(String.format(Locale.ROOT, "%.2f", load), String.format(Locale.ROOT, "%.2f",
                load * 0.9), String.format(Locale.ROOT, "%.2f", load * 0.8)));
        m.put("wait", 0.001);
        m.put("idle", 0);
        m.put("pveversion", "pve-manager/" + VERSION + "/" + REPOID);
        m.put("kversion", "Linux 6.17.2-1-pve #1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2025-11-01T10:00Z) x86_64");
        m.put("current-kernel", Map.of("sysname", "Linux", "release", "6.17.2-1-pve", "machine", "x86_64",
                "version", "#1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2025-11-01T10:00Z)"));
        m.put("boot-info", Map.of("mode", "efi", "secureboot", 0));
        m.put("cpuinfo", Map.of("model", n.cpuModel, "cores", Math.max(1, n.cpus / 2), "cpus", n.cpus, "sockets", 1,
                "mhz", "2000.000", "hvm", "1", "user_hz", 100,
                "flags", "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx lm vmx"));
        m.put("memory", Map.of("total", n.memoryTotal, "used", used, "free", n.memoryTotal - used,
                "available", n.memoryTotal - used));
        m.put("swap", Map.of("total", n.swapTotal, "used", 0L, "free", n.swapTotal));
        m.put("rootfs", Map.of("total", n.rootfsTotal, "used", n.rootfsUsed, "free", n.rootfsTotal - n.rootfsUsed,
                "avail", n.rootfsTotal - n.rootfsUsed));
        m.put("ksm", Map.of("shared", 0));
        return m;
    }

    /** @return the {@code /cluster/status} data */
    public List<Map<String, Object>> clusterStatus() {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("id", "cluster");
        cluster.put("name", clusterName);
        cluster.put("type", "cluster");
        cluster.put("nodes", nodes.size());
        cluster.put("quorate", quorate() ? 1 : 0);
        cluster.put("version", nodes.size() + 1);
        out.add(cluster);
        for (SimNode n : nodes.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", "node/" + n.name);
            m.put("name", n.name);
            m.put("type", "node");
            m.put("ip", n.ip);
            m.put("nodeid", n.nodeId);
            m.put("online", n.online ? 1 : 0);
            m.put("local", n.name.equals(localNode) ? 1 : 0);
            m.put("level", "");
            out.add(m);
        }
        return out;
    }

    /**
     * @param type {@code vm}, {@code node}, {@code storage}, {@code pool}, or {@code null} for all
     * @return the {@code /cluster/resources} data
     */
    public List<Map<String, Object>> resources(String type) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (type == null || type.equals("node")) {
            for (SimNode n : nodes.values()) {
                out.add(nodeEntry(n));
            }
        }
        if (type == null || type.equals("vm") || type.equals("qemu") || type.equals("lxc")) {
            for (SimGuest g : guests.values()) {
                if (type == null || type.equals("vm") || type.equals(g.type)) {
                    out.add(guestResource(g));
                }
            }
        }
        if (type == null || type.equals("storage")) {
            for (SimNode n : nodes.values()) {
                for (SimStorage st : storages.values()) {
                    if (!st.availableOn(n.name)) {
                        continue;
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", "storage/" + n.name + "/" + st.id);
                    m.put("type", "storage");
                    m.put("storage", st.id);
                    m.put("node", n.name);
                    m.put("plugintype", st.type);
                    m.put("content", String.join(",", st.content));
                    m.put("shared", st.shared ? 1 : 0);
                    m.put("status", n.online ? "available" : "unknown");
                    if (n.online) {
                        m.put("disk", st.used(n.name));
                        m.put("maxdisk", st.total);
                    }
                    String pool = poolOfPath("/storage/" + st.id);
                    if (pool != null) {
                        m.put("pool", pool);
                    }
                    out.add(m);
                }
            }
        }
        if (type == null || type.equals("pool")) {
            for (SimPool p : pools.values()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", "/pool/" + p.id);
                m.put("type", "pool");
                m.put("pool", p.id);
                out.add(m);
            }
        }
        return out;
    }

    /** @return the CPU use of a running guest, a stable value between 1% and 30% */
    static double guestCpu(SimGuest g) {
        return g.running() && !g.paused ? 0.01 + (g.vmid * 7919 % 290) / 1000.0 : 0;
    }

    /** @return the memory a running guest uses */
    static long guestMemory(SimGuest g) {
        return g.running() ? g.maxMemory() * (30 + g.vmid * 31 % 50) / 100 : 0;
    }

    /** @return the {@code /cluster/resources} entry of a guest */
    public Map<String, Object> guestResource(SimGuest g) {
        SimNode n = nodes.get(g.node);
        boolean known = n != null && n.online;
        boolean running = known && g.running();
        long uptime = running ? clock.seconds() - g.startedAt : 0;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.type + "/" + g.vmid);
        m.put("type", g.type);
        m.put("vmid", g.vmid);
        m.put("name", g.name());
        m.put("node", g.node);
        m.put("status", known ? g.status : "unknown");
        m.put("template", g.template() ? 1 : 0);
        m.put("maxcpu", g.cpus(n == null ? 1 : n.cpus));
        m.put("maxmem", g.maxMemory());
        m.put("maxdisk", g.type.equals("lxc") ? g.diskSize() : g.diskSize());
        m.put("cpu", running ? guestCpu(g) : 0);
        m.put("mem", running ? guestMemory(g) : 0);
        m.put("disk", running && g.type.equals("lxc") ? g.diskSize() / 3 : 0);
        m.put("uptime", uptime);
        m.put("netin", running ? 1_000_000L * g.vmid + uptime * 1500 : 0);
        m.put("netout", running ? 500_000L * g.vmid + uptime * 700 : 0);
        m.put("diskread", running ? 2_000_000L * g.vmid + uptime * 4000 : 0);
        m.put("diskwrite", running ? 1_000_000L * g.vmid + uptime * 2500 : 0);
        String tags = g.config.get("tags");
        if (tags != null && !tags.isEmpty()) {
            m.put("tags", tags);
        }
        String pool = poolOf(g.vmid);
        if (pool != null) {
            m.put("pool", pool);
        }
        if (g.lock() != null) {
            m.put("lock", g.lock());
        }
        String hastate = ha.stateOf(g);
        if (hastate != null) {
            m.put("hastate", hastate);
        }
        return m;
    }

    /**
     * @param node a node name
     * @param type {@code qemu} or {@code lxc}
     * @return the {@code /nodes/{node}/qemu} or {@code /nodes/{node}/lxc} list
     */
    public List<Map<String, Object>> guestList(String node, String type) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SimGuest g : guests.values()) {
            if (g.node.equals(node) && g.type.equals(type)) {
                out.add(guestSummary(g));
            }
        }
        return out;
    }

    /**
     * @param g a guest
     * @return its entry in the node's guest list, which is also the core of its current status
     */
    public Map<String, Object> guestSummary(SimGuest g) {
        Map<String, Object> r = guestResource(g);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vmid", g.vmid);
        m.put("name", r.get("name"));
        m.put("status", g.status);
        for (String k : List.of("cpu", "maxcpu", "mem", "maxmem", "disk", "maxdisk", "uptime", "netin", "netout",
                "diskread", "diskwrite", "tags", "lock")) {
            if (r.containsKey(k)) {
                m.put(k.equals("maxcpu") ? "cpus" : k, r.get(k));
            }
        }
        if (g.template()) {
            m.put("template", 1);
        }
        if (g.type.equals("qemu")) {
            if (g.running()) {
                m.put("pid", 10_000 + g.vmid);
                m.put("qmpstatus", g.paused ? "paused" : "running");
            } else {
                m.put("qmpstatus", "stopped");
            }
        } else {
            m.put("type", "lxc");
            m.put("maxswap", parseLong(g.config.getOrDefault("swap", "512")) << 20);
            m.put("swap", 0);
        }
        return m;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
