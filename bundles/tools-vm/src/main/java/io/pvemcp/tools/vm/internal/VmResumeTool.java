package io.pvemcp.tools.vm.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_vm_resume", title = "Resume a VM", risk = Risk.POWER, category = "vm",
        scope = Scopes.POWER, idempotent = true, description = "Resumes a paused or hibernated VM.")
public final class VmResumeTool extends VmPauseTool {

    public VmResumeTool() {
        super(false);
    }
}
