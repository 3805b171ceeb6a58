package io.pvemcp.tools.vm.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestDeleteTool;
import io.pvemcp.tools.guest.GuestType;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_vm_delete", title = "Delete a VM", risk = Risk.DESTROY, category = "vm",
        scope = Scopes.DESTROY,
        description = "Deletes a VM and its disks for good. Refuses a running VM unless stop_first, and a protected "
                + "one.")
public final class VmDeleteTool extends GuestDeleteTool {

    public VmDeleteTool() {
        super(GuestType.VM);
    }
}
