package io.pvemcp.tools.vm.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.pvemcp.api.Json;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.tools.guest.GuestInfoTool;
import io.pvemcp.tools.guest.GuestType;
import io.pvemcp.tools.guest.PropertyStrings;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_vm_get_info", title = "Describe a VM", risk = Risk.READ, category = "vm",
        idempotent = true,
        description = "One VM's status and configuration: disks, NICs, agent addresses, tags, protection, HA, "
                + "snapshots, pending changes.")
public final class VmGetInfoTool extends GuestInfoTool {

    static final Pattern DISK = Pattern.compile("(ide|sata|scsi|virtio)\\d+|efidisk0|tpmstate0|unused\\d+");
    static final Set<String> MODELS = Set.of("e1000", "e1000-82540em", "e1000-82544gc", "e1000-82545em", "e1000e",
            "i82551", "i82557b", "i82559er", "ne2k_isa", "ne2k_pci", "pcnet", "rtl8139", "virtio", "vmxnet3");

    public VmGetInfoTool() {
        super(GuestType.VM);
    }

    @Override
    protected List<Map<String, Object>> disks(Map<String, Object> config) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (var e : config.entrySet()) {
            if (!DISK.matcher(e.getKey()).matches()) {
                continue;
            }
            Map<String, String> disk = PropertyStrings.parse(e.getValue(), "file");
            String file = disk.getOrDefault("file", "");
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("key", e.getKey());
            d.put("volume", file);
            if (file.contains(":")) {
                d.put("storage", file.substring(0, file.indexOf(':')));
            }
            if (disk.get("size") != null) {
                d.put("size", disk.get("size"));
                long bytes = PropertyStrings.bytes(disk.get("size"));
                if (bytes >= 0) {
                    d.put("size_bytes", bytes);
                }
            }
            if (disk.get("media") != null) {
                d.put("media", disk.get("media"));
            }
            out.add(d);
        }
        return out;
    }

    @Override
    protected List<Map<String, Object>> networks(Map<String, Object> config) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (var e : config.entrySet()) {
            if (!e.getKey().matches("net\\d+")) {
                continue;
            }
            Map<String, String> net = PropertyStrings.parse(e.getValue(), "model");
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("key", e.getKey());
            for (var p : net.entrySet()) {
                if (MODELS.contains(p.getKey())) {
                    n.put("model", p.getKey());
                    if (!p.getValue().isEmpty()) {
                        n.put("mac", p.getValue());
                    }
                }
            }
            if (net.get("model") != null) {
                n.put("model", net.get("model"));
            }
            if (net.get("macaddr") != null) {
                n.put("mac", net.get("macaddr"));
            }
            if (net.get("bridge") != null) {
                n.put("bridge", net.get("bridge"));
            }
            if (net.get("tag") != null && net.get("tag").matches("\\d+")) {
                n.put("vlan", Integer.parseInt(net.get("tag")));
            }
            n.put("firewall", "1".equals(net.get("firewall")));
            out.add(n);
        }
        return out;
    }

    @Override
    protected List<String> addresses(ProxmoxClient proxmox, GuestRef guest, Map<String, Object> config,
            List<String> notes) {
        List<String> out = new ArrayList<>();
        Map<String, String> agent = PropertyStrings.parse(config.get("agent"), "enabled");
        if (!"1".equals(agent.get("enabled"))) {
            notes.add("IP addresses are unknown: the QEMU guest agent is not enabled for this VM (option agent).");
            return out;
        }
        Object answer = optional(proxmox.get(guest.path("/agent/network-get-interfaces"), guest.params()));
        if (answer == null) {
            notes.add("IP addresses are unknown: the QEMU guest agent in the VM does not answer (is it installed "
                    + "and running in the guest OS?).");
            return out;
        }
        for (Object iface : Json.list(Json.map(answer).get("result"))) {
            Map<String, Object> i = Json.map(iface);
            if ("lo".equals(i.get("name")) || !(i.get("ip-addresses") instanceof List<?> addrs)) {
                continue;
            }
            for (Object a : addrs) {
                String ip = String.valueOf(Json.map(a).get("ip-address"));
                if (!ip.startsWith("127.") && !ip.equals("::1") && !ip.toLowerCase(java.util.Locale.ROOT)
                        .startsWith("fe80")) {
                    out.add(ip);
                }
            }
        }
        return out;
    }
}
