package io.pvemcp.http.internal;

import java.io.IOException;

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
 * The answer to one request as a single JSON body, for clients that accept {@code application/json} but not
 * event streams. Notifications sent while the request runs (progress, log messages) are dropped.
 */
final class JsonReply implements McpStreamableServerTransport {

    private static final Logger LOG = LoggerFactory.getLogger(JsonReply.class);

    private final AsyncContext async;
    private final HttpServletResponse response;
    private final McpJsonMapper json;
    private boolean done;

    JsonReply(AsyncContext async, HttpServletResponse response, McpJsonMapper json) {
        this.async = async;
        this.response = response;
        this.json = json;
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return sendMessage(message, null);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
        return Mono.fromRunnable(() -> {
            if (!(message instanceof McpSchema.JSONRPCResponse)) {
                return;
            }
            synchronized (this) {
                if (done) {
                    return;
                }
                try {
                    response.setStatus(200);
                    response.setContentType("application/json");
                    response.setCharacterEncoding("UTF-8");
                    byte[] body = json.writeValueAsBytes(message);
                    response.setContentLength(body.length);
                    response.getOutputStream().write(body);
                } catch (IOException | IllegalStateException e) {
                    LOG.debug("JSON reply lost: {}", e.toString());
                }
            }
            close();
        });
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
    public synchronized void close() {
        if (done) {
            return;
        }
        done = true;
        try {
            async.complete();
        } catch (IllegalStateException e) {
            LOG.debug("JSON reply already completed");
        }
    }
}
