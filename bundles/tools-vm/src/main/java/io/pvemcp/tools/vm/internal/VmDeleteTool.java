package io.pvemcp.tools.vm.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestDeleteTool;
import io.pvemcp.tools.guest.GuestType;

import org.osgi.service.component.annotations.Component;

@Component(service = Tool.class)
@ToolService(name = "proxmox_vm_delete", title = "Delete a VM", risk = Risk.DESTROY, category = "vm", scope = Scopes.DESTROY,
        description = "Deletes a VM and its disks, for good, and waits until Proxmox is done. "
                + "Refuses a running VM unless stop_first is set, and a VM with protection on. By default also "
                + "removes it from backup jobs, replication and HA (purge).")
public final class VmDeleteTool extends GuestDeleteTool {

    public VmDeleteTool() {
        super(GuestType.VM);
    }
}
