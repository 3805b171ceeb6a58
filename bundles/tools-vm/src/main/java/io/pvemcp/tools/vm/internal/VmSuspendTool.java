package io.pvemcp.tools.vm.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_vm_suspend", title = "Suspend a VM", risk = Risk.POWER, category = "vm",
        scope = Scopes.POWER, idempotent = true, description = "Pauses a running VM in RAM, or hibernates it to disk "
                + "(to_disk); proxmox_vm_resume continues it where it was.")
public final class VmSuspendTool extends VmPauseTool {

    public VmSuspendTool() {
        super(true);
    }
}
