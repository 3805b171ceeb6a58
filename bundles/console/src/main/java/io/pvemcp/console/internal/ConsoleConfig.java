package io.pvemcp.console.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Admin console", description = "Who may use the admin console at /system/console.")
@interface ConsoleConfig {

    @AttributeDefinition(name = "Folder", description = "Holds admin.password, the salted hash of the administrator "
            + "password (set it with: proxmox-mcp console-password).")
    String data_dir() default "";

    @AttributeDefinition(name = "Administrator password", type = AttributeType.PASSWORD, description = "Instead of "
            + "admin.password, e.g. from MCP_CONSOLE_PASSWORD. 12 characters or more.")
    String password() default "";

    @AttributeDefinition(name = "Allow remote clients", description = "Serve the console to clients that are not on "
            + "this machine. Off by default: the console answers on loopback only.")
    boolean allow_remote() default false;

    @AttributeDefinition(name = "Session idle timeout (minutes)", min = "1")
    int session_idle_minutes() default 30;

    @AttributeDefinition(name = "Failed logins per minute", description = "Per client address; further attempts "
            + "are refused for a minute.", min = "1")
    int failures_per_minute() default 5;
}
