package io.pvemcp.tools.vm.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestListTool;
import io.pvemcp.tools.guest.GuestType;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_vm_list", title = "List VMs", risk = Risk.READ, category = "vm", idempotent = true,
        description = "VMs with node, status, CPU, memory, uptime, tags, pool; filters, sort, limit. Those of offline "
                + "nodes show unknown.")
public final class VmListTool extends GuestListTool {

    public VmListTool() {
        super(GuestType.VM);
    }
}
