package io.pvemcp.tools.vm.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestListTool;
import io.pvemcp.tools.guest.GuestType;

import org.osgi.service.component.annotations.Component;

@Component(service = Tool.class)
@ToolService(name = "proxmox_vm_list", title = "List VMs", risk = Risk.READ, category = "vm", idempotent = true,
        description = "Lists the QEMU/KVM virtual machines of the whole cluster with their node, status, CPU, memory, "
                + "uptime, tags and pool. Filter by node, status, name or tag pattern (wildcards * and ?) and pool; "
                + "sort and limit. Templates are left out unless templates=include or only. Says how many matched "
                + "and how many the limit left out; VMs on offline nodes appear with status unknown.")
public final class VmListTool extends GuestListTool {

    public VmListTool() {
        super(GuestType.VM);
    }
}
