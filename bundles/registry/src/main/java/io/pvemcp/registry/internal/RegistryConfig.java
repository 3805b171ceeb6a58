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

    @AttributeDefinition(name = "Confirm", description = "The risk classes (read, power, change, destroy) whose calls "
            + "a person confirms first, comma-separated, or none. A token's own setting (token create --confirm) "
            + "overrides it.")
    String confirm() default "destroy";

    @AttributeDefinition(name = "Protected tags", description = "Guests with one of these tags (comma-separated, "
            + "* and ? allowed) are never stopped, shut down or deleted through this server.")
    String protected_tags() default "";

    @AttributeDefinition(name = "Protected VMIDs", description = "VMIDs and ranges (e.g. 100-199,900) protected "
            + "alike.")
    String protected_vmids() default "";

    @AttributeDefinition(name = "Protected pools", description = "Pools whose guests are protected alike, "
            + "comma-separated.")
    String protected_pools() default "";

    @AttributeDefinition(name = "Destroying calls per minute", description = "How many destroy-class calls one "
            + "session may make per minute (blast radius); 0 for no limit.", min = "0")
    int destroy_per_minute() default 5;

    @AttributeDefinition(name = "Approval lifetime (min)", description = "How long a call held for approval in the "
            + "admin console waits before it expires.", min = "1")
    int approval_minutes() default 15;

    @AttributeDefinition(name = "Approvals URL", description = "Where people approve held calls, as the model is "
            + "told (e.g. https://mcp.example.org/system/console/mcp-approvals); empty for the console path.")
    String approvals_url() default "";

    @AttributeDefinition(name = "Toolsets", description = "The toolsets (tool categories: vm, ct, snapshot, backup, "
            + "storage, tasks, cluster, system, or a plugin's) this server offers, comma-separated; empty for all. A "
            + "token's own toolsets (token create --toolsets) narrow them further.")
    String toolsets() default "";

    @AttributeDefinition(name = "Dynamic toolsets", description = "MCP sessions start with the discovery tools only "
            + "(proxmox_toolsets, proxmox_toolset_enable) and enable the toolsets they need; tools/list_changed brings "
            + "their tools. Keeps a desktop client's tool list small.")
    boolean toolsets_dynamic() default false;
}
