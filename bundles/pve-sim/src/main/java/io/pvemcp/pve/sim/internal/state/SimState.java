package io.pvemcp.pve.sim.internal.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The state of a simulated Proxmox VE cluster. Not thread-safe on its own: callers hold the monitor of this
 * object ({@code synchronized (state)}) while they read or change it, which the API layer does for every
 * request.
 */
public final class SimState {

    /** The Proxmox VE version the simulator reports. */
    public static final String VERSION = "9.1.1";
    /** The release the simulator reports. */
    public static final String RELEASE = "9.1";
    /** The repository id the simulator reports. */
    public static final String REPOID = "42e1c9a5a0c3b9de";

    private static final long GIB = 1024L * 1024 * 1024;

    private final String clusterName;
    private final Map<String, SimNode> nodes = new LinkedHashMap<>();
    private final Map<Integer, SimGuest> guests = new TreeMap<>();
    private final List<SimStorage> storages = new ArrayList<>();
    private final Access access = new Access();
    private final String localNode;

    private SimState(String clusterName, String localNode) {
        this.clusterName = clusterName;
        this.localNode = localNode;
    }

    /**
     * A three-node demo cluster with a few VMs, containers and storages, and the {@code root@pam} account.
     *
     * @param clusterName the cluster name
     * @param rootPassword the password of {@code root@pam}
     * @return the state
     */
    public static SimState demo(String clusterName, String rootPassword) {
        SimState s = new SimState(clusterName, "pve1");
        long now = System.currentTimeMillis() / 1000;
        s.addNode(new SimNode("pve1", 1, "10.0.0.11", 16, 128 * GIB, 100 * GIB, now - 864_000));
        s.addNode(new SimNode("pve2", 2, "10.0.0.12", 16, 128 * GIB, 100 * GIB, now - 432_000));
        s.addNode(new SimNode("pve3", 3, "10.0.0.13", 8, 64 * GIB, 100 * GIB, now - 86_400));
        s.storages.add(new SimStorage("local", "dir", List.of("iso", "vztmpl", "backup", "snippets"), false,
                100 * GIB, 12 * GIB));
        s.storages.add(new SimStorage("local-lvm", "lvmthin", List.of("images", "rootdir"), false, 800 * GIB,
                210 * GIB));
        s.storages.add(new SimStorage("nfs-backup", "nfs", List.of("backup", "iso"), true, 4096 * GIB, 1500 * GIB));
        s.storages.add(new SimStorage("pbs", "pbs", List.of("backup"), true, 8192 * GIB, 2048 * GIB));

        s.addVm(100, "pve1", "web01", 2, 4096, "running", "production;web");
        s.addVm(101, "pve1", "db01", 4, 16384, "running", "production;db");
        s.addVm(102, "pve2", "build01", 8, 8192, "stopped", "ci");
        s.addVm(103, "pve2", "build02", 8, 8192, "stopped", "ci");
        s.addVm(104, "pve3", "monitoring", 2, 4096, "running", "ops");
        SimGuest template = s.addVm(9000, "pve1", "debian-12-cloudinit", 2, 2048, "stopped", "template");
        template.template = true;
        template.config.put("template", "1");
        s.addCt(200, "pve1", "dns01", 1, 512, "running", "infra");
        s.addCt(201, "pve3", "proxy01", 2, 1024, "stopped", "infra");

        s.access.addUser("root@pam", rootPassword);
        for (SimNode n : s.nodes.values()) {
            n.memoryUsed = n.memoryTotal / 4;
            n.rootfsUsed = n.rootfsTotal / 5;
            n.cpuLoad = 0.05;
        }
        return s;
    }

    private void addNode(SimNode n) {
        nodes.put(n.name, n);
    }

    private SimGuest addVm(int vmid, String node, String name, int cores, int memoryMb, String status, String tags) {
        SimGuest g = new SimGuest("qemu", vmid, node);
        g.config.put("name", name);
        g.config.put("cores", Integer.toString(cores));
        g.config.put("sockets", "1");
        g.config.put("memory", Integer.toString(memoryMb));
        g.config.put("ostype", "l26");
        g.config.put("scsihw", "virtio-scsi-single");
        g.config.put("scsi0", "local-lvm:vm-" + vmid + "-disk-0,iothread=1,size=32G");
        g.config.put("net0", "virtio=BC:24:11:00:" + String.format("%02X:%02X", vmid / 256 % 256, vmid % 256)
                + ",bridge=vmbr0,firewall=1");
        g.config.put("boot", "order=scsi0;net0");
        g.config.put("tags", tags);
        setStatus(g, status);
        guests.put(vmid, g);
        return g;
    }

    private SimGuest addCt(int vmid, String node, String hostname, int cores, int memoryMb, String status, String tags) {
        SimGuest g = new SimGuest("lxc", vmid, node);
        g.config.put("hostname", hostname);
        g.config.put("cores", Integer.toString(cores));
        g.config.put("memory", Integer.toString(memoryMb));
        g.config.put("swap", "512");
        g.config.put("ostype", "debian");
        g.config.put("arch", "amd64");
        g.config.put("rootfs", "local-lvm:vm-" + vmid + "-disk-0,size=8G");
        g.config.put("net0", "name=eth0,bridge=vmbr0,ip=dhcp,type=veth");
        g.config.put("unprivileged", "1");
        g.config.put("tags", tags);
        setStatus(g, status);
        guests.put(vmid, g);
        return g;
    }

    private static void setStatus(SimGuest g, String status) {
        g.status = status;
        g.startedAt = "running".equals(status) ? System.currentTimeMillis() / 1000 - 3600L * g.vmid % 86_400 : 0;
    }

    /** @return the access control model */
    public Access access() {
        return access;
    }

    /** @return the cluster name */
    public String clusterName() {
        return clusterName;
    }

    /** @return the node this simulator pretends to be */
    public String localNode() {
        return localNode;
    }

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

    /** @return the guests by VMID */
    public Map<Integer, SimGuest> guests() {
        return guests;
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
    }

    /** Adds a user with a password (for tests and the standalone simulator). */
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
            m.put("cpu", n.cpuLoad);
            m.put("maxcpu", n.cpus);
            m.put("mem", n.memoryUsed);
            m.put("maxmem", n.memoryTotal);
            m.put("disk", n.rootfsUsed);
            m.put("maxdisk", n.rootfsTotal);
            m.put("uptime", System.currentTimeMillis() / 1000 - n.bootTime);
            m.put("level", "");
            m.put("ssl_fingerprint", "");
        }
        return m;
    }

    /** @return the {@code /nodes/{node}/status} data */
    public Map<String, Object> nodeStatus(SimNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uptime", System.currentTimeMillis() / 1000 - n.bootTime);
        m.put("cpu", n.cpuLoad);
        m.put("loadavg", List.of("0.42", "0.38", "0.35"));
        m.put("wait", 0.001);
        m.put("pveversion", "pve-manager/" + VERSION + "/" + REPOID);
        m.put("kversion", "Linux 6.17.2-1-pve #1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2025-11-01T10:00Z) x86_64");
        m.put("current-kernel", Map.of("sysname", "Linux", "release", "6.17.2-1-pve", "machine", "x86_64",
                "version", "#1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2025-11-01T10:00Z)"));
        m.put("boot-info", Map.of("mode", "efi", "secureboot", false));
        m.put("cpuinfo", Map.of("model", n.cpuModel, "cores", n.cpus / 2, "cpus", n.cpus, "sockets", 1,
                "mhz", "2000.000", "hvm", "1", "flags", "fpu vme de pse tsc msr pae mce"));
        m.put("memory", Map.of("total", n.memoryTotal, "used", n.memoryUsed, "free", n.memoryTotal - n.memoryUsed,
                "available", n.memoryTotal - n.memoryUsed));
        m.put("swap", Map.of("total", 8 * GIB, "used", 0L, "free", 8 * GIB));
        m.put("rootfs", Map.of("total", n.rootfsTotal, "used", n.rootfsUsed, "free", n.rootfsTotal - n.rootfsUsed,
                "avail", n.rootfsTotal - n.rootfsUsed));
        m.put("ksm", Map.of("shared", 0));
        return m;
    }

    /** @return the {@code /cluster/status} data */
    public List<Map<String, Object>> clusterStatus() {
        List<Map<String, Object>> out = new ArrayList<>();
        long online = nodes.values().stream().filter(n -> n.online).count();
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("id", "cluster");
        cluster.put("name", clusterName);
        cluster.put("type", "cluster");
        cluster.put("nodes", nodes.size());
        cluster.put("quorate", online * 2 > nodes.size());
        cluster.put("version", nodes.size() + 1);
        out.add(cluster);
        for (SimNode n : nodes.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", "node/" + n.name);
            m.put("name", n.name);
            m.put("type", "node");
            m.put("ip", n.ip);
            m.put("nodeid", n.nodeId);
            m.put("online", n.online);
            m.put("local", n.name.equals(localNode));
            m.put("level", "");
            out.add(m);
        }
        return out;
    }

    /**
     * @param type {@code vm}, {@code node}, {@code storage}, or {@code null} for all
     * @return the {@code /cluster/resources} data
     */
    public List<Map<String, Object>> resources(String type) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (type == null || type.equals("node")) {
            for (SimNode n : nodes.values()) {
                out.add(nodeEntry(n));
            }
        }
        if (type == null || type.equals("vm")) {
            for (SimGuest g : guests.values()) {
                out.add(guestResource(g));
            }
        }
        if (type == null || type.equals("storage")) {
            for (SimNode n : nodes.values()) {
                for (SimStorage st : storages) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", "storage/" + n.name + "/" + st.id());
                    m.put("type", "storage");
                    m.put("storage", st.id());
                    m.put("node", n.name);
                    m.put("plugintype", st.type());
                    m.put("content", String.join(",", st.content()));
                    m.put("shared", st.shared() ? 1 : 0);
                    m.put("status", n.online ? "available" : "unknown");
                    if (n.online) {
                        m.put("disk", st.used());
                        m.put("maxdisk", st.total());
                    }
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** @return the {@code /cluster/resources} entry of a guest */
    public Map<String, Object> guestResource(SimGuest g) {
        SimNode n = nodes.get(g.node);
        boolean known = n != null && n.online;
        boolean running = known && "running".equals(g.status);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.type + "/" + g.vmid);
        m.put("type", g.type);
        m.put("vmid", g.vmid);
        m.put("name", g.name());
        m.put("node", g.node);
        m.put("status", known ? g.status : "unknown");
        m.put("template", g.template ? 1 : 0);
        m.put("maxcpu", g.cores());
        m.put("maxmem", g.maxMemory());
        m.put("maxdisk", 32 * GIB);
        m.put("cpu", running ? 0.02 + (g.vmid % 7) / 100.0 : 0);
        m.put("mem", running ? g.maxMemory() / 2 : 0);
        m.put("disk", 0);
        m.put("uptime", running ? System.currentTimeMillis() / 1000 - g.startedAt : 0);
        m.put("netin", running ? 1_000_000L * g.vmid : 0);
        m.put("netout", running ? 500_000L * g.vmid : 0);
        m.put("diskread", running ? 2_000_000L * g.vmid : 0);
        m.put("diskwrite", running ? 1_000_000L * g.vmid : 0);
        String tags = g.config.get("tags");
        if (tags != null && !tags.isEmpty()) {
            m.put("tags", tags);
        }
        if (g.pool != null) {
            m.put("pool", g.pool);
        }
        if (g.lock != null) {
            m.put("lock", g.lock);
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
                Map<String, Object> r = guestResource(g);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("vmid", g.vmid);
                m.put("name", r.get("name"));
                m.put("status", g.status);
                for (String k : List.of("cpu", "maxcpu", "mem", "maxmem", "disk", "maxdisk", "uptime", "netin",
                        "netout", "diskread", "diskwrite", "tags", "lock")) {
                    if (r.containsKey(k)) {
                        m.put(k.equals("maxcpu") ? "cpus" : k, r.get(k));
                    }
                }
                if (g.template) {
                    m.put("template", 1);
                }
                if (type.equals("lxc")) {
                    m.put("type", "lxc");
                    m.put("maxswap", 512L * 1024 * 1024);
                    m.put("swap", 0);
                }
                out.add(m);
            }
        }
        return out;
    }

    /** @return the lowest free VMID from 100 */
    public int nextId() {
        int id = 100;
        while (guests.containsKey(id)) {
            id++;
        }
        return id;
    }
}
