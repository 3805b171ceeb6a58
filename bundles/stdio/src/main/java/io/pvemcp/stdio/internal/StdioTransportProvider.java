package io.pvemcp.stdio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.pvemcp.api.Caller;
import io.pvemcp.api.Scopes;
import io.pvemcp.registry.JsonRpcMessages;
import io.pvemcp.registry.McpContextKeys;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;

/**
 * MCP over the standard streams of the process: one JSON-RPC message per line on standard input, answers and
 * notifications one per line on standard output, nothing else there. One client, one session, for the life of the
 * process; when the client closes standard input, the server answers the requests it read (30 s at most) and stops.
 * The launcher registers the real streams as services ({@code pvemcp.stdio=in}, {@code pvemcp.stdio=out}) and points
 * {@code System.out} at standard error, so no stray output can corrupt the protocol. The client is the user who
 * launched the command: it gets the configured scopes without a token, and every call is audited as
 * {@code stdio:<user>}.
 */
@Component(service = McpServerTransportProvider.class, configurationPid = "io.pvemcp.stdio",
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = "pvemcp.transport=stdio")
@Designate(ocd = StdioConfig.class)
public final class StdioTransportProvider implements McpServerTransportProvider {

    private static final Logger LOG = LoggerFactory.getLogger(StdioTransportProvider.class);

    private final BundleContext context;
    private final InputStream in;
    private final OutputStream out;
    private final StdioConfig config;
    private final ObjectMapper mapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final McpJsonMapper json = new JacksonMcpJsonMapper(mapper);
    private final McpTransportContext transportContext;
    private volatile McpServerSession session;
    private volatile Thread reader;
    private volatile boolean closing;
    /** Set when the client sent {@code notifications/initialized}; until then the server announces nothing. */
    private volatile boolean initialized;
    /** Requests read and not yet answered: when standard input ends, they are answered before the server stops. */
    private final AtomicInteger unanswered = new AtomicInteger();
    /** How long the requests of a client that closed its input may still take before the server stops. */
    static final long DRAIN_MILLIS = 30_000;
    private volatile boolean draining;

    @Activate
    public StdioTransportProvider(BundleContext context, StdioConfig config,
            @Reference(target = "(pvemcp.stdio=in)") InputStream in,
            @Reference(target = "(pvemcp.stdio=out)") OutputStream out) {
        this.context = context;
        this.config = config;
        this.in = in;
        this.out = out;
        Set<String> scopes = new LinkedHashSet<>();
        for (String s : config.scopes().split("[,\\s]+")) {
            if (!s.isBlank()) {
                if (!Scopes.ALL.contains(s.strip())) {
                    throw new IllegalArgumentException("Unknown scope '" + s.strip() + "' in io.pvemcp.stdio scopes; "
                            + "use " + String.join(", ", Scopes.ALL));
                }
                scopes.add(s.strip());
            }
        }
        String user = System.getProperty("user.name", "local");
        Caller caller = Caller.builder().subject("stdio:" + user).scopes(scopes).authenticated(true)
                .transport("stdio").build();
        this.transportContext = McpTransportContext.create(Map.of(McpContextKeys.CALLER, caller));
        LOG.info("MCP over stdio for {} with scopes {}", caller.subject(), scopes);
    }

    @Override
    public synchronized void setSessionFactory(McpServerSession.Factory factory) {
        if (factory == null) {
            McpServerSession s = session;
            session = null;
            if (s != null) {
                s.close();
            }
            return;
        }
        session = factory.create(new Connection());
        if (reader == null) {
            reader = new Thread(this::read, "pvemcp-stdio-reader");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** The longest message read from standard input; a longer line is refused and skipped. */
    static final int MAX_LINE = 16 * 1024 * 1024;

    private void read() {
        try (InputStream input = in) {
            LineReader lines = new LineReader(input, MAX_LINE);
            while (!closing) {
                int n = lines.next();
                if (n == LineReader.END) {
                    break;
                }
                if (n == LineReader.TOO_LONG) {
                    LOG.warn("Refused a message on standard input: longer than {} bytes", MAX_LINE);
                    write(("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"Invalid "
                            + "Request: the message is longer than " + MAX_LINE + " bytes\"}}").getBytes(
                                    StandardCharsets.UTF_8));
                    continue;
                }
                if (lines.blank()) {
                    continue;
                }
                try {
                    handle(lines.buffer(), lines.start(), n);
                } catch (RuntimeException | LinkageError e) {
                    // whatever a line holds, the reader lives on: the client gets an error, the session continues
                    LOG.warn("A message on standard input could not be handled: {}", e.toString());
                    write(("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,\"message\":\"Internal "
                            + "error: the message could not be handled; the server log has the details\"}}")
                                    .getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            if (!closing) {
                LOG.warn("Reading standard input failed: {}", e.getMessage());
            }
        }
        if (!closing && config.stop_on_eof()) {
            LOG.info("Standard input closed: the client ended the session; stopping");
            // a client that writes its requests and closes its input (a script) still gets its answers
            drain();
            McpServerSession s = session;
            if (s != null) {
                s.close();
            }
            Thread stopper = new Thread(() -> {
                try {
                    context.getBundle(0).stop();
                } catch (BundleException | IllegalStateException e) {
                    LOG.debug("stopping the framework failed: {}", e.toString());
                }
            }, "pvemcp-stdio-stop");
            stopper.start();
        }
    }

    private void handle(byte[] buffer, int offset, int length) {
        McpSchema.JSONRPCMessage message;
        try {
            message = JsonRpcMessages.parse(mapper, json, buffer, offset, length);
            if (message instanceof McpSchema.JSONRPCRequest req && McpSchema.METHOD_INITIALIZE.equals(req.method())) {
                McpSchema.InitializeRequest init = JsonRpcMessages.initialize(json, req);
                message = new McpSchema.JSONRPCRequest(req.jsonrpc(), req.method(), req.id(), init);
            }
        } catch (JsonRpcMessages.Invalid e) {
            LOG.info("Refused a message on standard input: {}", e.getMessage());
            try {
                write(mapper.writeValueAsBytes(e.response()));
            } catch (IOException io) {
                LOG.warn("An error could not be written as JSON: {}", io.getMessage());
            }
            return;
        }
        McpServerSession s = session;
        if (s == null) {
            LOG.warn("A message arrived while the MCP registry is not running; it was dropped");
            if (message instanceof McpSchema.JSONRPCRequest req) {
                send(error(req.id(), McpSchema.ErrorCodes.INTERNAL_ERROR, "The server is starting or stopping; try "
                        + "again shortly"));
            }
            return;
        }
        if (message instanceof McpSchema.JSONRPCNotification n
                && McpSchema.METHOD_NOTIFICATION_INITIALIZED.equals(n.method())) {
            initialized = true;
        }
        if (message instanceof McpSchema.JSONRPCRequest req && !initialized
                && !McpSchema.METHOD_INITIALIZE.equals(req.method())) {
            // the session answers nothing before notifications/initialized: it would wait for ever
            send(McpSchema.METHOD_PING.equals(req.method()) ? new McpSchema.JSONRPCResponse("2.0", req.id(), Map.of(),
                    null) : error(req.id(), McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: send initialize, "
                    + "then the notification notifications/initialized, before " + req.method()));
            return;
        }
        Object id = message instanceof McpSchema.JSONRPCRequest req ? req.id() : null;
        if (id != null) {
            unanswered.incrementAndGet();
        }
        s.handle(message).contextWrite(c -> {
            var ctx = c.put(McpTransportContext.KEY, transportContext);
            return id == null ? ctx : ctx.put(McpContextKeys.REQUEST_ID, id);
        }).doFinally(signal -> {
            if (id != null && unanswered.decrementAndGet() == 0 && draining) {
                synchronized (unanswered) {
                    unanswered.notifyAll();
                }
            }
        }).subscribe(null, e -> LOG.warn("Handling a stdio message failed: {}", e.toString()));
    }

    /** Waits until the requests read so far are answered, {@link #DRAIN_MILLIS} at most. */
    private void drain() {
        draining = true;
        long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000;
        synchronized (unanswered) {
            while (unanswered.get() > 0 && !closing) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    LOG.warn("{} request(s) of the client still unanswered after {} s; stopping", unanswered.get(),
                            DRAIN_MILLIS / 1000);
                    return;
                }
                try {
                    unanswered.wait(Math.min(left, 200));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static McpSchema.JSONRPCResponse error(Object id, int code, String message) {
        return new McpSchema.JSONRPCResponse("2.0", id, null, new McpSchema.JSONRPCResponse.JSONRPCError(code, message,
                null));
    }

    private void send(McpSchema.JSONRPCMessage message) {
        try {
            write(mapper.writeValueAsBytes(message));
        } catch (IOException e) {
            LOG.warn("A message could not be written as JSON: {}", e.getMessage());
        }
    }

    /** Writes one message and its line end with one write. */
    private void write(byte[] json) {
        byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        synchronized (out) {
            try {
                out.write(line);
                out.flush();
            } catch (IOException e) {
                LOG.debug("writing to standard output failed: {}", e.toString());
            }
        }
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        McpServerSession s = session;
        return s == null || !initialized ? Mono.empty() : s.sendNotification(method, params);
    }

    @Override
    public Mono<Void> closeGracefully() {
        McpServerSession s = session;
        return s == null ? Mono.empty() : s.closeGracefully();
    }

    @Override
    public List<String> protocolVersions() {
        return McpContextKeys.PROTOCOL_VERSIONS;
    }

    @Deactivate
    void deactivate() {
        closing = true;
        McpServerSession s = session;
        if (s != null) {
            s.close();
        }
    }

    /** The one connection: standard output for what the server sends. */
    private final class Connection implements McpServerTransport {

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return Mono.fromRunnable(() -> send(message));
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return json.convertValue(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.empty();
        }

        @Override
        public List<String> protocolVersions() {
            return McpContextKeys.PROTOCOL_VERSIONS;
        }
    }
}
