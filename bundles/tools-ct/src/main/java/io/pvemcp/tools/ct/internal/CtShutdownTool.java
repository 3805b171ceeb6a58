package io.pvemcp.tools.ct.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestPowerTool;
import io.pvemcp.tools.guest.GuestType;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_ct_shutdown", title = "Shut down a container", risk = Risk.POWER, category = "ct",
        scope = Scopes.POWER,
        idempotent = true,
        description = "Shuts a container down cleanly and waits; force_stop stops it hard after the timeout.")
public final class CtShutdownTool extends GuestPowerTool {

    public CtShutdownTool() {
        super(GuestType.CONTAINER, Action.SHUTDOWN);
    }
}
