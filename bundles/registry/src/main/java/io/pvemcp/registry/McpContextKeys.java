package io.pvemcp.registry;

import java.util.List;

/**
 * Keys by which a transport hands per-request facts to the registry, and the protocol versions both agree on.
 * <ul>
 * <li>{@link #CALLER}: in the {@code McpTransportContext} of a request, the {@link io.pvemcp.api.Caller} the
 * transport authenticated. Without it, the registry treats the request as
 * {@link io.pvemcp.api.Caller#ANONYMOUS}.</li>
 * <li>{@link #REQUEST_ID}: in the Reactor context of a request, its JSON-RPC id, so that
 * {@code notifications/cancelled} can find the call to cancel.</li>
 * <li>{@link #MAY_BLOCK}: in the Reactor context of a request, {@code true} when the thread that handles it may wait
 * for the whole call (a servlet container's request thread, say), so that a tool call runs on it instead of being
 * handed to another thread; absent on a thread that must go back to its work (the reader of standard input).</li>
 * </ul>
 */
public final class McpContextKeys {

    /** Transport context key of the {@link io.pvemcp.api.Caller}. */
    public static final String CALLER = "pvemcp.caller";

    /** Reactor context key of the JSON-RPC request id. */
    public static final String REQUEST_ID = "pvemcp.requestId";

    /**
     * Reactor context key: {@code Boolean.TRUE} if the request's thread may run its tool call to the end.
     *
     * @since 1.5
     */
    public static final String MAY_BLOCK = "pvemcp.mayBlock";

    /**
     * The MCP protocol versions the server speaks, oldest first. A transport refuses requests that announce
     * another version in their {@code MCP-Protocol-Version} header; {@code initialize} negotiates the newest
     * version when a client asks for one not listed.
     */
    public static final List<String> PROTOCOL_VERSIONS = List.of("2025-03-26", "2025-06-18", "2025-11-25");

    private McpContextKeys() {
    }
}
