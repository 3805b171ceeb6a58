package io.pvemcp.registry.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpNotificationHandler;
import io.modelcontextprotocol.server.McpRequestHandler;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.pvemcp.api.Caller;
import io.pvemcp.api.Content;
import io.pvemcp.api.Prompt;
import io.pvemcp.api.PromptArgument;
import io.pvemcp.api.PromptResult;
import io.pvemcp.api.Resource;
import io.pvemcp.api.ResourceContents;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.registry.JsonRpcMessages;
import io.pvemcp.registry.McpContextKeys;
import io.pvemcp.registry.ToolRegistry;
import io.pvemcp.security.AuditEvent;
import io.pvemcp.security.AuditLog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The MCP methods: tools, resources, prompts, logging and ping. Every failure a client sees is either a
 * protocol error with a short message or a tool error that says what to fix; exceptions, stack traces and
 * internal messages stay in the server log under a reference id.
 */
final class McpHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(McpHandlers.class);
    /** A request whose transport named no caller may do nothing. */
    static final Caller NOBODY = Caller.builder().subject("unauthenticated").scopes(Set.of()).build();

    private final Contributions<Tool, ToolEntry> tools;
    private final Contributions<Resource, ResourceEntry> resources;
    private final Contributions<Prompt, PromptEntry> prompts;
    private final McpJsonMapper json;
    private final ObjectMapper mapper;
    private final Scheduler scheduler;
    private final Supplier<ProxmoxClient> proxmox;
    private final Supplier<AuditLog> audit;
    private final Supplier<ToolRegistry.Switches> switches;
    private McpSessions sessions;
    /** Running calls by session id and JSON-RPC request id, for {@code notifications/cancelled}. */
    private final Map<String, CancellationSignal> running = new ConcurrentHashMap<>();

    McpHandlers(Contributions<Tool, ToolEntry> tools, Contributions<Resource, ResourceEntry> resources,
            Contributions<Prompt, PromptEntry> prompts, McpJsonMapper json, ObjectMapper mapper, Scheduler scheduler,
            Supplier<ProxmoxClient> proxmox, Supplier<AuditLog> audit, Supplier<ToolRegistry.Switches> switches) {
        this.tools = tools;
        this.resources = resources;
        this.prompts = prompts;
        this.json = json;
        this.mapper = mapper;
        this.scheduler = scheduler;
        this.proxmox = proxmox;
        this.audit = audit;
        this.switches = switches;
    }

    void sessions(McpSessions sessions) {
        this.sessions = sessions;
    }

    Map<String, McpRequestHandler<?>> requestHandlers() {
        Map<String, McpRequestHandler<?>> h = new HashMap<>();
        h.put(McpSchema.METHOD_PING, (ex, p) -> Mono.just(Map.of()));
        h.put(McpSchema.METHOD_TOOLS_LIST, safe(this::listTools));
        h.put(McpSchema.METHOD_TOOLS_CALL, safe(this::callTool));
        h.put(McpSchema.METHOD_RESOURCES_LIST, safe(this::listResources));
        h.put(McpSchema.METHOD_RESOURCES_TEMPLATES_LIST, safe(this::listResourceTemplates));
        h.put(McpSchema.METHOD_RESOURCES_READ, safe(this::readResource));
        h.put(McpSchema.METHOD_PROMPT_LIST, safe(this::listPrompts));
        h.put(McpSchema.METHOD_PROMPT_GET, safe(this::getPrompt));
        h.put(McpSchema.METHOD_LOGGING_SET_LEVEL, safe(this::setLevel));
        h.put(McpSchema.METHOD_RESOURCES_SUBSCRIBE, safe((ex, p) -> subscribe(ex, p, true)));
        h.put(McpSchema.METHOD_RESOURCES_UNSUBSCRIBE, safe((ex, p) -> subscribe(ex, p, false)));
        h.put(McpSchema.METHOD_COMPLETION_COMPLETE, safe(this::complete));
        return h;
    }

    Map<String, McpNotificationHandler> notificationHandlers() {
        Map<String, McpNotificationHandler> h = new HashMap<>();
        h.put(McpSchema.METHOD_NOTIFICATION_INITIALIZED, (ex, p) -> Mono.empty());
        h.put(McpSchema.METHOD_NOTIFICATION_ROOTS_LIST_CHANGED, (ex, p) -> Mono.empty());
        h.put("notifications/cancelled", (ex, p) -> Mono.fromRunnable(() -> cancelled(ex, p)));
        return h;
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
        String ref = reference();
        LOG.error("MCP request failed (reference {})", ref, e);
        return McpError.builder(ErrorCodes.INTERNAL_ERROR).message("Internal error (reference " + ref
                + "); the server log has the details.").build();
    }

    private static String reference() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private <T> T convert(Object params, TypeRef<T> type) {
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

    // ---- tools

    private Mono<McpSchema.ListToolsResult> listTools(McpAsyncServerExchange exchange, Object params) {
        Caller caller = caller(exchange);
        List<McpSchema.Tool> visible = new ArrayList<>();
        ToolRegistry.Switches on = switches.get();
        for (ToolEntry t : tools.active()) {
            if (caller.hasScope(t.scope) && on.allows(t.bundle, t.name)) {
                visible.add(t.descriptor);
            }
        }
        return Mono.just(new McpSchema.ListToolsResult(visible, null));
    }

    private Mono<CallToolResult> callTool(McpAsyncServerExchange exchange, Object params) {
        McpSchema.CallToolRequest request = convert(params, new TypeRef<>() {
        });
        if (request.name() == null) {
            throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("Invalid params: the tool name is missing").build();
        }
        if (tools.get(request.name()) == null) {
            unknownTool(caller(exchange), request.name(), request.arguments());
            throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("Unknown tool: " + printable(request.name()))
                    .data("Call tools/list to see the tools you can use.").build();
        }
        Object progressToken = request.meta() == null ? null : request.meta().get("progressToken");
        return invoke(exchange, request.name(), request.arguments() == null ? Map.of() : request.arguments(),
                progressToken).map(Outcome::result);
    }

    /** Records a call of a tool that does not exist: probing for tools is worth knowing about. */
    private void unknownTool(Caller caller, String name, Map<String, Object> arguments) {
        AuditLog log = audit.get();
        if (log != null) {
            log.record(new AuditEvent(Instant.now(), caller, "tools/call", name, arguments == null ? Map.of() : arguments,
                    "unknown", "no such tool", 0, List.of()));
        }
    }

    /** @return a client-supplied name fit to repeat in a message: no control characters, not too long */
    static String printable(String s) {
        String p = s.replaceAll("\\p{Cntrl}", "?");
        return p.length() > 80 ? p.substring(0, 80) + "..." : p;
    }

    /** @return the tools a caller may use now, with their schemas */
    List<ToolRegistry.ToolDescription> describe(Caller caller) {
        List<ToolRegistry.ToolDescription> out = new ArrayList<>();
        ToolRegistry.Switches on = switches.get();
        for (ToolEntry t : tools.active()) {
            if (caller.hasScope(t.scope) && on.allows(t.bundle, t.name)) {
                out.add(t.description);
            }
        }
        return out;
    }

    /**
     * Calls a tool for a transport other than MCP. The exchange it runs in has no client to talk back to: progress
     * and log messages go nowhere but the server log, sampling and elicitation are refused.
     */
    java.util.concurrent.CompletionStage<ToolRegistry.CallOutcome> call(Caller caller, String name,
            Map<String, Object> arguments) {
        String transport = caller.transport() == null ? "api" : caller.transport();
        McpAsyncServerExchange exchange = new McpAsyncServerExchange(transport, new DetachedSession(), null,
                new McpSchema.Implementation(caller.clientName() == null ? transport : caller.clientName(),
                        caller.clientVersion() == null ? "" : caller.clientVersion()), McpTransportContext.create(Map.of(McpContextKeys.CALLER,
                        caller)));
        Mono<Outcome> running = invoke(exchange, name, arguments == null ? Map.of() : arguments, null);
        return running.<ToolRegistry.CallOutcome>handle((o, sink) -> {
            try {
                sink.next(outcome(o));
            } catch (IOException e) {
                sink.error(e);
            }
        }).toFuture();
    }

    private ToolRegistry.CallOutcome outcome(Outcome o) throws IOException {
        CallToolResult r = o.result();
        // through the SDK's mapper, which writes each content item's "type"
        Map<String, Object> written = mapper.readValue(json.writeValueAsString(r),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
                });
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> content = (List<Map<String, Object>>) written.getOrDefault("content", List.of());
        String text = r.content().stream().filter(c -> c instanceof McpSchema.TextContent)
                .map(c -> ((McpSchema.TextContent) c).text()).findFirst().orElse("");
        @SuppressWarnings("unchecked")
        Map<String, Object> structured = r.structuredContent() instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        return new ToolRegistry.CallOutcome(o.outcome(), text, content, structured);
    }

    /** The session of a call from outside MCP: nobody listens. */
    private static final class DetachedSession implements io.modelcontextprotocol.spec.McpLoggableSession {
        @Override
        public <T> Mono<T> sendRequest(String method, Object params, TypeRef<T> typeRef) {
            return Mono.error(new IllegalStateException("no MCP client is connected to answer " + method));
        }

        @Override
        public Mono<Void> sendNotification(String method, Object params) {
            return Mono.empty();
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.empty();
        }

        @Override
        public void close() {
        }

        @Override
        public void setMinLoggingLevel(McpSchema.LoggingLevel level) {
        }

        @Override
        public boolean isNotificationForLevelAllowed(McpSchema.LoggingLevel level) {
            return false;
        }
    }

    /** What a call came to: the audit outcome ({@code ok}, {@code error}, {@code denied}, ...) and the result. */
    record Outcome(String outcome, CallToolResult result) {
    }

    /**
     * Runs a tool for any transport: the checks (audit running, switches, scope, arguments, limits), the call on a
     * worker, and the audit entry.
     */
    Mono<Outcome> invoke(McpAsyncServerExchange exchange, String name, Map<String, Object> arguments,
            Object progressToken) {
        ToolEntry tool = tools.get(name);
        Caller caller = caller(exchange);
        if (tool == null) {
            unknownTool(caller, name, arguments);
            return Mono.just(new Outcome("unknown", error("Unknown tool: " + printable(name) + ". List the tools you "
                    + "can use.")));
        }
        Instant started = Instant.now();
        AuditLog log = audit.get();
        String auditProblem = log == null ? "the audit log is not running" : tool.readOnly ? null : log.failure();
        if (auditProblem != null) {
            LOG.error("Refused tool {} for {}: {}", tool.name, caller.subject(), auditProblem);
            return Mono.just(new Outcome("unavailable", error("The server cannot record tool calls right now ("
                    + auditProblem + "), so it runs none that could change anything. Ask the operator to check the "
                    + "server log.")));
        }
        if (!switches.get().allows(tool.bundle, tool.name)) {
            CallToolResult off = error("The tool " + tool.name + " is switched off on this server by its operator. "
                    + "Use another tool, or ask the operator to switch it on in the admin console.");
            audit(log, caller, tool.name, arguments, "denied", off, started, List.of());
            return Mono.just(new Outcome("switched-off", off));
        }
        if (!caller.hasScope(tool.scope)) {
            CallToolResult denied = error("The tool " + tool.name + " needs the scope " + tool.scope
                    + ", which your credentials do not grant. Ask the operator for a token with that scope.");
            audit(log, caller, tool.name, arguments, "denied", denied, started, List.of());
            return Mono.just(new Outcome("denied", denied));
        }
        List<String> problems = tool.input.problems(arguments);
        if (!problems.isEmpty()) {
            CallToolResult invalid = error("Invalid arguments for " + tool.name + ": " + String.join("; ", problems)
                    + ". Fix them and call the tool again.");
            audit(log, caller, tool.name, arguments, "invalid", invalid, started, List.of());
            return Mono.just(new Outcome("invalid", invalid));
        }
        String lacking = lackingScopes(tool, caller, arguments);
        if (lacking != null) {
            CallToolResult denied = error(lacking);
            audit(log, caller, tool.name, arguments, "denied", denied, started, List.of());
            return Mono.just(new Outcome("denied", denied));
        }
        String outside = GuardedProxmoxClient.outsideLimits(caller, arguments);
        if (outside != null) {
            CallToolResult denied = error(outside);
            audit(log, caller, tool.name, arguments, "denied", denied, started, List.of());
            return Mono.just(new Outcome("denied", denied));
        }
        List<String> tasks = new java.util.concurrent.CopyOnWriteArrayList<>();
        Supplier<ProxmoxClient> guarded = guarded(caller, tasks);
        return Mono.deferContextual(ctx -> {
            Object requestId = ctx.getOrDefault(McpContextKeys.REQUEST_ID, null);
            ToolCallContext call = new ToolCallContext(exchange, caller, guarded, tool.name, arguments, progressToken);
            String key = requestId == null ? null : exchange.sessionId() + "/" + requestId;
            if (key != null) {
                running.put(key, call.cancellation);
            }
            long start = System.nanoTime();
            java.util.concurrent.atomic.AtomicBoolean audited = new java.util.concurrent.atomic.AtomicBoolean();
            CallToolResult busy = error("The server is busy: too many tool calls are running. Try again in a moment.");
            return Mono.fromCallable(() -> run(tool, call)).subscribeOn(scheduler)
                    .onErrorResume(RejectedExecutionException.class, e -> Mono.just(busy))
                    .doOnNext(r -> {
                        LOG.info("tool {} called by {} ({}): {} in {} ms", tool.name, caller.subject(),
                                caller.clientName() == null ? "?" : caller.clientName(),
                                Boolean.TRUE.equals(r.isError()) ? "error" : "ok", (System.nanoTime() - start) / 1_000_000);
                        if (!audited.getAndSet(true)) {
                            audit(log, caller, tool.name, arguments, call.cancellation.isCancelled() ? "cancelled"
                                    : Boolean.TRUE.equals(r.isError()) ? "error" : "ok", r, started, tasks);
                        }
                    })
                    .doOnCancel(() -> {
                        if (!audited.getAndSet(true)) {
                            call.cancellation.cancel();
                            audit(log, caller, tool.name, arguments, "cancelled", null, started, tasks);
                        }
                    })
                    .doFinally(s -> {
                        if (key != null) {
                            running.remove(key, call.cancellation);
                        }
                    })
                    .map(r -> new Outcome(r == busy ? "busy" : call.cancellation.isCancelled() ? "cancelled"
                            : Boolean.TRUE.equals(r.isError()) ? "error" : "ok", r));
        });
    }

    /** The Proxmox client as a caller may use it: its scopes per effect and its token's limits. */
    private Supplier<ProxmoxClient> guarded(Caller caller, List<String> tasks) {
        return () -> {
            ProxmoxClient client = proxmox.get();
            return client == null ? null : new GuardedProxmoxClient(client, caller, tasks);
        };
    }

    private Supplier<ProxmoxClient> guarded(Caller caller) {
        return guarded(caller, new java.util.concurrent.CopyOnWriteArrayList<>());
    }

    /**
     * @return why the caller may not make this call with these arguments (the tool declares that they ask for a side
     *         effect of another scope), or {@code null}
     */
    private String lackingScopes(ToolEntry tool, Caller caller, Map<String, Object> arguments) {
        Map<String, String> more;
        try {
            more = tool.service.additionalScopes(new io.pvemcp.api.Arguments(arguments));
        } catch (RuntimeException | LinkageError e) {
            String ref = reference();
            LOG.error("Tool {} of bundle {} failed to name the scopes of its arguments (reference {})", tool.name,
                    tool.bundle, ref, e);
            return "The tool " + tool.name + " could not say which scopes this call needs (reference " + ref + "), so "
                    + "it was not run. This is a bug in bundle " + tool.bundle + "; please report it.";
        }
        if (more == null) {
            return null;
        }
        for (var e : more.entrySet()) {
            if (Scopes.isKnown(e.getKey()) && !caller.hasScope(e.getKey())) {
                return "This call of " + tool.name + " also needs the scope " + e.getKey() + " (" + e.getValue()
                        + "), which your credentials do not grant. Nothing was done. Call it without that option, or "
                        + "ask the operator for a token with " + e.getKey() + ".";
            }
        }
        return null;
    }

    private static void audit(AuditLog log, Caller caller, String tool, Map<String, Object> arguments, String outcome,
            CallToolResult result, Instant started, List<String> tasks) {
        String message = null;
        if (result != null && Boolean.TRUE.equals(result.isError()) && !result.content().isEmpty()
                && result.content().get(0) instanceof McpSchema.TextContent t) {
            message = t.text();
        }
        log.record(new AuditEvent(started, caller, "tools/call", tool, arguments, outcome, message,
                java.time.Duration.between(started, Instant.now()).toMillis(), List.copyOf(tasks)));
    }

    private CallToolResult run(ToolEntry tool, ToolCallContext call) {
        call.cancellation.enter();
        try {
            ToolResult result = tool.service.call(call);
            if (result == null) {
                return bug(tool, "returned no result");
            }
            return toMcp(tool, result);
        } catch (Throwable e) {
            Throwable cause = unwrap(e);
            if (cause instanceof ToolException || cause instanceof ProxmoxException) {
                return error(cause.getMessage());
            }
            if (call.cancellation.isCancelled()
                    && (cause instanceof CancellationException || cause instanceof InterruptedException)) {
                return error("The call was cancelled before " + tool.name + " finished. Anything Proxmox already "
                        + "started keeps running; check its state before you retry.");
            }
            if (cause instanceof TimeoutException) {
                return error(tool.name + " timed out: " + cause.getMessage());
            }
            if (cause instanceof Error err && !(cause instanceof LinkageError)) {
                throw err;
            }
            String ref = reference();
            LOG.error("Tool {} of bundle {} failed (reference {})", tool.name, tool.bundle, ref, cause);
            return error("The tool " + tool.name + " failed unexpectedly (reference " + ref + "). The server log "
                    + "has the details; please report this.");
        } finally {
            call.cancellation.exit();
        }
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private CallToolResult toMcp(ToolEntry tool, ToolResult result) {
        if (result.isError()) {
            return error(result.text());
        }
        Map<String, Object> structured = result.structuredContent();
        if (tool.output != null) {
            if (structured == null) {
                return bug(tool, "returned no structured content although it declares an output schema");
            }
            List<String> problems = tool.output.problems(structured);
            if (!problems.isEmpty()) {
                return bug(tool, "returned data that does not match its output schema: " + String.join("; ", problems));
            }
        }
        List<McpSchema.Content> content = new ArrayList<>();
        for (Content c : result.content()) {
            content.add(toMcp(c));
        }
        if (structured != null) {
            // Clients that ignore structured content still give the model the data (MCP: SHOULD).
            try {
                content.add(new McpSchema.TextContent(mapper.writeValueAsString(structured)));
            } catch (JsonProcessingException e) {
                return bug(tool, "returned structured content that cannot be written as JSON: " + e.getOriginalMessage());
            }
        }
        return new CallToolResult(content, false, structured, null);
    }

    static McpSchema.Content toMcp(Content c) {
        return switch (c.type()) {
            case TEXT -> new McpSchema.TextContent(c.text());
            case IMAGE -> new McpSchema.ImageContent(null, c.data(), c.mimeType());
            case AUDIO -> new McpSchema.AudioContent(null, c.data(), c.mimeType());
            case RESOURCE -> new McpSchema.EmbeddedResource(null, toMcp(c.resource(), null));
        };
    }

    static McpSchema.ResourceContents toMcp(ResourceContents c, String defaultMime) {
        String mime = c.mimeType() == null ? defaultMime : c.mimeType();
        return c.text() != null ? new McpSchema.TextResourceContents(c.uri(), mime, c.text())
                : new McpSchema.BlobResourceContents(c.uri(), mime, c.blob());
    }

    private CallToolResult bug(ToolEntry tool, String what) {
        String ref = reference();
        LOG.error("Tool {} of bundle {} {} (reference {})", tool.name, tool.bundle, what, ref);
        return error("The tool " + tool.name + " " + what + " (reference " + ref + "). This is a bug in bundle "
                + tool.bundle + "; please report it.");
    }

    static CallToolResult error(String message) {
        return new CallToolResult(List.of(new McpSchema.TextContent(message)), true, null, null);
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

    // ---- resources

    private Mono<McpSchema.ListResourcesResult> listResources(McpAsyncServerExchange exchange, Object params) {
        Caller caller = caller(exchange);
        List<McpSchema.Resource> list = new ArrayList<>();
        for (ResourceEntry r : resources.active()) {
            if (!r.template && caller.hasScope(r.scope) && switches.get().allows(r.bundle, null)) {
                list.add(r.resource);
            }
        }
        return Mono.just(new McpSchema.ListResourcesResult(list, null));
    }

    private Mono<McpSchema.ListResourceTemplatesResult> listResourceTemplates(McpAsyncServerExchange exchange,
            Object params) {
        Caller caller = caller(exchange);
        List<McpSchema.ResourceTemplate> list = new ArrayList<>();
        for (ResourceEntry r : resources.active()) {
            if (r.template && caller.hasScope(r.scope) && switches.get().allows(r.bundle, null)) {
                list.add(r.resourceTemplate);
            }
        }
        return Mono.just(new McpSchema.ListResourceTemplatesResult(list, null));
    }

    private Mono<McpSchema.ReadResourceResult> readResource(McpAsyncServerExchange exchange, Object params) {
        McpSchema.ReadResourceRequest request = convert(params, new TypeRef<>() {
        });
        String uri = request.uri();
        if (uri == null) {
            throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("Invalid params: the uri is missing").build();
        }
        Caller caller = caller(exchange);
        Map.Entry<ResourceEntry, Map<String, String>> found = findResource(caller, uri);
        ResourceEntry resource = found.getKey();
        Map<String, String> variables = found.getValue();
        ResourceRequestContext ctx = new ResourceRequestContext(exchange, caller, guarded(caller), uri, variables);
        return Mono.fromCallable(() -> {
            ctx.cancellation.enter();
            try {
                ResourceContents c = resource.service.read(ctx);
                if (c == null) {
                    throw new IllegalStateException("resource " + resource.uri + " of " + resource.bundle
                            + " returned nothing");
                }
                return new McpSchema.ReadResourceResult(List.of(toMcp(c, resource.mimeType)));
            } catch (Exception e) {
                Throwable cause = unwrap(e);
                if (cause instanceof ToolException || cause instanceof ProxmoxException) {
                    throw McpError.builder(ErrorCodes.INTERNAL_ERROR).message(cause.getMessage()).build();
                }
                throw e;
            } finally {
                ctx.cancellation.exit();
            }
        }).subscribeOn(scheduler).doOnCancel(ctx.cancellation::cancel);
    }

    private Map.Entry<ResourceEntry, Map<String, String>> findResource(Caller caller, String uri) {
        ResourceEntry found = resources.get(uri);
        Map<String, String> variables = found == null ? null : Map.of();
        if (found == null) {
            for (ResourceEntry r : resources.active()) {
                Map<String, String> v = r.template ? r.match(uri) : null;
                if (v != null) {
                    found = r;
                    variables = v;
                    break;
                }
            }
        }
        if (found == null || !caller.hasScope(found.scope) || !switches.get().allows(found.bundle, null)) {
            throw McpError.RESOURCE_NOT_FOUND.apply(uri);
        }
        return Map.entry(found, variables);
    }

    private Mono<Object> subscribe(McpAsyncServerExchange exchange, Object params, boolean on) {
        Object uri = params instanceof Map<?, ?> m ? m.get("uri") : null;
        if (!(uri instanceof String u) || u.isBlank()) {
            throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("Invalid params: the uri is missing").build();
        }
        if (on) {
            findResource(caller(exchange), u);
        }
        sessions.subscribe(exchange.sessionId(), u, on);
        return Mono.just(Map.of());
    }

    /** Tells subscribed sessions that a resource changed. */
    void resourceUpdated(String uri) {
        if (sessions != null) {
            sessions.updated(uri);
        }
    }

    // ---- completions

    private Mono<McpSchema.CompleteResult> complete(McpAsyncServerExchange exchange, Object params) {
        Map<?, ?> p = params instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> ref = p.get("ref") instanceof Map<?, ?> r ? r : Map.of();
        Map<?, ?> argument = p.get("argument") instanceof Map<?, ?> a ? a : Map.of();
        String name = argument.get("name") instanceof String n ? n : null;
        String value = argument.get("value") == null ? "" : String.valueOf(argument.get("value"));
        if (name == null) {
            throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("Invalid params: argument.name is missing").build();
        }
        Caller caller = caller(exchange);
        java.util.concurrent.Callable<List<String>> source;
        if ("ref/prompt".equals(ref.get("type"))) {
            PromptEntry prompt = ref.get("name") instanceof String n ? prompts.get(n) : null;
            if (prompt == null || !switches.get().allows(prompt.bundle, null)) {
                throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("Unknown prompt: "
                        + printable(String.valueOf(ref.get("name")))).data("Call prompts/list to see the prompts "
                        + "available.").build();
            }
            CompletionContext ctx = new CompletionContext(exchange, caller, guarded(caller), "prompt " + prompt.name);
            source = () -> prompt.service.complete(ctx, name, value);
        } else if ("ref/resource".equals(ref.get("type"))) {
            String uri = ref.get("uri") instanceof String u ? u : "";
            ResourceEntry resource = resources.get(uri);
            if (resource == null || !caller.hasScope(resource.scope) || !switches.get().allows(resource.bundle, null)) {
                throw McpError.RESOURCE_NOT_FOUND.apply(printable(uri));
            }
            CompletionContext ctx = new CompletionContext(exchange, caller, guarded(caller), "resource " + resource.uri);
            source = () -> resource.service.complete(ctx, name, value);
        } else {
            throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("Invalid params: ref.type must be ref/prompt or "
                    + "ref/resource").build();
        }
        return Mono.fromCallable(() -> {
            List<String> values;
            try {
                values = source.call();
            } catch (ToolException | ProxmoxException e) {
                LOG.debug("completion found nothing: {}", e.getMessage());
                values = List.of();
            }
            values = values == null ? List.of() : values;
            List<String> first = values.size() > 100 ? values.subList(0, 100) : values;
            return new McpSchema.CompleteResult(new McpSchema.CompleteResult.CompleteCompletion(List.copyOf(first),
                    values.size(), values.size() > 100));
        }).subscribeOn(scheduler);
    }

    /** The context of one completion request. */
    private static final class CompletionContext extends RequestContextBase {
        CompletionContext(McpAsyncServerExchange exchange, Caller caller, Supplier<ProxmoxClient> proxmox, String what) {
            super(exchange, caller, proxmox, "completion of " + what);
        }
    }

    // ---- prompts

    private Mono<McpSchema.ListPromptsResult> listPrompts(McpAsyncServerExchange exchange, Object params) {
        List<McpSchema.Prompt> list = new ArrayList<>();
        for (PromptEntry p : prompts.active()) {
            if (switches.get().allows(p.bundle, null)) {
                list.add(p.descriptor);
            }
        }
        return Mono.just(new McpSchema.ListPromptsResult(list, null));
    }

    private Mono<McpSchema.GetPromptResult> getPrompt(McpAsyncServerExchange exchange, Object params) {
        McpSchema.GetPromptRequest request = convert(params, new TypeRef<>() {
        });
        PromptEntry prompt = request.name() == null ? null : prompts.get(request.name());
        if (prompt == null || !switches.get().allows(prompt.bundle, null)) {
            throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("Unknown prompt: " + (request.name() == null
                    ? "(no name)" : printable(request.name())))
                    .data("Call prompts/list to see the prompts available.").build();
        }
        Map<String, String> args = new LinkedHashMap<>();
        if (request.arguments() != null) {
            request.arguments().forEach((k, v) -> {
                if (v != null) {
                    args.put(k, String.valueOf(v));
                }
            });
        }
        Set<String> known = new java.util.HashSet<>();
        for (PromptArgument a : prompt.arguments) {
            known.add(a.name());
            if (a.required() && (args.get(a.name()) == null || args.get(a.name()).isBlank())) {
                throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("The prompt " + prompt.name
                        + " needs the argument '" + a.name() + "'" + (a.description() == null ? "" : ": "
                        + a.description())).build();
            }
        }
        for (String k : args.keySet()) {
            if (!known.contains(k)) {
                throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("The prompt " + prompt.name
                        + " has no argument '" + printable(k) + "'; it accepts " + known).build();
            }
        }
        Caller promptCaller = caller(exchange);
        PromptRequestContext ctx = new PromptRequestContext(exchange, promptCaller, guarded(promptCaller), prompt.name,
                args);
        return Mono.fromCallable(() -> {
            ctx.cancellation.enter();
            try {
                PromptResult r = prompt.service.get(ctx);
                List<McpSchema.PromptMessage> messages = new ArrayList<>();
                for (PromptResult.Message m : r.messages()) {
                    messages.add(new McpSchema.PromptMessage(m.role().equals("user") ? McpSchema.Role.USER
                            : McpSchema.Role.ASSISTANT, toMcp(m.content())));
                }
                return new McpSchema.GetPromptResult(r.description(), messages);
            } catch (Exception e) {
                Throwable cause = unwrap(e);
                if (cause instanceof ToolException || cause instanceof ProxmoxException) {
                    throw McpError.builder(ErrorCodes.INVALID_PARAMS).message(cause.getMessage()).build();
                }
                throw e;
            } finally {
                ctx.cancellation.exit();
            }
        }).subscribeOn(scheduler).doOnCancel(ctx.cancellation::cancel);
    }

    // ---- logging

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
