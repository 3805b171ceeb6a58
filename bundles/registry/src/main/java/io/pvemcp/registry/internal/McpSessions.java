package io.pvemcp.registry.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpInitRequestHandler;
import io.modelcontextprotocol.server.McpNotificationHandler;
import io.modelcontextprotocol.server.McpRequestHandler;
import io.modelcontextprotocol.spec.McpLoggableSession;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.pvemcp.registry.McpContextKeys;
import io.pvemcp.registry.ToolRegistry.SessionInfo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;

/**
 * Creates the MCP sessions of every transport and keeps track of them: the registry needs a session to set
 * its log level ({@code logging/setLevel}) and reports the open sessions. A session leaves the table when its
 * transport closes it.
 */
final class McpSessions {

    private static final Logger LOG = LoggerFactory.getLogger(McpSessions.class);

    private static final List<String> PROTOCOL_VERSIONS = McpContextKeys.PROTOCOL_VERSIONS;

    /** A tracked session. */
    static final class Tracked {
        final String id;
        final String transport;
        final McpSchema.Implementation client;
        final String protocolVersion;
        final long startedAt = System.currentTimeMillis();
        final McpLoggableSession session;
        volatile String subject = "anonymous";
        final Set<String> subscriptions = ConcurrentHashMap.newKeySet();

        Tracked(String id, String transport, McpSchema.Implementation client, String protocolVersion,
                McpLoggableSession session) {
            this.id = id;
            this.transport = transport;
            this.client = client;
            this.protocolVersion = protocolVersion;
            this.session = session;
        }
    }

    private final Map<String, Tracked> sessions = new ConcurrentHashMap<>();
    private final Map<String, McpRequestHandler<?>> requestHandlers;
    private final Map<String, McpNotificationHandler> notificationHandlers;
    private final JsonSchemaValidator validator;
    private final Duration clientRequestTimeout;
    private final Function<String, McpSchema.InitializeResult> initializer;

    /**
     * @param requestHandlers the handlers of client requests
     * @param notificationHandlers the handlers of client notifications
     * @param validator the validator the SDK uses for elicitation schemas
     * @param clientRequestTimeout how long to wait for the client to answer a server request (sampling, elicitation)
     * @param initializer builds the {@code initialize} result for a negotiated protocol version
     */
    McpSessions(Map<String, McpRequestHandler<?>> requestHandlers, Map<String, McpNotificationHandler> notificationHandlers,
            JsonSchemaValidator validator, Duration clientRequestTimeout,
            Function<String, McpSchema.InitializeResult> initializer) {
        this.requestHandlers = Map.copyOf(requestHandlers);
        this.notificationHandlers = Map.copyOf(notificationHandlers);
        this.validator = validator;
        this.clientRequestTimeout = clientRequestTimeout;
        this.initializer = initializer;
    }

    /**
     * The session factory for a Streamable HTTP transport.
     *
     * @param transport the transport's name, for reports
     * @return the factory
     */
    McpStreamableServerSession.Factory streamableFactory(String transport) {
        return request -> {
            String version = negotiate(request.protocolVersion());
            String id = UUID.randomUUID().toString();
            McpStreamableServerSession session = new McpStreamableServerSession(id, request.capabilities(),
                    request.clientInfo(), clientRequestTimeout, requestHandlers, notificationHandlers,
                    () -> Mono.fromRunnable(() -> closed(id)), validator);
            sessions.put(id, new Tracked(id, transport, request.clientInfo(), version, session));
            McpSchema.Implementation client = request.clientInfo();
            LOG.info("MCP session {} opened over {} by {} {} (protocol {})", id, transport,
                    client == null ? "?" : client.name(), client == null ? "" : client.version(), version);
            onOpened.run();
            return new McpStreamableServerSession.McpStreamableServerSessionInit(session,
                    Mono.fromSupplier(() -> initializer.apply(version)));
        };
    }

    /**
     * The session factory for a transport with one connection per session, such as standard input and output.
     *
     * @param transport the transport's name, for reports
     * @return the factory
     */
    McpServerSession.Factory serverFactory(String transport) {
        return sessionTransport -> {
            String id = UUID.randomUUID().toString();
            McpServerSession[] self = new McpServerSession[1];
            McpInitRequestHandler init = request -> {
                String version = negotiate(request.protocolVersion());
                sessions.put(id, new Tracked(id, transport, request.clientInfo(), version, self[0]));
                McpSchema.Implementation client = request.clientInfo();
                LOG.info("MCP session {} opened over {} by {} {} (protocol {})", id, transport,
                        client == null ? "?" : client.name(), client == null ? "" : client.version(), version);
                onOpened.run();
                return Mono.fromSupplier(() -> initializer.apply(version));
            };
            self[0] = new McpServerSession(id, clientRequestTimeout, sessionTransport, init, requestHandlers,
                    notificationHandlers, () -> Mono.fromRunnable(() -> closed(id)), validator);
            return self[0];
        };
    }

    static String negotiate(String requested) {
        if (requested != null && PROTOCOL_VERSIONS.contains(requested)) {
            return requested;
        }
        return PROTOCOL_VERSIONS.get(PROTOCOL_VERSIONS.size() - 1);
    }

    private volatile java.util.function.Consumer<String> onClosed = id -> { };
    private volatile Runnable onOpened = () -> { };

    /** @param listener told of each session that opens (on the thread that opens it) */
    void onOpened(Runnable listener) {
        this.onOpened = listener;
    }

    /** @param listener told the id of each session that closes */
    void onClosed(java.util.function.Consumer<String> listener) {
        this.onClosed = listener;
    }

    private void closed(String id) {
        if (sessions.remove(id) != null) {
            LOG.info("MCP session {} closed", id);
        }
        onClosed.accept(id);
    }

    /**
     * Sends a notification to one session.
     *
     * @param id the session
     * @param method the notification, e.g. {@code notifications/tools/list_changed}
     * @return whether the session exists
     */
    boolean notify(String id, String method) {
        Tracked t = sessions.get(id);
        if (t == null) {
            return false;
        }
        t.session.sendNotification(method, null).onErrorResume(e -> {
            LOG.debug("{} not delivered to session {}: {}", method, id, e.toString());
            return Mono.empty();
        }).subscribe();
        return true;
    }

    /** Records who made the latest request of a session. */
    void touch(String id, String subject) {
        Tracked t = id == null ? null : sessions.get(id);
        if (t != null && subject != null) {
            t.subject = subject;
        }
    }

    /**
     * @return {@code true} if the session exists and its level was set
     */
    boolean setLevel(String id, McpSchema.LoggingLevel level) {
        Tracked t = id == null ? null : sessions.get(id);
        if (t == null) {
            return false;
        }
        t.session.setMinLoggingLevel(level);
        return true;
    }

    /**
     * Subscribes a session to a resource's updates, or ends the subscription.
     *
     * @return {@code true} if the session exists
     */
    boolean subscribe(String id, String uri, boolean on) {
        Tracked t = id == null ? null : sessions.get(id);
        if (t == null) {
            return false;
        }
        if (on) {
            t.subscriptions.add(uri);
        } else {
            t.subscriptions.remove(uri);
        }
        return true;
    }

    /** Tells the sessions subscribed to a resource that it changed. */
    void updated(String uri) {
        for (Tracked t : sessions.values()) {
            if (t.subscriptions.contains(uri)) {
                t.session.sendNotification(McpSchema.METHOD_NOTIFICATION_RESOURCES_UPDATED,
                        new McpSchema.ResourcesUpdatedNotification(uri)).onErrorResume(e -> {
                            LOG.debug("update of {} not delivered to session {}: {}", uri, t.id, e.toString());
                            return Mono.empty();
                        }).subscribe();
            }
        }
    }

    /** @return how many sessions are open */
    int count() {
        return sessions.size();
    }

    List<SessionInfo> list() {
        List<SessionInfo> out = new ArrayList<>();
        for (Tracked t : sessions.values()) {
            out.add(new SessionInfo(t.id, t.transport, t.client == null ? null : t.client.name(),
                    t.client == null ? null : t.client.version(), t.protocolVersion, t.subject, t.startedAt));
        }
        out.sort(Comparator.comparingLong(SessionInfo::startedAtMillis));
        return out;
    }

    /** Closes every session (the registry is stopping). */
    void closeAll() {
        for (Tracked t : List.copyOf(sessions.values())) {
            try {
                t.session.close();
            } catch (RuntimeException e) {
                LOG.debug("closing session {} failed", t.id, e);
            }
        }
        sessions.clear();
    }
}
