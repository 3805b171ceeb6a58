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
@ToolService(name = "proxmox_ct_stop", title = "Stop a container", risk = Risk.DESTROY, category = "ct",
        scope = Scopes.POWER,
        idempotent = true,
        description = "Stops a container at once, killing its processes; prefer proxmox_ct_shutdown.")
public final class CtStopTool extends GuestPowerTool {

    public CtStopTool() {
        super(GuestType.CONTAINER, Action.STOP);
    }
}
