package io.pvemcp.api;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A prompt template an MCP client can offer its user, typically a Proxmox workflow ("check the health of
 * the cluster", "prepare a VM for maintenance"). Registered as a service of this interface with the
 * properties below (set them with {@link PromptService}).
 *
 * <table>
 * <caption>Service properties read by the registry</caption>
 * <tr><td>{@value #NAME}</td><td>String, required</td><td>unique prompt name</td></tr>
 * <tr><td>{@value #TITLE}</td><td>String</td><td>a human-readable title</td></tr>
 * <tr><td>{@value #DESCRIPTION}</td><td>String, required</td><td>what the prompt is for</td></tr>
 * </table>
 */
@ConsumerType
public interface Prompt {

    /** Service property: the name. */
    String NAME = "pvemcp.prompt.name";
    /** Service property: the title. */
    String TITLE = "pvemcp.prompt.title";
    /** Service property: the description. */
    String DESCRIPTION = "pvemcp.prompt.description";

    /** @return the arguments the prompt accepts; read once, when the registry accepts the service */
    default List<PromptArgument> arguments() {
        return List.of();
    }

    /**
     * Produces the prompt's messages.
     *
     * @param request the argument values and the request context
     * @return the messages; never {@code null}
     * @throws ToolException if an argument is missing or invalid
     * @throws Exception any other failure
     */
    PromptResult get(PromptRequest request) throws Exception;

    /**
     * Suggests values for an argument as the user types ({@code completion/complete}).
     *
     * @param argument the argument's name
     * @param prefix what the user typed so far
     * @return up to 100 suggestions, best first; by default none
     * @since 1.3
     */
    default List<String> complete(String argument, String prefix) {
        return List.of();
    }

    /**
     * Suggests values as {@link #complete(String, String)} does, for a caller: suggestions that come from Proxmox must
     * be read with {@code context.proxmox()}, which holds the caller to its token's limits, so that a completion never
     * names a node or guest the caller may not see. By default, the suggestions of {@link #complete(String, String)}.
     *
     * @param context who asks, and the Proxmox client as that caller sees it
     * @param argument the name
     * @param prefix what the user typed so far
     * @return up to 100 suggestions, best first
     * @throws Exception on failure; the client gets no suggestions
     * @since 1.4
     */
    default List<String> complete(RequestContext context, String argument, String prefix) throws Exception {
        return complete(argument, prefix);
    }
}
