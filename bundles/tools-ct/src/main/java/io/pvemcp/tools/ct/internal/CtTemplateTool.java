package io.pvemcp.tools.ct.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestTemplateTool;
import io.pvemcp.tools.guest.GuestType;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_ct_template", title = "Convert a container to a template", risk = Risk.DESTROY,
        category = "ct", scope = Scopes.WRITE, idempotent = true,
        description = "Converts a stopped container into a template for cloning; it can never be started again.")
public final class CtTemplateTool extends GuestTemplateTool {

    public CtTemplateTool() {
        super(GuestType.CONTAINER);
    }
}
