package io.pvemcp.registry.internal;

import java.util.Map;
import java.util.function.Supplier;

import io.pvemcp.api.Caller;
import io.pvemcp.api.PromptRequest;
import io.pvemcp.api.pve.ProxmoxClient;

/** One request for a prompt. */
final class PromptRequestContext extends RequestContextBase implements PromptRequest {

    private final Map<String, String> arguments;

    PromptRequestContext(ClientChannel channel, Caller caller, Supplier<ProxmoxClient> proxmox, String name,
            Map<String, String> arguments) {
        super(channel, caller, proxmox, "prompt " + name);
        this.arguments = Map.copyOf(arguments);
    }

    @Override
    public Map<String, String> arguments() {
        return arguments;
    }
}
