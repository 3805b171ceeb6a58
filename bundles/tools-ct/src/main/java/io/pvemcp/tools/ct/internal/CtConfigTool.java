package io.pvemcp.tools.ct.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.tools.guest.GuestConfigTool;
import io.pvemcp.tools.guest.GuestType;
import io.pvemcp.tools.guest.Placement;
import io.pvemcp.tools.guest.PropertyStrings;
import io.pvemcp.tools.guest.StorageScan;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_ct_config", title = "Change a container's settings", risk = Risk.CHANGE, category = "ct",
        scope = Scopes.WRITE, idempotent = true,
        description = "Changes a container's settings (CPU, memory, swap, name, notes, tags, boot, NICs, mount "
                + "points); answers old → new.")
public final class CtConfigTool extends GuestConfigTool {

    public CtConfigTool() {
        super(GuestType.CONTAINER, in -> in
                .optional("hostname", JsonSchema.string().pattern("^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$")
                        .maxLength(63))
                .optional("swap_mb", JsonSchema.integer().minimum(0).maximum(4_194_304))
                .optional("add_nic", JsonSchema.object()
                        .optional("bridge", JsonSchema.string().pattern("^[a-zA-Z][a-zA-Z0-9_.-]*$").maxLength(20))
                        .optional("ip", JsonSchema.string().pattern("^(dhcp|\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2})$")
                                .description("dhcp or CIDR"))
                        .optional("gateway", JsonSchema.string().pattern("^\\d{1,3}(\\.\\d{1,3}){3}$"))
                        .optional("vlan", JsonSchema.integer().minimum(1).maximum(4094))
                        .optional("firewall", JsonSchema.bool()))
                .optional("add_mount", JsonSchema.object()
                        .required("path", JsonSchema.string().pattern("^/[A-Za-z0-9._/-]*$").maxLength(255))
                        .required("size_gb", JsonSchema.integer().minimum(1).maximum(65_536))
                        .optional("storage", StorageScan.storageSchema("Default: local-lvm or the roomiest"))));
    }

    @Override
    protected void own(ToolCall call, GuestRef guest, Map<String, Object> config, Map<String, Object> set) {
        Arguments args = call.arguments();
        if (args.has("hostname")) {
            set.put("hostname", args.string("hostname"));
        }
        if (args.has("swap_mb")) {
            set.put("swap", args.integer("swap_mb"));
        }
        args.object("add_nic").ifPresent(n -> {
            Arguments nic = new Arguments(n);
            String key = free(config, set, "net");
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", "eth" + key.substring(3));
            p.put("bridge", nic.string("bridge", "vmbr0"));
            p.put("ip", nic.string("ip", "dhcp"));
            if (nic.has("gateway")) {
                p.put("gw", nic.string("gateway"));
            }
            if (nic.has("vlan")) {
                p.put("tag", nic.integer("vlan"));
            }
            if (nic.bool("firewall", false)) {
                p.put("firewall", 1);
            }
            p.put("type", "veth");
            set.put(key, PropertyStrings.format(p));
        });
        args.object("add_mount").ifPresent(m -> {
            Arguments mount = new Arguments(m);
            String storage = Placement.storage(call.proxmox(), guest.node(), "rootdir", mount.string("storage", null));
            set.put(free(config, set, "mp"), storage + ":" + mount.integer("size_gb") + ",mp=" + mount.string("path"));
        });
    }
}
