package io.pvemcp.tools.ct.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestMigrateTool;
import io.pvemcp.tools.guest.GuestType;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_ct_migrate", title = "Migrate a container", risk = Risk.CHANGE, category = "ct",
        scope = Scopes.WRITE,
        description = "Moves a container to another node (a running one restarts there); says why a node cannot take "
                + "it.")
public final class CtMigrateTool extends GuestMigrateTool {

    public CtMigrateTool() {
        super(GuestType.CONTAINER);
    }
}
