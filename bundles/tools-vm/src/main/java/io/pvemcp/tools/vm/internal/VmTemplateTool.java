package io.pvemcp.tools.vm.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestTemplateTool;
import io.pvemcp.tools.guest.GuestType;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_vm_template", title = "Convert a VM to a template", risk = Risk.DESTROY,
        category = "vm", scope = Scopes.WRITE, idempotent = true,
        description = "Converts a stopped VM into a template for cloning; it can never be started again.")
public final class VmTemplateTool extends GuestTemplateTool {

    public VmTemplateTool() {
        super(GuestType.VM);
    }
}
