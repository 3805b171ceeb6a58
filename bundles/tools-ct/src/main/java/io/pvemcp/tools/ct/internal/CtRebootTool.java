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
@ToolService(name = "proxmox_ct_reboot", title = "Reboot a container", risk = Risk.POWER, category = "ct",
        scope = Scopes.POWER,
        idempotent = false, description = "Reboots a running container and waits until it runs again; pending "
                + "configuration changes take effect.")
public final class CtRebootTool extends GuestPowerTool {

    public CtRebootTool() {
        super(GuestType.CONTAINER, Action.REBOOT);
    }
}
