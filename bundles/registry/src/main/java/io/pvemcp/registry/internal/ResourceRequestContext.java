package io.pvemcp.registry.internal;

import java.util.Map;
import java.util.function.Supplier;

import io.pvemcp.api.Caller;
import io.pvemcp.api.ResourceRequest;
import io.pvemcp.api.pve.ProxmoxClient;

/** One read of a resource. */
final class ResourceRequestContext extends RequestContextBase implements ResourceRequest {

    private final String uri;
    private final Map<String, String> variables;

    ResourceRequestContext(ClientChannel channel, Caller caller, Supplier<ProxmoxClient> proxmox, String uri,
            Map<String, String> variables) {
        super(channel, caller, proxmox, "resource " + uri);
        this.uri = uri;
        this.variables = Map.copyOf(variables);
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public Map<String, String> variables() {
        return variables;
    }
}
