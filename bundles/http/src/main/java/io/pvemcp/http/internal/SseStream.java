package io.pvemcp.http.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import jakarta.servlet.AsyncContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;

/**
 * A server-sent events stream on an asynchronous servlet response: the answer stream of one POST request,
 * or the listening stream of a GET. Writes are serialised; a failed write (the client went away) closes the
 * stream.
 */
final class SseStream implements McpStreamableServerTransport {

    private static final Logger LOG = LoggerFactory.getLogger(SseStream.class);

    private final AsyncContext async;
    private final OutputStream out;
    private final McpJsonMapper json;
    private final String streamId = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong sequence = new AtomicLong();
    private final Runnable onClose;
    private boolean closed;

    SseStream(AsyncContext async, OutputStream out, McpJsonMapper json, Runnable onClose) {
        this.async = async;
        this.out = out;
        this.json = json;
        this.onClose = onClose;
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return sendMessage(message, null);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
        return Mono.fromRunnable(() -> {
            String data;
            try {
                data = json.writeValueAsString(message);
            } catch (IOException e) {
                LOG.error("cannot serialise an MCP message", e);
                return;
            }
            write("id: " + streamId + "-" + sequence.incrementAndGet() + "\nevent: message\ndata: " + data + "\n\n");
        });
    }

    /** Sends a comment line to keep the connection alive; a dead client shows up as a failed write. */
    boolean keepAlive() {
        return write(": keep-alive\n\n");
    }

    /** @return {@code true} if written */
    private boolean write(String event) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            try {
                out.write(event.getBytes(StandardCharsets.UTF_8));
                out.flush();
                return true;
            } catch (IOException | IllegalStateException e) {
                LOG.debug("event stream {} lost: {}", streamId, e.toString());
            }
        }
        close();
        return false;
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return json.convertValue(data, typeRef);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::close);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                async.complete();
            } catch (IllegalStateException e) {
                LOG.debug("event stream {} already completed", streamId);
            }
        }
        onClose.run();
    }

    synchronized boolean isClosed() {
        return closed;
    }
}
