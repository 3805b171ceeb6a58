package io.pvemcp.registry;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import io.pvemcp.api.Caller;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the MCP server offers right now, what it refused, and who is connected. Registered as a service by
 * the registry bundle; the answers are snapshots.
 */
@ProviderType
public interface ToolRegistry {

    /** @return the tools clients can see (subject to their scopes), sorted by name */
    List<ContributionInfo> tools();

    /**
     * @return whether the bundles of the server's start have started; until then the transports answer
     *         {@code initialize}, lists wait, and so do calls whose tool is not there yet
     * @since 1.7
     */
    boolean started();

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
     * @return the Proxmox VE clusters the server manages, the default first, each with its health as it answers now
     *         (asked in parallel, 5 s at most)
     * @since 1.6
     */
    List<ClusterInfo> clusters();

    /**
     * A cluster the server manages, and how it answered.
     *
     * @param name its name in tools ({@code cluster}), tokens ({@code --clusters}) and metrics
     * @param isDefault whether calls that name no cluster go to it
     * @param host the host it is reached at, or {@code null} when not configured
     * @param ok whether it answered with the configured credentials
     * @param version its Proxmox VE version, when it answered
     * @param nodes its nodes, when it answered
     * @param nodesOnline those online
     * @param quorate whether it has quorum
     * @param latencyMs how long it took to answer
     * @param error what failed, when it did not answer
     * @since 1.6
     */
    record ClusterInfo(String name, boolean isDefault, String host, boolean ok, String version, int nodes,
            int nodesOnline, boolean quorate, long latencyMs, String error) {
    }

    /**
     * @return what the operator switched off; a contribution is served only when neither its bundle nor (for
     *         tools) its name is switched off
     * @since 1.1
     */
    Switches switches();

    /**
     * Switches every tool, resource and prompt of a bundle on or off. Connected clients are told at once; the
     * setting is kept across restarts and applies to a bundle of that symbolic name whenever it is deployed.
     *
     * @param symbolicName the bundle's symbolic name
     * @param enabled {@code false} to hide its contributions from clients and refuse calls to them
     * @throws IllegalStateException if the setting could not be saved (nothing is changed then)
     * @since 1.1
     */
    void setBundleEnabled(String symbolicName, boolean enabled);

    /**
     * Switches one tool on or off, like {@link #setBundleEnabled(String, boolean)}.
     *
     * @param tool the tool name
     * @param enabled {@code false} to hide the tool and refuse calls to it
     * @throws IllegalStateException if the setting could not be saved (nothing is changed then)
     * @since 1.1
     */
    void setToolEnabled(String tool, boolean enabled);

    /**
     * The tools a caller may use right now (its scopes, the operator's switches), with their schemas: for
     * transports other than MCP, such as the REST API and its OpenAPI document.
     *
     * @param caller who asks
     * @return the tools, sorted by name
     * @since 1.2
     */
    List<ToolDescription> describeTools(Caller caller);

    /**
     * Calls a tool for a transport other than MCP, with every check and record an MCP call gets: the caller's
     * scopes and limits, the operator's switches, argument validation, the concurrency limit and the audit log.
     * The tool cannot report progress or ask the client anything on this path.
     *
     * @param caller who calls, as the transport authenticated it
     * @param tool the tool name
     * @param arguments the arguments, JSON-shaped
     * @return the outcome, when the call ends
     * @since 1.2
     */
    CompletionStage<CallOutcome> call(Caller caller, String tool, Map<String, Object> arguments);

    /**
     * The calls held for a person's approval (those whose client could not ask its user), newest first, with those
     * decided or expired in the last hour.
     *
     * @return the approvals
     * @since 1.4
     */
    List<Approval> approvals();

    /**
     * @param id an approval id
     * @return the approval, or {@code null} when there is none with that id (or it was forgotten, an hour after it
     *         was decided)
     * @since 1.4
     */
    Approval approval(String id);

    /**
     * Approves or rejects a held call. An approved call runs at once, as its caller, with every check it had when it
     * was made (scopes, switches, limits, guard rails); its outcome is kept on the approval for the caller to pick up.
     *
     * @param id the approval id
     * @param approve {@code true} to approve, {@code false} to reject
     * @param by who decides, for the audit log (e.g. the console user)
     * @return the approval as decided
     * @throws IllegalStateException when there is no such approval, or it is no longer pending (the message says
     *         what it is)
     * @since 1.4
     */
    Approval decide(String id, boolean approve, String by);

    /**
     * A call held for a person's approval.
     *
     * @param id its id, as the caller was told
     * @param tool the tool
     * @param risk the tool's risk class
     * @param summary what the call will do, as the person decides on it
     * @param arguments the call's arguments
     * @param subject who made the call
     * @param token the name of the caller's token, or {@code null}
     * @param owner who may pick up the outcome: the caller's token id or subject, as {@code token:ID} or
     *        {@code subject:NAME}
     * @param created when the call was made, epoch milliseconds
     * @param expires when it expires unless decided, epoch milliseconds
     * @param state {@code pending}, {@code approved} (and running), {@code done}, {@code failed}, {@code rejected}
     *        or {@code expired}
     * @param decidedBy who decided, or {@code null}
     * @param decided when, epoch milliseconds, or 0
     * @param result what the approved call's result said, or {@code null} while there is none
     * @param structuredContent the approved call's structured result, or {@code null}
     * @since 1.4
     */
    record Approval(String id, String tool, String risk, String summary, Map<String, Object> arguments,
            String subject, String token, String owner, long created, long expires, String state, String decidedBy, long decided,
            String result, Map<String, Object> structuredContent) {
    }

    /**
     * A tool with everything a client needs to call it.
     *
     * @param name the tool name
     * @param title the title, or an empty string
     * @param description what it does
     * @param category its category
     * @param scope the scope a caller needs
     * @param risk its risk class ({@code read}, {@code power}, {@code change}, {@code destroy}; since 1.4)
     * @param readOnly the read-only hint
     * @param destructive the destructive hint
     * @param idempotent the idempotent hint
     * @param openWorld the open-world hint
     * @param inputSchema the JSON Schema of its arguments
     * @param outputSchema the JSON Schema of its structured result, or {@code null}
     * @since 1.2
     */
    record ToolDescription(String name, String title, String description, String category, String scope, String risk,
            boolean readOnly, boolean destructive, boolean idempotent, boolean openWorld,
            Map<String, Object> inputSchema, Map<String, Object> outputSchema) {
    }

    /**
     * How a call made through {@link #call(Caller, String, Map)} ended.
     *
     * @param outcome {@code ok}; {@code error} (the tool failed, the text says why); {@code unknown} (no such
     *        tool); {@code denied} (the caller lacks the scope, or the call is outside its limits);
     *        {@code switched-off}; {@code invalid} (arguments); {@code busy}; {@code unavailable} (the audit log is
     *        down); {@code cancelled}; {@code declined} (the person asked to confirm it said no); {@code pending}
     *        (held until a person approves it in the admin console, see {@link #approvals()})
     * @param text the result's text, or what went wrong
     * @param content the result's content items as MCP defines them (JSON-shaped)
     * @param structuredContent the structured result, or {@code null}
     * @since 1.2
     */
    record CallOutcome(String outcome, String text, List<Map<String, Object>> content,
            Map<String, Object> structuredContent) {
    }

    /**
     * What the operator switched off.
     *
     * @param disabledBundles symbolic names of bundles whose contributions are hidden
     * @param disabledTools names of tools that are hidden
     * @since 1.1
     */
    record Switches(Set<String> disabledBundles, Set<String> disabledTools) {

        /** Copies the sets. */
        public Switches {
            disabledBundles = Set.copyOf(disabledBundles);
            disabledTools = Set.copyOf(disabledTools);
        }

        /**
         * @param bundle a bundle's symbolic name
         * @param tool a tool name, or {@code null} for resources and prompts
         * @return {@code true} if a contribution of that bundle (and name) is served
         */
        public boolean allows(String bundle, String tool) {
            return !disabledBundles.contains(bundle) && (tool == null || !disabledTools.contains(tool));
        }
    }

    /**
     * A contribution the registry serves.
     *
     * @param kind {@code tool}, {@code resource} or {@code prompt}
     * @param name the tool or prompt name, or the resource URI (template)
     * @param title the title, or an empty string
     * @param category the tool category, or an empty string
     * @param scope the scope a caller needs
     * @param risk the risk class (tools; since 1.4), or an empty string
     * @param readOnly the read-only hint (tools)
     * @param destructive the destructive hint (tools)
     * @param bundle the symbolic name of the bundle that registered it
     * @param bundleId the id of that bundle
     * @param serviceId the service id
     * @param ranking the service ranking
     */
    record ContributionInfo(String kind, String name, String title, String category, String scope, String risk,
            boolean readOnly,
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
