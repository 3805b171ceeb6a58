package io.pvemcp.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Proxmox MCP shared state", description = "A PostgreSQL database that several server "
        + "replicas share for token records and revocations, signing keys, switches, held approvals and the audit "
        + "trail. Without this configuration each server keeps them in its own files.")
@interface StateConfig {

    @AttributeDefinition(description = "jdbc:postgresql://HOST:PORT/DATABASE or postgresql://USER:PASSWORD@HOST:PORT/"
            + "DATABASE (MCP_STATE_DB_URL)")
    String url();

    @AttributeDefinition(description = "The database user (MCP_STATE_DB_USER)")
    String user() default "";

    @AttributeDefinition(description = "The user's password (MCP_STATE_DB_PASSWORD)", type = AttributeType.PASSWORD)
    String password() default "";
}
