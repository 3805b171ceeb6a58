package io.pvemcp.tools.ct.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestListTool;
import io.pvemcp.tools.guest.GuestType;

import org.osgi.service.component.annotations.Component;

@Component(service = Tool.class)
@ToolService(name = "proxmox_ct_list", title = "List containers", risk = Risk.READ, category = "ct", idempotent = true, description = "Lists the LXC containers of the whole cluster with their node, status, CPU, "
                + "memory, uptime, tags and pool. Filter by node, status, name or tag pattern (wildcards * and ?) and "
                + "pool; sort and limit. Templates are left out unless templates=include or only. Says how many "
                + "matched and how many the limit left out; containers on offline nodes appear with status unknown.")
public final class CtListTool extends GuestListTool {

    public CtListTool() {
        super(GuestType.CONTAINER);
    }
}
