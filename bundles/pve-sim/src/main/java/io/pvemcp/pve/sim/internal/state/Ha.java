package io.pvemcp.pve.sim.internal.state;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * High availability: HA groups and the guests the HA manager keeps running. Guarded by the {@link SimState}
 * lock.
 */
public final class Ha {

    final Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> resources = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> rules = new LinkedHashMap<>();

    /** @return the HA rules (Proxmox VE 9: node and resource affinity) by name (live) */
    public Map<String, Map<String, Object>> rules() {
        return rules;
    }

    /** @return the HA groups by name (live) */
    public Map<String, Map<String, Object>> groups() {
        return groups;
    }

    /** @return the HA resources by service id, e.g. {@code vm:100} (live) */
    public Map<String, Map<String, Object>> resources() {
        return resources;
    }

    /**
     * @param g a guest
     * @return the service id the HA stack uses for it, e.g. {@code vm:100} or {@code ct:200}
     */
    public static String sid(SimGuest g) {
        return (g.type.equals("qemu") ? "vm:" : "ct:") + g.vmid;
    }

    /**
     * @param g a guest
     * @return whether the HA manager controls it
     */
    public boolean managed(SimGuest g) {
        Map<String, Object> r = resources.get(sid(g));
        return r != null && !"ignored".equals(r.get("state"));
    }

    /**
     * @param g a guest
     * @return the guest's HA state as {@code /cluster/resources} shows it, or {@code null} if not HA-managed
     */
    public String stateOf(SimGuest g) {
        Map<String, Object> r = resources.get(sid(g));
        if (r == null) {
            return null;
        }
        String requested = String.valueOf(r.getOrDefault("state", "started"));
        return switch (requested) {
            case "started", "enabled" -> g.running() ? "started" : "starting";
            case "stopped" -> g.running() ? "stopping" : "stopped";
            default -> requested;
        };
    }

    /**
     * Sets the requested state of a guest's HA resource, if it has one.
     *
     * @param g the guest
     * @param state {@code started} or {@code stopped}
     */
    public void request(SimGuest g, String state) {
        Map<String, Object> r = resources.get(sid(g));
        if (r != null) {
            r.put("state", state);
        }
    }

    /** @param vmid a guest that no longer exists: its HA resource goes too */
    void forget(int vmid) {
        resources.remove("vm:" + vmid);
        resources.remove("ct:" + vmid);
    }
}
