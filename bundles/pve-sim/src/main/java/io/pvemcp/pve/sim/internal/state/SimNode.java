package io.pvemcp.pve.sim.internal.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A node of the simulated cluster. Guarded by the {@link SimState} lock. */
public final class SimNode {

    final String name;
    final int nodeId;
    final String ip;
    final int cpus;
    final String cpuModel;
    final long memoryTotal;
    final long rootfsTotal;
    final long swapTotal;
    final long bootTime;
    boolean online = true;
    /** Extra latency of requests for this node, in milliseconds. */
    long latencyMillis;
    double cpuLoad;
    long memoryUsed;
    long rootfsUsed;
    /** Network interfaces by name, as {@code /nodes/{node}/network} lists them. */
    final Map<String, Map<String, Object>> network = new LinkedHashMap<>();
    /** Staged interface changes ({@code /etc/network/interfaces.new}); {@code null} values are deletions. */
    final Map<String, Map<String, Object>> pendingNetwork = new LinkedHashMap<>();
    /** Physical disks, as {@code /nodes/{node}/disks/list} lists them. */
    final List<Map<String, Object>> disks = new ArrayList<>();
    String dnsSearch = "example.com";
    final List<String> dnsServers = new ArrayList<>(List.of("10.0.0.1", "1.1.1.1"));
    String timezone = "Europe/Vienna";

    SimNode(String name, int nodeId, String ip, int cpus, long memoryTotal, long rootfsTotal, long bootTime) {
        this.name = name;
        this.nodeId = nodeId;
        this.ip = ip;
        this.cpus = cpus;
        this.cpuModel = cpus >= 32 ? "AMD EPYC 7543 32-Core Processor" : "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz";
        this.memoryTotal = memoryTotal;
        this.rootfsTotal = rootfsTotal;
        this.swapTotal = 8L << 30;
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

    /** @return the extra latency of requests for this node, in milliseconds */
    public long latencyMillis() {
        return latencyMillis;
    }

    /** @return the node's address on the cluster network */
    public String ip() {
        return ip;
    }

    /** @return the number of logical CPUs */
    public int cpus() {
        return cpus;
    }

    /** @return total memory in bytes */
    public long memoryTotal() {
        return memoryTotal;
    }

    /** @return the network interfaces by name */
    public Map<String, Map<String, Object>> network() {
        return network;
    }

    /** @return staged network changes by interface; {@code null} values are deletions */
    public Map<String, Map<String, Object>> pendingNetwork() {
        return pendingNetwork;
    }

    /** @return the CPU model */
    public String cpuModel() {
        return cpuModel;
    }

    /** @return the boot time (seconds) */
    public long bootTime() {
        return bootTime;
    }

    /** @return the DNS search domain */
    public String dnsSearch() {
        return dnsSearch;
    }

    /** @return the DNS servers (live) */
    public List<String> dnsServers() {
        return dnsServers;
    }

    /** @param search the DNS search domain */
    public void dnsSearch(String search) {
        this.dnsSearch = search;
    }

    /** @return the time zone */
    public String timezone() {
        return timezone;
    }

    /** @param zone the time zone */
    public void timezone(String zone) {
        this.timezone = zone;
    }

    /** @return the physical disks */
    public List<Map<String, Object>> disks() {
        return disks;
    }

    /** Gives the node the interfaces of a typical Proxmox VE host: two NICs in a bond, a bridge, a VLAN. */
    void defaultNetwork() {
        String prefix = ip.substring(0, ip.lastIndexOf('.'));
        network.put("lo", iface("lo", "loopback", Map.of("method", "loopback", "autostart", 1, "active", 1)));
        network.put("eno1", iface("eno1", "eth", Map.of("method", "manual", "exists", 1, "active", 1)));
        network.put("eno2", iface("eno2", "eth", Map.of("method", "manual", "exists", 1, "active", 1)));
        network.put("bond0", iface("bond0", "bond", Map.of("method", "manual", "autostart", 1, "active", 1,
                "slaves", "eno1 eno2", "bond_mode", "802.3ad", "bond_xmit_hash_policy", "layer3+4")));
        Map<String, Object> bridge = new LinkedHashMap<>(Map.of("method", "static", "autostart", 1, "active", 1,
                "bridge_ports", "bond0", "bridge_stp", "off", "bridge_fd", "0", "bridge_vlan_aware", 1,
                "bridge_vids", "2-4094"));
        bridge.put("address", ip);
        bridge.put("netmask", "24");
        bridge.put("cidr", ip + "/24");
        bridge.put("gateway", prefix + ".1");
        network.put("vmbr0", iface("vmbr0", "bridge", bridge));
        Map<String, Object> vlan = new LinkedHashMap<>(Map.of("method", "static", "autostart", 1, "active", 1,
                "vlan-raw-device", "vmbr0", "vlan-id", 100));
        vlan.put("address", "10.100.0." + (10 + nodeId));
        vlan.put("netmask", "24");
        vlan.put("cidr", "10.100.0." + (10 + nodeId) + "/24");
        vlan.put("comments", "storage network\n");
        network.put("vmbr0.100", iface("vmbr0.100", "vlan", vlan));
        network.put("vmbr1", iface("vmbr1", "bridge", Map.of("method", "manual", "autostart", 1, "active", 1,
                "bridge_ports", "none", "bridge_stp", "off", "bridge_fd", "0", "comments", "isolated lab network\n")));
        disks.add(disk("/dev/nvme0n1", 1_000_204_886_016L, "Samsung SSD 980 PRO 1TB", "nvme", "BIOS boot", true));
        disks.add(disk("/dev/sda", 4_000_787_030_016L, "WDC WD40EFZX-68AWUN0", "hdd", "LVM", true));
        disks.add(disk("/dev/sdb", 4_000_787_030_016L, "WDC WD40EFZX-68AWUN0", "hdd", null, false));
    }

    private static Map<String, Object> iface(String name, String type, Map<String, Object> settings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("iface", name);
        m.put("type", type);
        m.putAll(settings);
        m.put("families", List.of("inet"));
        m.put("priority", 3);
        return m;
    }

    private Map<String, Object> disk(String dev, long size, String model, String kind, String used, boolean gpt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("devpath", dev);
        m.put("size", size);
        m.put("model", model);
        m.put("serial", Integer.toHexString((name + dev).hashCode()).toUpperCase(java.util.Locale.ROOT));
        m.put("type", kind);
        m.put("health", "PASSED");
        m.put("wearout", kind.equals("nvme") ? 97 : "N/A");
        m.put("gpt", gpt ? 1 : 0);
        m.put("mounted", used != null ? 1 : 0);
        m.put("osdid", -1);
        m.put("osdid-list", java.util.List.of());
        m.put("rpm", kind.equals("hdd") ? 5400 : 0);
        m.put("by_id_link", "/dev/disk/by-id/" + kind + "-" + model.replace(' ', '_'));
        m.put("vendor", kind.equals("hdd") ? "ATA" : "Samsung");
        m.put("wwn", "0x5000" + Integer.toHexString(dev.hashCode() & 0xfffffff));
        if (used != null) {
            m.put("used", used);
        }
        return m;
    }
}
