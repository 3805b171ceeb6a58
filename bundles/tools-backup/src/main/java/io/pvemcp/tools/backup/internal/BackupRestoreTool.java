package io.pvemcp.tools.backup.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_backup_restore", title = "Restore a backup as a new guest", risk = Risk.CHANGE,
        category = "backup", scope = Scopes.WRITE,
        description = "Restores a VM or container backup as a new guest (default: next free VMID) and waits until it "
                + "exists.")
public final class BackupRestoreTool extends RestoreTool {

    public BackupRestoreTool() {
        super(false);
    }
}
