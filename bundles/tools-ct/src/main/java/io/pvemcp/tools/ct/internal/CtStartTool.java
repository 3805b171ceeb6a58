package io.pvemcp.tools.ct.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestPowerTool;
import io.pvemcp.tools.guest.GuestType;

import org.osgi.service.component.annotations.Component;

@Component(service = Tool.class)
@ToolService(name = "proxmox_ct_start", title = "Start a container", risk = Risk.POWER, category = "ct", scope = Scopes.POWER,
        idempotent = true, description = "Starts an LXC container and waits until Proxmox reports it running. Finds the node from the VMID. Starting a running container changes nothing. Fails with the reason (template, locked, node offline) and, when the start task fails, the last lines of its log.")
public final class CtStartTool extends GuestPowerTool {

    public CtStartTool() {
        super(GuestType.CONTAINER, Action.START);
    }
}
