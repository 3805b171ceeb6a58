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
@ToolService(name = "proxmox_vm_start", title = "Start a VM", risk = Risk.POWER, category = "vm", scope = Scopes.POWER,
        idempotent = true,
        description = "Starts a VM and waits until it runs; a running one is left alone. Failures say why.")
public final class VmStartTool extends GuestPowerTool {

    public VmStartTool() {
        super(GuestType.VM, Action.START);
    }
}
