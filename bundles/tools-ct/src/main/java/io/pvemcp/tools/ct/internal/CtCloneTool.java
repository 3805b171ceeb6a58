package io.pvemcp.tools.ct.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestCloneTool;
import io.pvemcp.tools.guest.GuestType;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_ct_clone", title = "Clone a container", risk = Risk.CHANGE, category = "ct",
        scope = Scopes.WRITE,
        description = "Clones a container or template (full, or linked from a template) to a new VMID, and waits for "
                + "it.")
public final class CtCloneTool extends GuestCloneTool {

    public CtCloneTool() {
        super(GuestType.CONTAINER);
    }
}
