package io.pvemcp.tools.ct.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestDeleteTool;
import io.pvemcp.tools.guest.GuestType;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_ct_delete", title = "Delete a container", risk = Risk.DESTROY, category = "ct",
        scope = Scopes.DESTROY,
        description = "Deletes a container and its volumes for good. Refuses a running one unless stop_first, and a "
                + "protected one.")
public final class CtDeleteTool extends GuestDeleteTool {

    public CtDeleteTool() {
        super(GuestType.CONTAINER);
    }
}
