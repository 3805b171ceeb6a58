package io.pvemcp.registry.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpNotificationHandler;
import io.modelcontextprotocol.server.McpRequestHandler;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.pvemcp.api.Caller;
import io.pvemcp.api.Prompt;
import io.pvemcp.api.Resource;
import io.pvemcp.api.Tool;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.registry.JsonRpcMessages;
import io.pvemcp.registry.McpContextKeys;
import io.pvemcp.registry.ToolRegistry;
import io.pvemcp.security.AuditLog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The MCP methods and what they share: the caller of a request, its params, cancellation, and the rule that every
 * failure a client sees is either a protocol error with a short message or a tool error that says what to fix
 * (exceptions, stack traces and internal messages stay in the server log under a reference id). Tools
 * ({@link McpTools}, over the one call path of {@link ToolInvoker}), resources ({@link McpResources}) and prompts
 * with completions ({@link McpPrompts}) each have their own class.
 */
final class McpHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(McpHandlers.class);
    /** JSON-RPC's range for errors of the server's own: a request that waited for the start is not served. */
    static final int SERVER_STOPPING = -32000;
    /** A request whose transport named no caller may do nothing. */
    static final Caller NOBODY = Caller.builder().subject("unauthenticated").scopes(Set.of()).build();

    private final McpJsonMapper json;
    private final ToolInvoker invoker;
    private final McpTools tools;
    private final McpResources resources;
    private final McpPrompts prompts;
    private McpSessions sessions;
    private final StartupGate gate;
    private final Scheduler scheduler;
    /** Running calls by session id and JSON-RPC request id, for {@code notifications/cancelled}. */
    private final Map<String, CancellationSignal> running = new ConcurrentHashMap<>();

    McpHandlers(Contributions<Tool, ToolEntry> tools, Contributions<Resource, ResourceEntry> resources,
            Contributions<Prompt, PromptEntry> prompts, McpJsonMapper json, ObjectMapper mapper, Scheduler scheduler,
            Clusters clusters, Supplier<AuditLog> audit, Supplier<ToolRegistry.Switches> switches) {
        this(tools, resources, prompts, json, mapper, scheduler, clusters, audit, switches, StartupGate.none());
    }

    McpHandlers(Contributions<Tool, ToolEntry> tools, Contributions<Resource, ResourceEntry> resources,
            Contributions<Prompt, PromptEntry> prompts, McpJsonMapper json, ObjectMapper mapper, Scheduler scheduler,
            Clusters clusters, Supplier<AuditLog> audit, Supplier<ToolRegistry.Switches> switches, StartupGate gate) {
        this.json = json;
        this.gate = gate;
        this.scheduler = scheduler;
        this.invoker = new ToolInvoker(tools, scheduler::schedule, clusters, audit, switches);
        this.tools = new McpTools(this, tools, invoker, switches, mapper);
        this.resources = new McpResources(this, resources, invoker, switches, scheduler);
        this.prompts = new McpPrompts(this, prompts, resources, invoker, switches, scheduler);
    }

    /** @return the one call path, for what the registry offers beyond MCP (approvals, the safety policy) */
    ToolInvoker invoker() {
        return invoker;
    }

    void sessions(McpSessions sessions) {
        this.sessions = sessions;
    }

    McpSessions sessions() {
        return sessions;
    }

    Map<String, McpRequestHandler<?>> requestHandlers() {
        Map<String, McpRequestHandler<?>> h = new HashMap<>();
        h.put(McpSchema.METHOD_PING, (ex, p) -> Mono.just(Map.of()));
        h.put(McpSchema.METHOD_TOOLS_LIST, gated(tools::list));
        h.put(McpSchema.METHOD_TOOLS_CALL, heldForTool(tools::call));
        h.put(McpSchema.METHOD_RESOURCES_LIST, gated(resources::list));
        h.put(McpSchema.METHOD_RESOURCES_TEMPLATES_LIST, gated(resources::templates));
        h.put(McpSchema.METHOD_RESOURCES_READ, gated(resources::read));
        h.put(McpSchema.METHOD_PROMPT_LIST, gated(prompts::list));
        h.put(McpSchema.METHOD_PROMPT_GET, gated(prompts::get));
        h.put(McpSchema.METHOD_LOGGING_SET_LEVEL, safe(this::setLevel));
        h.put(McpSchema.METHOD_RESOURCES_SUBSCRIBE, gated((ex, p) -> resources.subscribe(ex, p, true)));
        h.put(McpSchema.METHOD_RESOURCES_UNSUBSCRIBE, gated((ex, p) -> resources.subscribe(ex, p, false)));
        h.put(McpSchema.METHOD_COMPLETION_COMPLETE, gated(prompts::complete));
        return h;
    }

    Map<String, McpNotificationHandler> notificationHandlers() {
        Map<String, McpNotificationHandler> h = new HashMap<>();
        h.put(McpSchema.METHOD_NOTIFICATION_INITIALIZED, (ex, p) -> Mono.empty());
        h.put(McpSchema.METHOD_NOTIFICATION_ROOTS_LIST_CHANGED, (ex, p) -> Mono.empty());
        h.put("notifications/cancelled", (ex, p) -> Mono.fromRunnable(() -> cancelled(ex, p)));
        return h;
    }

    /** @return the tools a caller may use now, with their schemas */
    List<ToolRegistry.ToolDescription> describe(Caller caller) {
        gate.await();
        return tools.describe(caller);
    }

    /** Calls a tool for a transport other than MCP, on the same path as {@code tools/call}. */
    CompletionStage<ToolRegistry.CallOutcome> call(Caller caller, String name, Map<String, Object> arguments) {
        if (!gate.isOpen() && !tools.has(name)) {
            return gate.openedOr(() -> tools.has(name)).thenComposeAsync(v -> tools.call(caller, name, arguments),
                    scheduler::schedule);
        }
        return tools.call(caller, name, arguments);
    }

    /** Tells subscribed sessions that a resource changed. */
    void resourceUpdated(String uri) {
        resources.updated(uri);
    }

    /** A handler that needs the tools, resources and prompts of the start: it waits for the start to complete. */
    private <T> McpRequestHandler<T> gated(McpRequestHandler<T> handler) {
        McpRequestHandler<T> safe = safe(handler);
        return (exchange, params) -> gate.isOpen() ? safe.handle(exchange, params)
                : gate.then(() -> safe.handle(exchange, params), scheduler).onErrorMap(e -> !(e instanceof McpError),
                        e -> McpError.builder(SERVER_STOPPING).message("The server is stopping; the request was not "
                                + "served").build());
    }

    /**
     * A call needs its tool, not the rest of the start: it waits until its tool is there or the start is complete
     * (then an unknown name is answered as such).
     */
    private <T> McpRequestHandler<T> heldForTool(McpRequestHandler<T> handler) {
        McpRequestHandler<T> safe = safe(handler);
        return (exchange, params) -> {
            if (gate.isOpen()) {
                return safe.handle(exchange, params);
            }
            Object name = params instanceof Map<?, ?> p ? p.get("name") : null;
            return gate.then(() -> name instanceof String n && tools.has(n), () -> safe.handle(exchange, params),
                    scheduler).onErrorMap(e -> !(e instanceof McpError), e -> McpError.builder(SERVER_STOPPING)
                            .message("The server is stopping; the request was not served").build());
        };
    }

    /** Turns any unexpected failure of a handler into an internal error with a reference id. */
    private <T> McpRequestHandler<T> safe(McpRequestHandler<T> handler) {
        return (exchange, params) -> {
            Mono<T> result;
            try {
                result = handler.handle(exchange, params);
            } catch (McpError e) {
                return Mono.error(e);
            } catch (RuntimeException e) {
                return Mono.error(internal(e));
            }
            return result.onErrorMap(e -> !(e instanceof McpError), McpHandlers::internal);
        };
    }

    private static McpError internal(Throwable e) {
        String ref = ToolInvoker.reference();
        LOG.error("MCP request failed (reference {})", ref, e);
        return McpError.builder(ErrorCodes.INTERNAL_ERROR).message("Internal error (reference " + ref
                + "); the server log has the details.").build();
    }

    /** Reads a request's params into its SDK type; anything else is {@code -32602} in the terms of the JSON sent. */
    <T> T convert(Object params, TypeRef<T> type) {
        if (!(params instanceof Map)) {
            throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("Invalid params: this method needs params, a JSON "
                    + "object").build();
        }
        try {
            return json.convertValue(params, type);
        } catch (RuntimeException e) {
            throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("Invalid params: " + JsonRpcMessages.describe(e))
                    .build();
        }
    }

    /** @return a client-supplied name fit to repeat in a message: no control characters, not too long */
    static String printable(String s) {
        String p = s.replaceAll("\\p{Cntrl}", "?");
        return p.length() > 80 ? p.substring(0, 80) + "..." : p;
    }

    /** The caller of a request, as the transport authenticated it, with what the session knows about the client. */
    Caller caller(McpAsyncServerExchange exchange) {
        McpTransportContext ctx = exchange.transportContext();
        Object c = ctx == null ? null : ctx.get(McpContextKeys.CALLER);
        Caller caller = c instanceof Caller cc ? cc : NOBODY;
        McpSchema.Implementation client = exchange.getClientInfo();
        Caller.Builder b = caller.toBuilder().sessionId(exchange.sessionId());
        if (client != null) {
            b.clientName(client.name()).clientVersion(client.version());
        }
        Caller result = b.build();
        if (sessions != null) {
            sessions.touch(exchange.sessionId(), result.subject());
        }
        return result;
    }

    /** Remembers a running call for {@code notifications/cancelled}. */
    void running(String key, CancellationSignal signal) {
        if (key != null) {
            running.put(key, signal);
        }
    }

    void finished(String key, CancellationSignal signal) {
        if (key != null) {
            running.remove(key, signal);
        }
    }

    private void cancelled(McpAsyncServerExchange exchange, Object params) {
        if (params instanceof Map<?, ?> p && p.get("requestId") != null) {
            CancellationSignal signal = running.get(exchange.sessionId() + "/" + p.get("requestId"));
            if (signal != null) {
                LOG.info("request {} of session {} cancelled by the client{}", p.get("requestId"), exchange.sessionId(),
                        p.get("reason") == null ? "" : ": " + p.get("reason"));
                signal.cancel();
            }
        }
    }

    private Mono<Object> setLevel(McpAsyncServerExchange exchange, Object params) {
        // the SDK reads an unknown level as INFO; a client that asks for a level that does not exist is told
        Object raw = params instanceof Map<?, ?> m ? m.get("level") : null;
        boolean known = raw instanceof String s && java.util.Arrays.stream(McpSchema.LoggingLevel.values())
                .anyMatch(l -> l.name().equalsIgnoreCase(s));
        McpSchema.SetLevelRequest request = known ? convert(params, new TypeRef<>() {
        }) : null;
        if (request == null || request.level() == null) {
            throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("Invalid params: level must be one of debug, "
                    + "info, notice, warning, error, critical, alert, emergency").build();
        }
        sessions.setLevel(exchange.sessionId(), request.level());
        return Mono.just(Map.of());
    }
}
