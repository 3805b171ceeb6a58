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
@ToolService(name = "proxmox_ct_start", title = "Start a container", risk = Risk.POWER, category = "ct",
        scope = Scopes.POWER,
        idempotent = true,
        description = "Starts a container and waits until it runs; a running one is left alone. Failures say why.")
public final class CtStartTool extends GuestPowerTool {

    public CtStartTool() {
        super(GuestType.CONTAINER, Action.START);
    }
}
