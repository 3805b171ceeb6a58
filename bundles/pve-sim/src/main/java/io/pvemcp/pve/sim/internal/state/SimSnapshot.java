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

    /** @return the snapshot name */
    public String name() {
        return name;
    }

    /** @param text the new description */
    public void description(String text) {
        this.description = text;
    }
}
