package io.pvemcp.pve.sim.internal.state;

/** A node of the simulated cluster. Guarded by the {@link SimState} lock. */
public final class SimNode {

    final String name;
    final int nodeId;
    final String ip;
    final int cpus;
    final String cpuModel;
    final long memoryTotal;
    final long rootfsTotal;
    final long bootTime;
    boolean online = true;
    double cpuLoad;
    long memoryUsed;
    long rootfsUsed;

    SimNode(String name, int nodeId, String ip, int cpus, long memoryTotal, long rootfsTotal, long bootTime) {
        this.name = name;
        this.nodeId = nodeId;
        this.ip = ip;
        this.cpus = cpus;
        this.cpuModel = "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz";
        this.memoryTotal = memoryTotal;
        this.rootfsTotal = rootfsTotal;
        this.bootTime = bootTime;
    }

    /** @return the node name */
    public String name() {
        return name;
    }

    /** @return whether the node is reachable */
    public boolean online() {
        return online;
    }
}
