package io.pvemcp.pve.sim.internal.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.pvemcp.pve.contract.PropertyString;

/**
 * A QEMU VM or LXC container of the simulated cluster: its configuration as Proxmox VE stores it (strings,
 * property strings included), pending changes, snapshots and run state. Guarded by the {@link SimState} lock.
 */
public final class SimGuest {

    private static final Pattern QEMU_DISK = Pattern.compile("(ide|sata|scsi|virtio)\\d+|efidisk0|tpmstate0|unused\\d+");
    private static final Pattern LXC_DISK = Pattern.compile("rootfs|mp\\d+|unused\\d+");

    /** {@code qemu} or {@code lxc}. */
    final String type;
    final int vmid;
    String node;
    /** {@code running} or {@code stopped}. */
    String status = "stopped";
    /** A running VM whose CPUs are paused (suspend without {@code todisk}). */
    boolean paused;
    long startedAt;
    /** The configuration, without snapshots and pending changes. */
    final Map<String, String> config = new LinkedHashMap<>();
    final Map<String, String> pending = new LinkedHashMap<>();
    final Set<String> pendingDelete = new LinkedHashSet<>();
    final Map<String, SimSnapshot> snapshots = new LinkedHashMap<>();
    /** Whether the guest OS runs the QEMU guest agent (when the VM has {@code agent} configured). */
    boolean agentInstalled = true;
    /** Fault: the guest OS ignores ACPI shutdown requests, so shutdown runs into its timeout. */
    boolean ignoresShutdown;
    /** The address the guest OS configured, reported by the guest agent and container interfaces. */
    String guestAddress;

    SimGuest(String type, int vmid, String node) {
        this.type = type;
        this.vmid = vmid;
        this.node = node;
    }

    /** @return {@code qemu} or {@code lxc} */
    public String type() {
        return type;
    }

    /** @return {@code VM} or {@code CT}, as Proxmox names the guest in messages */
    public String kind() {
        return type.equals("qemu") ? "VM" : "CT";
    }

    /** @return the VMID */
    public int vmid() {
        return vmid;
    }

    /** @return the node the guest lives on */
    public String node() {
        return node;
    }

    /** @return {@code running} or {@code stopped} */
    public String status() {
        return status;
    }

    /** @return whether the guest runs */
    public boolean running() {
        return status.equals("running");
    }

    /** @return whether a running VM is paused */
    public boolean paused() {
        return paused;
    }

    /** @return the configuration (live: callers hold the state lock) */
    public Map<String, String> config() {
        return config;
    }

    /** @return the pending changes (live) */
    public Map<String, String> pending() {
        return pending;
    }

    /** @return the pending deletions (live) */
    public Set<String> pendingDelete() {
        return pendingDelete;
    }

    /** @return the snapshots by name, oldest first (live) */
    public Map<String, SimSnapshot> snapshots() {
        return snapshots;
    }

    /** @return whether the guest OS runs the QEMU guest agent */
    public boolean agentInstalled() {
        return agentInstalled;
    }

    /** @return the address the guest OS configured, or {@code null} */
    public String guestAddress() {
        return guestAddress;
    }

    /** @param ignore whether the guest OS ignores ACPI shutdown requests (a fault) */
    public void ignoresShutdown(boolean ignore) {
        this.ignoresShutdown = ignore;
    }

    /** @return whether the guest OS ignores ACPI shutdown requests */
    public boolean ignoresShutdown() {
        return ignoresShutdown;
    }

    /** @return the config lock ({@code backup}, {@code migrate}, ...), or {@code null} */
    public String lock() {
        return config.get("lock");
    }

    /** @return whether the guest is a template */
    public boolean template() {
        return "1".equals(config.get("template"));
    }

    /** @return whether the protection flag is set */
    public boolean protectedFlag() {
        return "1".equals(config.get("protection"));
    }

    /** @return the VM name or container host name */
    public String name() {
        return config.getOrDefault(type.equals("qemu") ? "name" : "hostname",
                (type.equals("qemu") ? "VM " : "CT ") + vmid);
    }

    /** @return the memory limit in bytes */
    public long maxMemory() {
        String mem = config.getOrDefault("memory", "512");
        String current = PropertyString.parse(mem, "current").getOrDefault("current", "512");
        try {
            return Long.parseLong(current) << 20;
        } catch (NumberFormatException e) {
            return 512L << 20;
        }
    }

    /**
     * @param hostCpus the CPUs of the host, for containers without a core limit
     * @return the number of virtual CPUs
     */
    public int cpus(int hostCpus) {
        if (type.equals("lxc")) {
            return config.containsKey("cores") ? intValue("cores", 1) : hostCpus;
        }
        return intValue("cores", 1) * intValue("sockets", 1);
    }

    private int intValue(String key, int fallback) {
        try {
            return Integer.parseInt(config.getOrDefault(key, Integer.toString(fallback)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /**
     * @param key a configuration key
     * @return whether it names a disk of this kind of guest ({@code scsi0}, {@code rootfs}, {@code unused1}, ...)
     */
    public boolean isDiskKey(String key) {
        return isDiskKey(type, key);
    }

    /**
     * @param type {@code qemu} or {@code lxc}
     * @param key a configuration key
     * @return {@code true} if it is a disk of that kind of guest
     */
    public static boolean isDiskKey(String type, String key) {
        return (type.equals("qemu") ? QEMU_DISK : LXC_DISK).matcher(key).matches();
    }

    /** @return the property that holds a disk's volume: {@code file} for VMs, {@code volume} for containers */
    public String volumeKey() {
        return type.equals("qemu") ? "file" : "volume";
    }

    /**
     * @param value a disk's configuration value
     * @return whether it is a CD-ROM drive (which holds an ISO image, not a disk of the guest)
     */
    public static boolean isCdrom(String value) {
        Map<String, String> p = PropertyString.parse(value, "file");
        return "cdrom".equals(p.get("media")) || "cdrom".equals(p.get("file")) || "none".equals(p.get("file"));
    }

    /** @return the disks of this guest (CD-ROM drives excluded) as key to volume id, in configuration order */
    public Map<String, String> diskVolumes() {
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : config.entrySet()) {
            if (isDiskKey(e.getKey()) && !isCdrom(e.getValue())) {
                out.put(e.getKey(), PropertyString.parse(e.getValue(), volumeKey()).get(volumeKey()));
            }
        }
        return out;
    }

    /** @return the total size of the guest's disks in bytes, from their {@code size} properties */
    public long diskSize() {
        long total = 0;
        for (var e : config.entrySet()) {
            if (isDiskKey(e.getKey()) && !e.getKey().startsWith("unused") && !isCdrom(e.getValue())) {
                String size = PropertyString.parse(e.getValue(), volumeKey()).get("size");
                if (size != null) {
                    try {
                        total += PropertyString.parseSize(size);
                    } catch (IllegalArgumentException ignored) {
                        // not a size; ignore
                    }
                }
            }
        }
        return total;
    }

    /** @return the SHA-1 digest of the configuration file, as Proxmox VE reports it for optimistic locking */
    public String digest() {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(config).forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
        pending.forEach((k, v) -> sb.append("pending ").append(k).append(": ").append(v).append('\n'));
        pendingDelete.forEach(k -> sb.append("delete ").append(k).append('\n'));
        snapshots.keySet().forEach(k -> sb.append('[').append(k).append("]\n"));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the configuration path Proxmox VE uses in messages, e.g. {@code nodes/pve1/qemu-server/100.conf} */
    public String configPath() {
        return configPath(type, node, vmid);
    }

    /**
     * @param type {@code qemu} or {@code lxc}
     * @param node a node
     * @param vmid a VMID
     * @return the configuration path Proxmox VE uses in messages
     */
    public static String configPath(String type, String node, int vmid) {
        return "nodes/" + node + "/" + (type.equals("qemu") ? "qemu-server" : "lxc") + "/" + vmid + ".conf";
    }
}
