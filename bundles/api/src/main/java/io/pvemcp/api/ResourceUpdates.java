package io.pvemcp.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Tells subscribed clients that a resource changed ({@code notifications/resources/updated}). The server registers
 * it as a service; a {@link Resource} whose contents change on their own (a watched cluster state, say) references
 * it and calls {@link #updated(String)} when they do. Clients that did not subscribe to the URI hear nothing.
 *
 * @since 1.3
 */
@ProviderType
public interface ResourceUpdates {

    /** @param uri the URI of the resource that changed, as clients subscribed to it */
    void updated(String uri);
}
