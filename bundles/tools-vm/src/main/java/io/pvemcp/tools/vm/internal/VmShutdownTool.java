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
@ToolService(name = "proxmox_vm_shutdown", title = "Shut down a VM", risk = Risk.POWER, category = "vm",
        scope = Scopes.POWER,
        idempotent = true,
        description = "ACPI shutdown, waiting until the VM is stopped; force_stop stops it hard after the timeout.")
public final class VmShutdownTool extends GuestPowerTool {

    public VmShutdownTool() {
        super(GuestType.VM, Action.SHUTDOWN);
    }
}
