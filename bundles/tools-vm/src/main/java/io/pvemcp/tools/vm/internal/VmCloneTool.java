package io.pvemcp.tools.vm.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestCloneTool;
import io.pvemcp.tools.guest.GuestType;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_vm_clone", title = "Clone a VM", risk = Risk.CHANGE, category = "vm", scope = Scopes.WRITE,
        description = "Clones a VM or template (full, or linked from a template) to a new VMID on any node, and waits "
                + "for it.")
public final class VmCloneTool extends GuestCloneTool {

    public VmCloneTool() {
        super(GuestType.VM);
    }
}
