package io.pvemcp.tools.vm.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestResizeTool;
import io.pvemcp.tools.guest.GuestType;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_vm_resize", title = "Grow a VM disk", risk = Risk.CHANGE, category = "vm",
        scope = Scopes.WRITE,
        description = "Grows a VM disk by an amount (+10G) or to a size; Proxmox cannot shrink disks.")
public final class VmResizeTool extends GuestResizeTool {

    public VmResizeTool() {
        super(GuestType.VM);
    }
}
