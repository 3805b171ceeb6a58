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
@ToolService(name = "proxmox_vm_reboot", title = "Reboot a VM", risk = Risk.POWER, category = "vm",
        scope = Scopes.POWER,
        idempotent = false,
        description = "Reboots a running VM and waits until it runs again; pending configuration changes take effect.")
public final class VmRebootTool extends GuestPowerTool {

    public VmRebootTool() {
        super(GuestType.VM, Action.REBOOT);
    }
}
