package io.pvemcp.tools.vm.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
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
@ToolService(name = "proxmox_vm_config", title = "Change a VM's settings", risk = Risk.CHANGE, category = "vm",
        scope = Scopes.WRITE, idempotent = true,
        description = "Changes a VM's settings (CPU, memory, name, notes, tags, boot, cloud-init, CD, NICs, disks); "
                + "answers old → new.")
public final class VmConfigTool extends GuestConfigTool {

    public VmConfigTool() {
        super(GuestType.VM, in -> in
                .optional("name", JsonSchema.string().pattern("^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$").maxLength(63))
                .optional("sockets", JsonSchema.integer().minimum(1).maximum(4))
                .optional("balloon_mb", JsonSchema.integer().minimum(0).maximum(4_194_304).description("Minimum "
                        + "memory with ballooning; 0 turns it off"))
                .optional("ci_user", JsonSchema.string().pattern("^[a-z_][a-z0-9_-]*$").maxLength(32))
                .optional("ci_password", JsonSchema.string().minLength(5).maxLength(128))
                .optional("ssh_keys", JsonSchema.string().minLength(20).maxLength(16_384).description("Cloud-init "
                        + "SSH public keys, one per line"))
                .optional("ip_config", JsonSchema.string().pattern(
                        "^(dhcp|ip=\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}(,gw=\\d{1,3}(\\.\\d{1,3}){3})?)$")
                        .description("Cloud-init: dhcp or ip=10.0.0.5/24,gw=10.0.0.1"))
                .optional("cdrom", JsonSchema.string().maxLength(255).description("An ISO volid to insert, or none"))
                .optional("add_nic", JsonSchema.object()
                        .optional("bridge", JsonSchema.string().pattern("^[a-zA-Z][a-zA-Z0-9_.-]*$").maxLength(20))
                        .optional("model", JsonSchema.string().enumValues("virtio", "e1000", "e1000e", "rtl8139",
                                "vmxnet3"))
                        .optional("vlan", JsonSchema.integer().minimum(1).maximum(4094))
                        .optional("firewall", JsonSchema.bool()))
                .optional("add_disk", JsonSchema.object()
                        .required("size_gb", JsonSchema.integer().minimum(1).maximum(65_536))
                        .optional("storage", StorageScan.storageSchema("Default: local-lvm or the roomiest"))
                        .optional("bus", JsonSchema.string().enumValues("scsi", "virtio", "sata"))));
    }

    @Override
    protected void own(ToolCall call, GuestRef guest, Map<String, Object> config, Map<String, Object> set) {
        Arguments args = call.arguments();
        if (args.has("name")) {
            set.put("name", args.string("name"));
        }
        if (args.has("sockets")) {
            set.put("sockets", args.integer("sockets"));
        }
        if (args.has("balloon_mb")) {
            set.put("balloon", args.integer("balloon_mb"));
        }
        VmCreateTool.cloudInit(args, set);
        if (args.has("cdrom")) {
            String iso = args.string("cdrom");
            if (!iso.equals("none") && !iso.matches(PropertyStrings.STORAGE_ID + ":iso/[^,]+")) {
                throw new ToolException("cdrom is an ISO volid (storage:iso/name.iso, see proxmox_template_list) or "
                        + "none.");
            }
            String key = config.entrySet().stream().filter(e -> String.valueOf(e.getValue()).contains("media=cdrom"))
                    .map(Map.Entry::getKey).findFirst().orElse("ide2");
            set.put(key, iso + ",media=cdrom");
        }
        args.object("add_nic").ifPresent(n -> {
            Arguments nic = new Arguments(n);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("bridge", nic.string("bridge", "vmbr0"));
            if (nic.has("vlan")) {
                p.put("tag", nic.integer("vlan"));
            }
            if (nic.bool("firewall", false)) {
                p.put("firewall", 1);
            }
            set.put(free(config, set, "net"), nic.string("model", "virtio") + "," + PropertyStrings.format(p));
        });
        args.object("add_disk").ifPresent(d -> {
            Arguments disk = new Arguments(d);
            String storage = Placement.storage(call.proxmox(), guest.node(), "images", disk.string("storage", null));
            String bus = disk.string("bus", "scsi");
            set.put(free(config, set, bus), storage + ":" + disk.integer("size_gb") + (bus.equals("sata") ? ""
                    : ",iothread=1"));
        });
    }
}
