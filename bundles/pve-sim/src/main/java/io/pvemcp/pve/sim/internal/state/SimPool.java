package io.pvemcp.pve.sim.internal.state;

import java.util.LinkedHashSet;
import java.util.Set;

/** A resource pool: guests and storages grouped for permissions. Guarded by the {@link SimState} lock. */
public final class SimPool {

    final String id;
    String comment;
    final Set<Integer> vmids = new LinkedHashSet<>();
    final Set<String> storages = new LinkedHashSet<>();

    SimPool(String id) {
        this.id = id;
    }

    /** @return the pool id */
    public String id() {
        return id;
    }

    /** @return the comment, or {@code null} */
    public String comment() {
        return comment;
    }

    /** @param comment the comment, or {@code null} */
    public void comment(String comment) {
        this.comment = comment;
    }

    /** @return the member guests (live) */
    public Set<Integer> vmids() {
        return vmids;
    }

    /** @return the member storages (live) */
    public Set<String> storages() {
        return storages;
    }
}
