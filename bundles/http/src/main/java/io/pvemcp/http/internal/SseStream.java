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
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;

/**
 * A server-sent events stream on an asynchronous servlet response: the answer stream of one POST request,
 * or the listening stream of a GET. Writes are serialised; a failed write (the client went away) closes the
 * stream. The answer of a request that comes before anything else (no progress, no log message, within the moment
 * before the stream is shown) goes out as one JSON body instead, as MCP allows: the cheapest answer for both ends.
 */
final class SseStream implements McpStreamableServerTransport {

    private static final Logger LOG = LoggerFactory.getLogger(SseStream.class);

    private final AsyncContext async;
    private final OutputStream out;
    private final McpJsonMapper json;
    /** Streams of this process are numbered after a random start: ids that differ across restarts, without a
     * random draw per stream. */
    private static final AtomicLong STREAMS = new AtomicLong(UUID.randomUUID().getMostSignificantBits() >>> 32);
    private final String streamId = String.format("%08x", STREAMS.incrementAndGet() & 0xffffffffL);
    private final AtomicLong sequence = new AtomicLong();
    private final Runnable onClose;
    private final boolean endsWithAnswer;
    /** The answer's response, whose head this stream writes; {@code null} when the caller wrote it. */
    private final HttpServletResponse response;
    private boolean closed;
    private boolean sent;

    /** A listening stream, whose head the caller wrote. */
    SseStream(AsyncContext async, OutputStream out, McpJsonMapper json, Runnable onClose) {
        this(async, out, json, onClose, null);
    }

    /**
     * The answer stream of one request, which ends with its response.
     *
     * @param response the response, whose head the stream writes: an event stream's, or a JSON body's when the
     *        answer comes first
     */
    SseStream(AsyncContext async, OutputStream out, McpJsonMapper json, Runnable onClose, HttpServletResponse response) {
        this.async = async;
        this.out = out;
        this.json = json;
        this.onClose = onClose;
        this.endsWithAnswer = response != null;
        this.response = response;
    }

    /** Sets the head of an event stream on an answer's response, unless anything went out already. */
    private void streamHead() {
        if (response != null && !sent && !response.isCommitted()) {
            response.setStatus(200);
            response.setContentType("text/event-stream");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Accel-Buffering", "no");
        }
    }

    /** @return whether the answer went out as one JSON body: nothing went out before it */
    private boolean asJson(byte[] data) {
        synchronized (this) {
            if (closed || sent || response == null || response.isCommitted()) {
                return false;
            }
            try {
                response.setStatus(200);
                response.setContentType("application/json");
                response.setCharacterEncoding("UTF-8");
                response.setContentLength(data.length);
                out.write(data);
                sent = true;
            } catch (IOException | IllegalStateException e) {
                LOG.debug("answer {} lost: {}", streamId, e.toString());
            }
        }
        close();
        return true;
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return sendMessage(message, null);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
        return Mono.fromRunnable(() -> {
            byte[] data;
            try {
                data = json.writeValueAsBytes(message);
            } catch (IOException e) {
                LOG.error("cannot serialise an MCP message", e);
                return;
            }
            if (message instanceof McpSchema.JSONRPCResponse && endsWithAnswer && asJson(data)) {
                return;
            }
            byte[] head = ("id: " + streamId + "-" + sequence.incrementAndGet() + "\nevent: message\ndata: ")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] event = new byte[head.length + data.length + 2];
            System.arraycopy(head, 0, event, 0, head.length);
            System.arraycopy(data, 0, event, head.length, data.length);
            event[event.length - 2] = '\n';
            event[event.length - 1] = '\n';
            if (message instanceof McpSchema.JSONRPCResponse && endsWithAnswer) {
                // the answer ends the stream: written with its end
                if (write(event, false)) {
                    close();
                }
            } else {
                write(event, true);
            }
        });
    }

    /** Sends the response head now if nothing was sent yet, so that the client sees the stream of a long call. */
    void open() {
        synchronized (this) {
            if (closed || sent) {
                return;
            }
            try {
                streamHead();
                out.flush();
                sent = true;
            } catch (IOException | IllegalStateException e) {
                LOG.debug("event stream {} lost: {}", streamId, e.toString());
            }
        }
    }

    /** Sends a comment line to keep the connection alive; a dead client shows up as a failed write. */
    boolean keepAlive() {
        return write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8), true);
    }

    /** @return {@code true} if written */
    private boolean write(byte[] event, boolean flush) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            try {
                streamHead();
                out.write(event);
                if (flush) {
                    out.flush();
                    sent = true;
                }
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
