package io.pvemcp.registry.internal;

import java.util.Map;
import java.util.function.Supplier;

import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.pvemcp.api.Caller;
import io.pvemcp.api.PromptRequest;
import io.pvemcp.api.pve.ProxmoxClient;

/** One request for a prompt. */
final class PromptRequestContext extends RequestContextBase implements PromptRequest {

    private final Map<String, String> arguments;

    PromptRequestContext(McpAsyncServerExchange exchange, Caller caller, Supplier<ProxmoxClient> proxmox, String name,
            Map<String, String> arguments) {
        super(exchange, caller, proxmox, "prompt " + name);
        this.arguments = Map.copyOf(arguments);
    }

    @Override
    public Map<String, String> arguments() {
        return arguments;
    }
}
