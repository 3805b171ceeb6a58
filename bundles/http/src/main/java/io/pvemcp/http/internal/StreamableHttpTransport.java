package io.pvemcp.http.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.pvemcp.api.Caller;
import io.pvemcp.api.Scopes;
import io.pvemcp.registry.JsonRpcMessages;
import io.pvemcp.registry.McpContextKeys;
import io.pvemcp.security.Admission;
import io.pvemcp.security.Gatekeeper;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * MCP Streamable HTTP (2025-11-25, also 2025-06-18 and 2025-03-26) at {@code /mcp} and {@code /mcp/}. It
 * speaks HTTP and leaves the protocol to the SDK's sessions, which the registry creates: {@code initialize}
 * opens a session, other requests are answered on their own event stream (or as plain JSON for clients that
 * do not accept streams), GET opens the listening stream for server notifications, DELETE ends the session.
 * Errors are JSON-RPC objects with a short message; nothing internal reaches the client. Requests reach it through
 * the {@link AdmissionFilter}, which decided who the caller is.
 */
@Component(service = {Servlet.class, McpStreamableServerTransportProvider.class}, configurationPid = "io.pvemcp.http",
        property = "pvemcp.transport=http")
@HttpWhiteboardServletPattern({"/mcp", "/mcp/*"})
@HttpWhiteboardServletName("mcp")
@HttpWhiteboardServletAsyncSupported
@Designate(ocd = HttpConfig.class)
public final class StreamableHttpTransport extends HttpServlet implements McpStreamableServerTransportProvider {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StreamableHttpTransport.class);
    private static final String SESSION_HEADER = AdmissionFilter.SESSION_HEADER;
    private static final String VERSION_HEADER = AdmissionFilter.VERSION_HEADER;
    /** Methods whose answers may be preceded by progress, log messages or server requests. */
    private static final Set<String> STREAMED = Set.of(McpSchema.METHOD_TOOLS_CALL, McpSchema.METHOD_RESOURCES_READ,
            McpSchema.METHOD_PROMPT_GET, McpSchema.METHOD_COMPLETION_COMPLETE);

    private final transient ObjectMapper mapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final transient McpJsonMapper json = new JacksonMcpJsonMapper(mapper);
    private final transient Gatekeeper gatekeeper;
    private final transient Map<String, Held> sessions = new ConcurrentHashMap<>();
    private final transient ScheduledExecutorService timer;
    /** How long an answer's stream may wait for its first message before its head is sent anyway. */
    static final long STREAM_HEAD_DELAY_MS = 200;
    private final int maxSessions;
    private final int adminReserve;
    private final int maxSessionsPerToken;
    private final long idleTimeoutMillis;
    private final int maxRequestBytes;
    private final long keepAliveSeconds;
    private transient volatile McpStreamableServerSession.Factory factory;

    /** A session and what the transport knows about its use. */
    private static final class Held {
        final McpStreamableServerSession session;
        final String owner;
        /** Who opened it: its credentials are checked while it lives. */
        final Caller caller;
        final AtomicInteger openStreams = new AtomicInteger();
        /** Closes the answer streams of the requests running now. */
        final Set<Runnable> answering = ConcurrentHashMap.newKeySet();
        volatile long lastActivity = System.currentTimeMillis();
        volatile SseStream listening;

        Held(McpStreamableServerSession session, String owner, Caller caller) {
            this.session = session;
            this.owner = owner;
            this.caller = caller;
        }

        /** Ends the session and every stream it has open. */
        void closeAll() {
            session.close();
            SseStream l = listening;
            if (l != null) {
                l.close();
            }
            for (Runnable r : List.copyOf(answering)) {
                r.run();
            }
        }
    }

    @Activate
    public StreamableHttpTransport(HttpConfig config, @Reference Gatekeeper gatekeeper) {
        this.gatekeeper = gatekeeper;
        this.maxSessions = Math.max(1, config.max_sessions());
        this.adminReserve = Math.max(0, Math.min(config.admin_reserved_sessions(), maxSessions - 1));
        this.maxSessionsPerToken = Math.max(1, config.max_sessions_per_token());
        this.idleTimeoutMillis = Duration.ofSeconds(Math.max(10, config.session_idle_timeout_s())).toMillis();
        this.maxRequestBytes = Math.max(1024, config.max_request_bytes());
        this.keepAliveSeconds = Math.max(1, config.keepalive_s());
        this.timer = timer();
        timer.scheduleWithFixedDelay(this::expireIdleSessions, 60, 60, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(this::closeInvalidatedSessions, 1, 1, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        closeAll();
        timer.shutdownNow();
    }

    // ---- McpStreamableServerTransportProvider

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
        if (this.factory != null && this.factory != sessionFactory) {
            closeAll();
        }
        this.factory = sessionFactory;
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Mono.fromRunnable(() -> {
            for (Held h : sessions.values()) {
                h.session.sendNotification(method, params).onErrorResume(e -> Mono.empty()).subscribe();
            }
        });
    }

    @Override
    public Mono<Void> notifyClient(String sessionId, String method, Object params) {
        Held h = sessionId == null ? null : sessions.get(sessionId);
        return h == null ? Mono.empty() : h.session.sendNotification(method, params).onErrorResume(e -> Mono.empty());
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::closeAll);
    }

    @Override
    public List<String> protocolVersions() {
        return McpContextKeys.PROTOCOL_VERSIONS;
    }

    private void closeAll() {
        for (String id : List.copyOf(sessions.keySet())) {
            Held h = sessions.remove(id);
            if (h != null) {
                h.closeAll();
            }
        }
    }

    /**
     * Ends, at once, the sessions whose credentials were revoked or expired since they opened them, with their
     * streams and running calls: a revoked token must not keep receiving notifications or answers.
     */
    private void closeInvalidatedSessions() {
        try {
            Map<String, String> verdicts = new java.util.HashMap<>();
            for (var e : sessions.entrySet()) {
                Held h = e.getValue();
                String why = verdicts.computeIfAbsent(h.owner, o -> {
                    String w = gatekeeper.invalidated(h.caller);
                    return w == null ? "" : w;
                });
                if (!why.isEmpty() && sessions.remove(e.getKey(), h)) {
                    LOG.info("MCP session {} closed: the credentials that opened it are no longer valid ({})",
                            e.getKey(), why);
                    h.closeAll();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("checking the sessions' credentials failed: {}", e.toString());
        }
    }

    /**
     * Keeps the server within its session limit: at the limit, the session idle longest that has no call running is
     * closed (first one that does nothing at all, then one that only listens), rather than refusing the newcomer.
     * The last {@code admin.reserved.sessions} places are for administrators, so an operator can always connect.
     *
     * @return {@code false} if every session has a call running
     */
    private synchronized boolean makeRoomOnServer(boolean admin) {
        while (true) {
            List<Map.Entry<String, Held>> others = new ArrayList<>();
            for (var e : sessions.entrySet()) {
                if (!e.getValue().caller.hasScope(Scopes.ADMIN)) {
                    others.add(e);
                }
            }
            boolean full = sessions.size() >= maxSessions;
            boolean othersFull = !admin && others.size() >= maxSessions - adminReserve;
            if (!full && !othersFull) {
                return true;
            }
            // a non-administrator beyond its share makes room among its peers; evicting an administrator would not help
            List<Map.Entry<String, Held>> candidates = othersFull ? others : new ArrayList<>(sessions.entrySet());
            candidates.sort((a, b) -> Long.compare(a.getValue().lastActivity, b.getValue().lastActivity));
            if (!evictOne(candidates, "the server reached its limit of " + maxSessions + " sessions")) {
                return false;
            }
        }
    }

    private boolean evictOne(List<Map.Entry<String, Held>> byAge, String why) {
        for (boolean evenListening : new boolean[] {false, true}) {
            for (var e : byAge) {
                Held h = e.getValue();
                SseStream l = h.listening;
                boolean listening = l != null && !l.isClosed();
                if ((evenListening || !listening) && h.openStreams.get() == 0 && sessions.remove(e.getKey(), h)) {
                    LOG.info("MCP session {} closed after {} s without use: {}", e.getKey(),
                            (System.currentTimeMillis() - h.lastActivity) / 1000, why);
                    h.closeAll();
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Keeps a token within its session limit: clients that reconnect without ending their old session (many do)
     * lose their least recently used session that has no call running rather than being locked out.
     *
     * @return {@code false} if every session of the token has a call running
     */
    private synchronized boolean makeRoomFor(String owner) {
        List<Map.Entry<String, Held>> own = new ArrayList<>();
        for (var e : sessions.entrySet()) {
            if (e.getValue().owner.equals(owner)) {
                own.add(e);
            }
        }
        if (own.size() < maxSessionsPerToken) {
            return true;
        }
        own.sort((a, b) -> Long.compare(a.getValue().lastActivity, b.getValue().lastActivity));
        // a session that does nothing, or only listens, is what a client leaves behind when it reconnects without
        // ending its session; one with a call running is never closed
        return evictOne(own, "its token opened a new one beyond its limit of " + maxSessionsPerToken);
    }

    private void expireIdleSessions() {
        long now = System.currentTimeMillis();
        for (var e : sessions.entrySet()) {
            Held h = e.getValue();
            boolean listening = h.listening != null && !h.listening.isClosed();
            if (!listening && h.openStreams.get() == 0 && now - h.lastActivity > idleTimeoutMillis) {
                if (sessions.remove(e.getKey(), h)) {
                    LOG.info("MCP session {} expired after {} s without use", e.getKey(), idleTimeoutMillis / 1000);
                    h.session.close();
                }
            }
        }
    }

    // ---- HTTP

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String pathInfo = req.getPathInfo();
        if (pathInfo != null && !pathInfo.equals("/")) {
            error(resp, 404, -32600, "Not found: the MCP endpoint is " + req.getServletPath(), null);
            return;
        }
        Caller admitted = AdmissionFilter.caller(req);
        if (admitted == null) {
            resp.setHeader("Retry-After", "2");
            error(resp, 503, -32603, "The MCP endpoint is starting; try again shortly", null);
            return;
        }
        Caller caller = admitted.toBuilder().transport("http").build();
        String version = req.getHeader(VERSION_HEADER);
        if (version != null && !McpContextKeys.PROTOCOL_VERSIONS.contains(version.strip())) {
            error(resp, 400, -32600, "Unsupported " + VERSION_HEADER + " '" + version + "'; this server supports "
                    + String.join(", ", McpContextKeys.PROTOCOL_VERSIONS), null);
            return;
        }
        switch (req.getMethod()) {
            case "POST" -> post(req, resp, caller);
            case "GET" -> get(req, resp, caller);
            case "DELETE" -> delete(req, resp, caller);
            default -> {
                resp.setHeader("Allow", "GET, POST, DELETE, OPTIONS");
                error(resp, 405, -32600, "Method not allowed: use POST, GET or DELETE", null);
            }
        }
    }

    private void refuse(HttpServletResponse resp, Admission a, Object id) throws IOException {
        Requests.refusalHeaders(resp, a);
        error(resp, a.status(), a.status() == 400 ? -32600 : -32001, a.description(), id);
    }

    private void post(HttpServletRequest req, HttpServletResponse resp, Caller caller) throws IOException {
        String contentType = req.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            error(resp, 415, -32600, "Content-Type must be application/json", null);
            return;
        }
        String accept = accept(req);
        if (!accept.contains("application/json") && !accept.contains("text/event-stream") && !accept.contains("*/*")) {
            error(resp, 406, -32600, "Accept must include application/json and text/event-stream", null);
            return;
        }
        byte[] raw;
        try {
            raw = Requests.body(req, resp, maxRequestBytes);
        } catch (Requests.TooLarge e) {
            error(resp, 413, -32600, "Request too large: at most " + maxRequestBytes + " bytes", null);
            return;
        } catch (IOException e) {
            LOG.debug("a client went away while sending its request: {}", e.toString());
            return;
        }
        McpSchema.JSONRPCMessage message;
        try {
            message = JsonRpcMessages.parse(mapper, json, raw, 0, raw.length);
        } catch (JsonRpcMessages.Invalid e) {
            error(resp, 400, e.code(), e.getMessage(), e.id());
            return;
        }
        McpStreamableServerSession.Factory f = factory;
        if (f == null) {
            resp.setHeader("Retry-After", "2");
            error(resp, 503, -32603, "The MCP server is starting or restarting; try again shortly", null);
            return;
        }
        if (message instanceof McpSchema.JSONRPCRequest request && McpSchema.METHOD_INITIALIZE.equals(request.method())) {
            initialize(f, request, resp, caller);
            return;
        }
        Held held = session(req, resp, caller);
        if (held == null) {
            return;
        }
        McpTransportContext context = context(caller);
        if (message instanceof McpSchema.JSONRPCResponse response) {
            held.session.accept(response).contextWrite(c -> c.put(McpTransportContext.KEY, context))
                    .onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(10));
            resp.setStatus(202);
        } else if (message instanceof McpSchema.JSONRPCNotification notification) {
            held.session.accept(notification).contextWrite(c -> c.put(McpTransportContext.KEY, context))
                    .onErrorResume(e -> {
                        LOG.debug("notification {} failed: {}", notification.method(), e.toString());
                        return Mono.empty();
                    }).block(Duration.ofSeconds(10));
            resp.setStatus(202);
        } else if (message instanceof McpSchema.JSONRPCRequest request) {
            if (McpSchema.METHOD_TOOLS_CALL.equals(request.method())) {
                Map<?, ?> params = request.params() instanceof Map<?, ?> m ? m : Map.of();
                @SuppressWarnings("unchecked")
                Map<String, Object> arguments = params.get("arguments") instanceof Map<?, ?> a
                        ? (Map<String, Object>) a : null;
                Admission charged = gatekeeper.chargeCall(caller, params.get("name") instanceof String n ? n
                        : String.valueOf(params.get("name")), arguments);
                if (charged != null) {
                    refuse(resp, charged, request.id());
                    return;
                }
            }
            boolean streams = accept.contains("text/event-stream") || accept.contains("*/*") || accept.isEmpty();
            answer(req, resp, held, request, context, streams && STREAMED.contains(request.method()));
        } else {
            error(resp, 400, -32600, "Invalid request: not a JSON-RPC request, response or notification", null);
        }
    }

    private void initialize(McpStreamableServerSession.Factory f, McpSchema.JSONRPCRequest request,
            HttpServletResponse resp, Caller caller) throws IOException {
        McpSchema.InitializeRequest init;
        try {
            init = JsonRpcMessages.initialize(json, request);
        } catch (JsonRpcMessages.Invalid e) {
            error(resp, 400, e.code(), e.getMessage(), request.id());
            return;
        }
        String owner = owner(caller);
        if (!makeRoomFor(owner)) {
            resp.setHeader("Retry-After", "60");
            error(resp, 429, -32603, "Too many open MCP sessions for this token (" + maxSessionsPerToken + "), "
                    + "each with a call running; close unused clients or try again later", request.id());
            return;
        }
        if (!makeRoomOnServer(caller.hasScope(Scopes.ADMIN))) {
            resp.setHeader("Retry-After", "30");
            error(resp, 503, -32603, "Too many open MCP sessions, each with a call running; try again shortly",
                    request.id());
            return;
        }
        McpStreamableServerSession.McpStreamableServerSessionInit started = f.startSession(init);
        McpSchema.InitializeResult result = started.initResult().block(Duration.ofSeconds(10));
        sessions.put(started.session().getId(), new Held(started.session(), owner, caller));
        resp.setStatus(200);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader(SESSION_HEADER, started.session().getId());
        resp.getOutputStream().write(json.writeValueAsBytes(McpSchema.JSONRPCResponse.result(request.id(), result)));
    }

    /** @return the transport's timer thread */
    static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "pvemcp-http-timer");
            t.setDaemon(true);
            return t;
        });
        // each answer's stream head is scheduled and, for the quick answers, cancelled: gone from the queue at once,
        // it does not wake the thread
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /**
     * @return the event stream of one answer: a quick answer goes out as one JSON body; a longer call shows its event
     *         stream after {@value #STREAM_HEAD_DELAY_MS} ms, unless it ended before
     */
    static SseStream stream(AsyncContext async, java.io.OutputStream out, McpJsonMapper json, HttpServletResponse resp,
            ScheduledExecutorService timer) {
        AtomicReference<Future<?>> head = new AtomicReference<>();
        SseStream stream = new SseStream(async, out, json, () -> {
            Future<?> h = head.get();
            if (h != null) {
                h.cancel(false);
            }
        }, resp);
        head.set(timer.schedule(stream::open, STREAM_HEAD_DELAY_MS, TimeUnit.MILLISECONDS));
        return stream;
    }

    /**
     * Answers a request on its own event stream, which carries its progress and log messages too, or with one JSON
     * response: for clients that do not accept event streams and for methods that never report progress (lists,
     * ping), whose large answers some clients cannot read when they arrive split across several chunks.
     */
    private void answer(HttpServletRequest req, HttpServletResponse resp, Held held, McpSchema.JSONRPCRequest request,
            McpTransportContext context, boolean eventStream) throws IOException {
        AsyncContext async;
        McpStreamableServerTransport sink;
        Runnable close;
        if (eventStream) {
            async = req.startAsync();
            SseStream stream = stream(async, resp.getOutputStream(), json, resp, timer);
            sink = stream;
            close = stream::close;
        } else {
            async = req.startAsync();
            JsonReply reply = new JsonReply(async, resp, json);
            sink = reply;
            close = reply::close;
        }
        async.setTimeout(0);
        held.openStreams.incrementAndGet();
        held.answering.add(close);
        Disposable[] running = new Disposable[1];
        async.addListener(listener(() -> {
            held.answering.remove(close);
            held.openStreams.decrementAndGet();
            held.lastActivity = System.currentTimeMillis();
            Disposable d = running[0];
            if (d != null) {
                d.dispose();
            }
        }));
        running[0] = held.session.responseStream(request, sink)
                // the request thread runs the call itself: it has nothing else to do than wait for the answer
                .contextWrite(c -> c.put(McpTransportContext.KEY, context).put(McpContextKeys.REQUEST_ID, request.id())
                        .put(McpContextKeys.MAY_BLOCK, Boolean.TRUE))
                .subscribe(v -> {
                }, e -> {
                    LOG.warn("answering {} failed: {}", request.method(), e.toString());
                    close.run();
                });
    }

    private void get(HttpServletRequest req, HttpServletResponse resp, Caller caller) throws IOException {
        String accept = accept(req);
        if (!accept.contains("text/event-stream") && !accept.contains("*/*")) {
            error(resp, 406, -32600, "Accept must include text/event-stream to open the event stream", null);
            return;
        }
        Held held = session(req, resp, caller);
        if (held == null) {
            return;
        }
        resp.setStatus(200);
        resp.setContentType("text/event-stream");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        SseStream previous = held.listening;
        McpStreamableServerSession.McpStreamableServerSessionStream[] listening = new McpStreamableServerSession.McpStreamableServerSessionStream[1];
        ScheduledFuture<?>[] keepAlive = new ScheduledFuture<?>[1];
        SseStream stream = new SseStream(async, resp.getOutputStream(), json, () -> {
            ScheduledFuture<?> k = keepAlive[0];
            if (k != null) {
                k.cancel(false);
            }
        });
        held.listening = stream;
        if (previous != null) {
            previous.close();
        }
        resp.flushBuffer();
        listening[0] = held.session.listeningStream(stream);
        async.addListener(listener(() -> {
            stream.close();
            if (listening[0] != null) {
                listening[0].close();
            }
            held.lastActivity = System.currentTimeMillis();
        }));
        keepAlive[0] = timer.scheduleWithFixedDelay(() -> {
            if (!stream.keepAlive() && listening[0] != null) {
                listening[0].close();
            }
        }, keepAliveSeconds, keepAliveSeconds, TimeUnit.SECONDS);
    }

    private void delete(HttpServletRequest req, HttpServletResponse resp, Caller caller) throws IOException {
        Held held = session(req, resp, caller);
        if (held == null) {
            return;
        }
        String id = held.session.getId();
        sessions.remove(id, held);
        try {
            held.session.delete().block(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.debug("deleting session {} failed: {}", id, e.toString());
        }
        SseStream l = held.listening;
        if (l != null) {
            l.close();
        }
        resp.setStatus(204);
    }

    /**
     * @return the session the request names, or {@code null} after answering 400 or 404; a session belongs to the
     *         credentials that opened it, and is not found for others
     */
    private Held session(HttpServletRequest req, HttpServletResponse resp, Caller caller) throws IOException {
        String id = req.getHeader(SESSION_HEADER);
        if (id == null || id.isBlank()) {
            error(resp, 400, -32600, "Bad request: the " + SESSION_HEADER + " header is missing; send initialize "
                    + "first", null);
            return null;
        }
        Held held = sessions.get(id.strip());
        if (held != null && !held.owner.equals(owner(caller))) {
            LOG.warn("Session {} was used with other credentials ({}) than those that opened it", id.strip(),
                    caller.subject());
            held = null;
        }
        if (held == null) {
            error(resp, 404, -32001, "Session not found: it ended or expired; initialize a new session", null);
            return null;
        }
        held.lastActivity = System.currentTimeMillis();
        return held;
    }

    private static McpTransportContext context(Caller caller) {
        return McpTransportContext.create(Map.of(McpContextKeys.CALLER, caller));
    }

    private static String owner(Caller caller) {
        return caller.tokenId() != null ? "token:" + caller.tokenId() : "subject:" + caller.subject();
    }

    private static String accept(HttpServletRequest req) {
        String accept = req.getHeader("Accept");
        return accept == null ? "" : accept.toLowerCase(Locale.ROOT);
    }

    private void error(HttpServletResponse resp, int status, int code, String message, Object id) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("id", id);
        body.put("error", error);
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getOutputStream().write(mapper.writeValueAsBytes(body));
    }

    private static AsyncListener listener(Runnable done) {
        return new AsyncListener() {
            private boolean ran;

            private synchronized void once() {
                if (!ran) {
                    ran = true;
                    done.run();
                }
            }

            @Override
            public void onComplete(AsyncEvent event) {
                once();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                once();
            }

            @Override
            public void onError(AsyncEvent event) {
                once();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // not restarted
            }
        };
    }
}
