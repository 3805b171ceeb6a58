package io.pvemcp.tools.ct.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestListTool;
import io.pvemcp.tools.guest.GuestType;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_ct_list", title = "List containers", risk = Risk.READ, category = "ct", idempotent = true,
        description = "Containers with node, status, CPU, memory, uptime, tags, pool; filters, sort, limit. Those of "
                + "offline nodes show unknown.")
public final class CtListTool extends GuestListTool {

    public CtListTool() {
        super(GuestType.CONTAINER);
    }
}
