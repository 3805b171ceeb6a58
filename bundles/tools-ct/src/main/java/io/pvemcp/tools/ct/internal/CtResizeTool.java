package io.pvemcp.tools.ct.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestResizeTool;
import io.pvemcp.tools.guest.GuestType;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_ct_resize", title = "Grow a container volume", risk = Risk.CHANGE, category = "ct",
        scope = Scopes.WRITE,
        description = "Grows a container's rootfs or a mount point by an amount (+10G) or to a size; its file system "
                + "grows with it.")
public final class CtResizeTool extends GuestResizeTool {

    public CtResizeTool() {
        super(GuestType.CONTAINER);
    }
}
