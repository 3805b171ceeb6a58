package io.pvemcp.tools.backup.internal;

import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolService;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_backup_restore_over", title = "Restore a backup over a guest", risk = Risk.DESTROY,
        category = "backup", scope = Scopes.DESTROY, description = "Replaces a stopped guest with a backup of it: "
                + "its disks, configuration and snapshots as they are now are lost.")
public final class BackupRestoreOverTool extends RestoreTool {

    public BackupRestoreOverTool() {
        super(true);
    }
}
