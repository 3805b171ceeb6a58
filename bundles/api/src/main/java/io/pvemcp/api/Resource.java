package io.pvemcp.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A resource an MCP client can read: data the model may use as context, such as an overview of the
 * cluster. Registered like a {@link Tool}, as a service of this interface with the properties below
 * (set them with {@link ResourceService}).
 *
 * <table>
 * <caption>Service properties read by the registry</caption>
 * <tr><td>{@value #URI}</td><td>String, required</td><td>the resource URI, e.g.
 * {@code proxmox://cluster/overview}; a URI with {@code {variables}} (RFC 6570 level 1), such as
 * {@code proxmox://nodes/{node}/status}, makes it a resource template</td></tr>
 * <tr><td>{@value #NAME}</td><td>String, required</td><td>a short name</td></tr>
 * <tr><td>{@value #TITLE}</td><td>String</td><td>a human-readable title</td></tr>
 * <tr><td>{@value #DESCRIPTION}</td><td>String</td><td>what the resource holds</td></tr>
 * <tr><td>{@value #MIME_TYPE}</td><td>String</td><td>default {@code application/json}</td></tr>
 * <tr><td>{@value #SCOPE}</td><td>String</td><td>the scope a reader needs, default {@link Scopes#READ}</td></tr>
 * </table>
 *
 * {@link #read(ResourceRequest)} runs on a registry worker thread and may block; see {@link Tool} for the
 * threading and error rules, which are the same.
 */
@ConsumerType
public interface Resource {

    /** Service property: the URI or URI template. */
    String URI = "pvemcp.resource.uri";
    /** Service property: the name. */
    String NAME = "pvemcp.resource.name";
    /** Service property: the title. */
    String TITLE = "pvemcp.resource.title";
    /** Service property: the description. */
    String DESCRIPTION = "pvemcp.resource.description";
    /** Service property: the MIME type. */
    String MIME_TYPE = "pvemcp.resource.mimeType";
    /** Service property: the scope a reader needs. */
    String SCOPE = "pvemcp.resource.scope";

    /**
     * Reads the resource.
     *
     * @param request the URI that was asked for, its template variables and the request context
     * @return the contents; never {@code null}
     * @throws Exception on failure, as for {@link Tool#call(ToolCall)}
     */
    ResourceContents read(ResourceRequest request) throws Exception;

    /**
     * Suggests values for a variable of a resource template as the user types ({@code completion/complete}).
     *
     * @param variable the template variable's name
     * @param prefix what the user typed so far
     * @return up to 100 suggestions, best first; by default none
     * @since 1.3
     */
    default java.util.List<String> complete(String variable, String prefix) {
        return java.util.List.of();
    }

    /**
     * Suggests values as {@link #complete(String, String)} does, for a caller: suggestions that come from Proxmox must
     * be read with {@code context.proxmox()}, which holds the caller to its token's limits, so that a completion never
     * names a node or guest the caller may not see. By default, the suggestions of {@link #complete(String, String)}.
     *
     * @param context who asks, and the Proxmox client as that caller sees it
     * @param variable the name
     * @param prefix what the user typed so far
     * @return up to 100 suggestions, best first
     * @throws Exception on failure; the client gets no suggestions
     * @since 1.4
     */
    default java.util.List<String> complete(RequestContext context, String variable, String prefix) throws Exception {
        return complete(variable, prefix);
    }
}
