package io.pvemcp.api;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** A request to read a {@link Resource}. Implemented by the server. */
@ProviderType
public interface ResourceRequest extends RequestContext {

    /** @return the URI the client asked for */
    String uri();

    /**
     * @return for a resource template, the values of its variables taken from {@link #uri()} (for
     *         {@code proxmox://nodes/{node}/status} and {@code proxmox://nodes/pve1/status}: {@code node=pve1});
     *         empty otherwise
     */
    Map<String, String> variables();
}
