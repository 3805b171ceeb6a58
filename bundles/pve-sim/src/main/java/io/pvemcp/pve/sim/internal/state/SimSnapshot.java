package io.pvemcp.pve.sim.internal.state;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of a guest: the configuration at that moment, and whether it holds the RAM state.
 * Guarded by the {@link SimState} lock.
 */
public final class SimSnapshot {

    final String name;
    String description;
    final long snaptime;
    final String parent;
    final boolean vmstate;
    /** Whether the guest was running when the snapshot was taken (for a rollback with RAM state). */
    final boolean running;
    final Map<String, String> config;

    SimSnapshot(String name, String description, long snaptime, String parent, boolean vmstate, boolean running,
            Map<String, String> config) {
        this.name = name;
        this.description = description;
        this.snaptime = snaptime;
        this.parent = parent;
        this.vmstate = vmstate;
        this.running = running;
        this.config = new LinkedHashMap<>(config);
    }

    /**
     * @param g the guest it belongs to
     * @return its section of the configuration file: the configuration then, with {@code parent}, {@code snaptime},
     *         {@code description} and, for a VM snapshot with RAM, {@code vmstate} (the volume that holds the RAM)
     */
    public Map<String, String> section(SimGuest g) {
        Map<String, String> out = new LinkedHashMap<>(config);
        out.remove("digest");
        if (parent != null) {
            out.put("parent", parent);
        }
        out.put("snaptime", Long.toString(snaptime));
        if (description != null && !description.isEmpty()) {
            out.put("description", description);
        }
        if (g.type.equals("qemu") && vmstate) {
            String disk = g.diskVolumes().values().stream().findFirst().orElse("local-lvm:x");
            out.put("vmstate", disk.substring(0, disk.indexOf(':')) + ":vm-" + g.vmid + "-state-" + name);
        }
        return out;
    }

    /** @return the snapshot name */
    public String name() {
        return name;
    }

    /** @param text the new description */
    public void description(String text) {
        this.description = text;
    }
}
