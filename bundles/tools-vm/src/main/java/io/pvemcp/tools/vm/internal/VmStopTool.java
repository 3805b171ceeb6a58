package io.pvemcp.tools.vm.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestPowerTool;
import io.pvemcp.tools.guest.GuestType;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_vm_stop", title = "Stop a VM", risk = Risk.DESTROY, category = "vm", scope = Scopes.POWER,
        idempotent = true,
        description = "Stops a VM at once, like pulling the plug (unsaved data is lost); prefer proxmox_vm_shutdown.")
public final class VmStopTool extends GuestPowerTool {

    public VmStopTool() {
        super(GuestType.VM, Action.STOP);
    }
}
