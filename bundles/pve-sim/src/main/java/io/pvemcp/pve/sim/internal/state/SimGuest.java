package io.pvemcp.pve.sim.internal.state;

import java.util.LinkedHashMap;
import java.util.Map;

/** A QEMU VM or LXC container of the simulated cluster. Guarded by the {@link SimState} lock. */
public final class SimGuest {

    /** {@code qemu} or {@code lxc}. */
    final String type;
    final int vmid;
    String node;
    String status = "stopped";
    long startedAt;
    String pool;
    String lock;
    boolean template;
    final Map<String, String> config = new LinkedHashMap<>();

    SimGuest(String type, int vmid, String node) {
        this.type = type;
        this.vmid = vmid;
        this.node = node;
    }

    /** @return {@code qemu} or {@code lxc} */
    public String type() {
        return type;
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

    String name() {
        return config.getOrDefault(type.equals("qemu") ? "name" : "hostname", (type.equals("qemu") ? "VM " : "CT ") + vmid);
    }

    long maxMemory() {
        return Long.parseLong(config.getOrDefault("memory", "512")) * 1024 * 1024;
    }

    int cores() {
        return Integer.parseInt(config.getOrDefault("cores", "1")) * Integer.parseInt(config.getOrDefault("sockets", "1"));
    }
}
