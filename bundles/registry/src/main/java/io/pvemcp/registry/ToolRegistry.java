package io.pvemcp.registry;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the MCP server offers right now, what it refused, and who is connected. Registered as a service by
 * the registry bundle; the answers are snapshots.
 */
@ProviderType
public interface ToolRegistry {

    /** @return the tools clients can see (subject to their scopes), sorted by name */
    List<ContributionInfo> tools();

    /** @return the resources and resource templates, sorted by URI */
    List<ContributionInfo> resources();

    /** @return the prompts, sorted by name */
    List<ContributionInfo> prompts();

    /**
     * @return the contributions the registry did not accept, with the reason: invalid metadata or schema, a
     *         failure while reading the service, or a name that a higher-ranked service already provides
     */
    List<Rejection> rejections();

    /** @return the open MCP sessions */
    List<SessionInfo> sessions();

    /**
     * A contribution the registry serves.
     *
     * @param kind {@code tool}, {@code resource} or {@code prompt}
     * @param name the tool or prompt name, or the resource URI (template)
     * @param title the title, or an empty string
     * @param category the tool category, or an empty string
     * @param scope the scope a caller needs
     * @param readOnly the read-only hint (tools)
     * @param destructive the destructive hint (tools)
     * @param bundle the symbolic name of the bundle that registered it
     * @param bundleId the id of that bundle
     * @param serviceId the service id
     * @param ranking the service ranking
     */
    record ContributionInfo(String kind, String name, String title, String category, String scope, boolean readOnly,
            boolean destructive, String bundle, long bundleId, long serviceId, int ranking) {
    }

    /**
     * A contribution the registry refused.
     *
     * @param kind {@code tool}, {@code resource} or {@code prompt}
     * @param name its name or URI, or {@code null} if it has none
     * @param bundle the symbolic name of the bundle that registered it
     * @param bundleId the id of that bundle
     * @param serviceId the service id
     * @param reason why, in words an operator can act on
     */
    record Rejection(String kind, String name, String bundle, long bundleId, long serviceId, String reason) {
    }

    /**
     * An open MCP session.
     *
     * @param id the session id
     * @param transport {@code http} or {@code stdio}
     * @param clientName the client's name from {@code initialize}
     * @param clientVersion the client's version
     * @param protocolVersion the negotiated protocol version
     * @param subject the subject of the last request's caller
     * @param startedAtMillis when the session started (epoch milliseconds)
     */
    record SessionInfo(String id, String transport, String clientName, String clientVersion, String protocolVersion,
            String subject, long startedAtMillis) {
    }
}
