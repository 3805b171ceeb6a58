package io.pvemcp.tools.vm.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestMigrateTool;
import io.pvemcp.tools.guest.GuestType;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_vm_migrate", title = "Migrate a VM", risk = Risk.CHANGE, category = "vm",
        scope = Scopes.WRITE,
        description = "Moves a VM to another node: live if it runs (local disks too), else offline; says why a node "
                + "cannot take it.")
public final class VmMigrateTool extends GuestMigrateTool {

    public VmMigrateTool() {
        super(GuestType.VM);
    }
}
