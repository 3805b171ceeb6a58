package io.pvemcp.registry.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "MCP registry", description = "The MCP server core that serves tools, resources and prompts.")
@interface RegistryConfig {

    @AttributeDefinition(name = "Concurrent tool calls", description = "How many tool calls run at once; "
            + "further calls wait in a queue.", min = "1", max = "256")
    int max_concurrent_calls() default 16;

    @AttributeDefinition(name = "Queued tool calls", description = "How many calls may wait; beyond that a call "
            + "fails at once with 'server busy'.", min = "0")
    int max_queued_calls() default 256;

    @AttributeDefinition(name = "Client request timeout (s)", description = "How long to wait for a client to "
            + "answer a server request such as sampling or elicitation.", min = "1")
    int client_request_timeout_s() default 300;

    @AttributeDefinition(name = "List change delay (ms)", description = "Changes to the tool, resource and prompt "
            + "lists within this time are announced to clients with one notification.", min = "0")
    int list_changed_delay_ms() default 50;

    @AttributeDefinition(name = "State folder", description = "Where the operator's on/off switches for bundles "
            + "and tools are kept (switches.json). Empty: in memory only, lost at restart.")
    String state_dir() default "";
}
