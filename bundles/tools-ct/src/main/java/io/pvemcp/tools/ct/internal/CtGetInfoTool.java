package io.pvemcp.tools.ct.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
@ToolService(name = "proxmox_ct_get_info", title = "Describe a container", risk = Risk.READ, category = "ct",
        idempotent = true,
        description = "One container's status and configuration: disks, mount points, addresses, tags, protection, HA, "
                + "snapshots, pending.")
public final class CtGetInfoTool extends GuestInfoTool {

    static final Pattern VOLUME = Pattern.compile("rootfs|mp\\d+|unused\\d+");

    public CtGetInfoTool() {
        super(GuestType.CONTAINER);
    }

    @Override
    protected List<Map<String, Object>> disks(Map<String, Object> config) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (var e : config.entrySet()) {
            if (!VOLUME.matcher(e.getKey()).matches()) {
                continue;
            }
            Map<String, String> v = PropertyStrings.parse(e.getValue(), "volume");
            String volume = v.getOrDefault("volume", "");
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("key", e.getKey());
            d.put("volume", volume);
            if (volume.contains(":")) {
                d.put("storage", volume.substring(0, volume.indexOf(':')));
            }
            if (v.get("size") != null) {
                d.put("size", v.get("size"));
                long bytes = PropertyStrings.bytes(v.get("size"));
                if (bytes >= 0) {
                    d.put("size_bytes", bytes);
                }
            }
            if (e.getKey().equals("rootfs")) {
                d.put("mount_point", "/");
            } else if (v.get("mp") != null) {
                d.put("mount_point", v.get("mp"));
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
            Map<String, String> net = PropertyStrings.parse(e.getValue(), null);
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("key", e.getKey());
            for (String[] k : new String[][] {{"name", "name"}, {"hwaddr", "mac"}, {"bridge", "bridge"},
                    {"ip", "ip"}, {"gw", "gateway"}}) {
                if (net.get(k[0]) != null) {
                    n.put(k[1], net.get(k[0]));
                }
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
        Object answer = optional(proxmox.get(guest.path("/interfaces"), guest.params()));
        if (answer == null) {
            notes.add("IP addresses are unknown: Proxmox could not read the container's interfaces.");
            return out;
        }
        for (Object o : Json.list(answer)) {
            Map<String, Object> i = Json.map(o);
            if ("lo".equals(i.get("name"))) {
                continue;
            }
            for (String family : List.of("inet", "inet6")) {
                if (i.get(family) instanceof String addr && !addr.isBlank()) {
                    String ip = addr.contains("/") ? addr.substring(0, addr.indexOf('/')) : addr;
                    if (!ip.toLowerCase(java.util.Locale.ROOT).startsWith("fe80")) {
                        out.add(ip);
                    }
                }
            }
        }
        return out;
    }
}
