package io.pvemcp.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "MCP audit log", description = "Every tool call, hash-chained in JSON Lines; check it "
        + "with 'proxmox-mcp audit verify'.")
@interface AuditConfig {

    @AttributeDefinition(name = "Folder", description = "Where the audit files are written (mode 0700).")
    String dir() default "data/audit";

    @AttributeDefinition(name = "Rotation size (bytes)", description = "The current file is rotated when it would "
            + "grow beyond this; rotated files are kept.", min = "4096")
    long max_file_bytes() default 10L * 1024 * 1024;
}
