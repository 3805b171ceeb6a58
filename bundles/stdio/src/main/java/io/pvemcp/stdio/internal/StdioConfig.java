package io.pvemcp.stdio.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "MCP over stdio", description = "The client that launched the server speaks MCP on its "
        + "standard input and output.")
@interface StdioConfig {

    @AttributeDefinition(name = "Scopes", description = "What the launching user may do, comma-separated "
            + "(proxmox:read, proxmox:power, proxmox:write, proxmox:admin). MCP_STDIO_SCOPES overrides.")
    String scopes() default "proxmox:read,proxmox:power,proxmox:write,proxmox:admin";

    @AttributeDefinition(name = "Stop with the client", description = "Stop the server when standard input closes "
            + "(the client quit).")
    boolean stop_on_eof() default true;
}
