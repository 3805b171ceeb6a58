package io.pvemcp.pve.sim.internal.state;

import java.util.Locale;

/**
 * Generates a large cluster for scale tests and benchmarks: many nodes and guests, spread evenly, most of them
 * running, in pools and with tags, each with a disk on the node's thin pool. Deterministic: the same sizes give
 * the same cluster.
 */
public final class Generator {

    private static final String[] TEAMS = {"alpha", "bravo", "charlie", "delta", "echo"};
    private static final String[] ROLES = {"web", "db", "cache", "worker", "ci", "monitoring", "proxy", "app"};

    private Generator() {
    }

    /**
     * @param clusterName the cluster name
     * @param rootPassword the password of {@code root@pam}
     * @param nodeCount how many nodes (1 to 1000)
     * @param guestCount how many guests (0 to 1,000,000); one in five is a container
     * @return the cluster
     */
    public static SimState large(String clusterName, String rootPassword, int nodeCount, int guestCount) {
        if (nodeCount < 1 || nodeCount > 1000) {
            throw new IllegalArgumentException("node count must be between 1 and 1000: " + nodeCount);
        }
        if (guestCount < 0 || guestCount > 1_000_000) {
            throw new IllegalArgumentException("guest count must be between 0 and 1000000: " + guestCount);
        }
        SimState s = new SimState(clusterName, "node001");
        long now = s.clock().seconds();
        for (int i = 1; i <= nodeCount; i++) {
            s.addNode(String.format(Locale.ROOT, "node%03d", i), 64, 512 * SimState.GIB, 94 * SimState.GIB,
                    86_400L * (5 + i % 60));
        }
        SimStorage local = s.addStorage("local", "dir");
        local.content.addAll(java.util.List.of("iso", "vztmpl", "backup"));
        local.total = 94 * SimState.GIB;
        local.baseUsed = 8 * SimState.GIB;
        local.settings.put("path", "/var/lib/vz");
        SimStorage thin = s.addStorage("local-lvm", "lvmthin");
        thin.content.addAll(java.util.List.of("images", "rootdir"));
        thin.total = 16_384 * SimState.GIB;
        thin.settings.put("vgname", "pve");
        thin.settings.put("thinpool", "data");
        SimStorage shared = s.addStorage("ceph-nfs", "nfs");
        shared.shared = true;
        shared.content.addAll(java.util.List.of("images", "rootdir", "iso", "backup"));
        shared.total = 1_048_576 * SimState.GIB;
        shared.baseUsed = 100_000 * SimState.GIB;
        shared.settings.put("server", "10.0.0.50");
        shared.settings.put("export", "/srv/pve");
        shared.settings.put("path", "/mnt/pve/ceph-nfs");
        for (SimNode n : s.nodes()) {
            s.volumes().register(local, n.name, "local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst", "vztmpl",
                    131L << 20, null, now - 86_400);
        }
        s.volumes().register(shared, null, "ceph-nfs:iso/debian-13.1.0-amd64-netinst.iso", "iso", 754L << 20, null,
                now - 86_400);
        for (String team : TEAMS) {
            s.addPool(team, "Team " + team);
        }
        java.util.List<SimNode> nodes = s.nodes();
        for (int i = 0; i < guestCount; i++) {
            int vmid = 1000 + i;
            SimNode node = nodes.get(i % nodes.size());
            boolean ct = i % 5 == 4;
            SimGuest g = s.newGuest(ct ? "lxc" : "qemu", vmid, node.name);
            String role = ROLES[i % ROLES.length];
            String team = TEAMS[(i / 7) % TEAMS.length];
            long size = (ct ? 8L : 32L) * SimState.GIB;
            String volid = "local-lvm:vm-" + vmid + "-disk-0";
            if (ct) {
                g.config.put("hostname", String.format(Locale.ROOT, "%s-%s-%05d", team, role, i));
                g.config.put("cores", Integer.toString(1 + i % 4));
                g.config.put("memory", Integer.toString(512 << (i % 3)));
                g.config.put("swap", "512");
                g.config.put("ostype", "debian");
                g.config.put("arch", "amd64");
                g.config.put("rootfs", volid + ",size=8G");
                g.config.put("net0", "name=eth0,bridge=vmbr0,hwaddr=" + mac(vmid) + ",ip=dhcp,type=veth");
                g.config.put("unprivileged", "1");
            } else {
                g.config.put("name", String.format(Locale.ROOT, "%s-%s-%05d", team, role, i));
                g.config.put("cores", Integer.toString(1 << (i % 3)));
                g.config.put("sockets", "1");
                g.config.put("memory", Integer.toString(1024 << (i % 4)));
                g.config.put("ostype", "l26");
                g.config.put("scsihw", "virtio-scsi-single");
                g.config.put("scsi0", volid + ",iothread=1,size=32G");
                g.config.put("net0", "virtio=" + mac(vmid) + ",bridge=vmbr0");
                g.config.put("boot", "order=scsi0");
                g.config.put("agent", "1");
            }
            g.config.put("tags", team + ";" + role);
            g.status = i % 10 < 7 ? "running" : "stopped";
            if (g.running()) {
                g.startedAt = now - 3600L * (1 + i % 500);
            }
            s.volumes().register(thin, node.name, volid, ct ? "rootdir" : "images", size, vmid, now - 86_400L * (i % 365));
            s.pools().get(team).vmids.add(vmid);
        }
        s.access().addUser("root@pam", rootPassword);
        s.clusterLog("root@pam", "generated cluster '" + clusterName + "' with " + nodeCount + " nodes and "
                + guestCount + " guests");
        return s;
    }

    private static String mac(int vmid) {
        return String.format(Locale.ROOT, "BC:24:11:%02X:%02X:%02X", (vmid >> 16) & 0xff, (vmid >> 8) & 0xff, vmid & 0xff);
    }
}
