package io.pvemcp.pve.sim.internal.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A storage of the simulated cluster, as defined in {@code storage.cfg}, with the volumes it holds. A local
 * storage (not shared) exists on each node it is enabled for, with its own capacity and volumes there.
 * Guarded by the {@link SimState} lock.
 */
public final class SimStorage {

    /** The content types Proxmox VE knows, in its order. */
    public static final List<String> CONTENT_TYPES = List.of("images", "rootdir", "vztmpl", "iso", "backup",
            "snippets", "import");

    final String id;
    final String type;
    final Set<String> content = new LinkedHashSet<>();
    boolean shared;
    boolean disabled;
    /** Capacity in bytes, per node for local storage. */
    long total;
    /** Bytes used by data the simulator does not model, per node for local storage. */
    long baseUsed;
    /** The nodes the storage is restricted to, or empty for all nodes. */
    final Set<String> nodes = new LinkedHashSet<>();
    /** Type-specific settings as in {@code storage.cfg} (path, vgname, server, datastore, ...). */
    final Map<String, String> settings = new LinkedHashMap<>();
    /** Volumes by volid, for shared storage; by node and volid for local storage. */
    private final Map<String, Map<String, SimVolume>> volumes = new LinkedHashMap<>();

    SimStorage(String id, String type) {
        this.id = id;
        this.type = type;
    }

    /** @return the storage id */
    public String id() {
        return id;
    }

    /** @return the storage type: {@code dir}, {@code lvmthin}, {@code nfs} or {@code pbs} */
    public String type() {
        return type;
    }

    /** @return whether all nodes see the same volumes */
    public boolean shared() {
        return shared;
    }

    /** @return the capacity in bytes (per node for local storage) */
    public long total() {
        return total;
    }

    /** @return whether the storage is disabled */
    public boolean disabled() {
        return disabled;
    }

    /** @return the nodes it is restricted to; empty for all */
    public Set<String> nodes() {
        return nodes;
    }

    /** @return type-specific settings (path, vgname, server, ...) (live) */
    public Map<String, String> settings() {
        return settings;
    }

    /** @param value whether the storage is shared */
    public void shared(boolean value) {
        this.shared = value;
    }

    /** @param value whether the storage is disabled */
    public void disabled(boolean value) {
        this.disabled = value;
    }

    /** @param bytes the capacity */
    public void total(long bytes) {
        this.total = bytes;
    }

    /** @return the content types it holds */
    public Set<String> content() {
        return content;
    }

    /**
     * @param node a node name
     * @return whether the storage is configured and enabled on that node
     */
    public boolean availableOn(String node) {
        return !disabled && (nodes.isEmpty() || nodes.contains(node));
    }

    /** @return whether it can hold images with snapshots and linked clones (thin or qcow2) */
    boolean supportsSnapshots() {
        return type.equals("lvmthin") || type.equals("dir") || type.equals("nfs") || type.equals("zfspool");
    }

    /** @return whether guest disks on it are files in a directory */
    boolean fileBased() {
        return type.equals("dir") || type.equals("nfs");
    }

    private String key(String node) {
        return shared ? "" : node;
    }

    /**
     * @param node the node asking
     * @return the volumes the node sees on this storage
     */
    public List<SimVolume> volumes(String node) {
        return new ArrayList<>(volumes.getOrDefault(key(node), Map.of()).values());
    }

    /** @return every volume on this storage, on every node */
    List<SimVolume> allVolumes() {
        List<SimVolume> out = new ArrayList<>();
        volumes.values().forEach(m -> out.addAll(m.values()));
        return out;
    }

    SimVolume volume(String node, String volid) {
        return volumes.getOrDefault(key(node), Map.of()).get(volid);
    }

    void add(SimVolume v) {
        volumes.computeIfAbsent(key(v.node), k -> new LinkedHashMap<>()).put(v.volid, v);
    }

    boolean remove(String node, String volid) {
        Map<String, SimVolume> m = volumes.get(key(node));
        return m != null && m.remove(volid) != null;
    }

    /**
     * @param node a node
     * @return bytes in use on that node (or on the shared storage)
     */
    public long used(String node) {
        long used = baseUsed;
        for (SimVolume v : volumes.getOrDefault(key(node), Map.of()).values()) {
            used += v.parent != null ? v.size / 10 : v.size;
        }
        return Math.min(used, total);
    }

    /**
     * @param node a node
     * @return bytes free on that node (or on the shared storage)
     */
    public long avail(String node) {
        return Math.max(0, total - used(node));
    }
}
