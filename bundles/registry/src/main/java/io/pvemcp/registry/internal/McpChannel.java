package io.pvemcp.registry.internal;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.pvemcp.api.Elicitation;
import io.pvemcp.api.LogLevel;
import io.pvemcp.api.ToolException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;

/** The client of an MCP session, as a request's {@link ClientChannel}. */
final class McpChannel implements ClientChannel {

    private static final Logger LOG = LoggerFactory.getLogger(McpChannel.class);
    static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(5);

    private final McpAsyncServerExchange exchange;

    McpChannel(McpAsyncServerExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public void progress(Object token, double progress, Double total, String message) {
        try {
            exchange.progressNotification(new McpSchema.ProgressNotification(token, progress, total, message))
                    .block(NOTIFY_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.debug("progress not delivered: {}", e.toString());
        }
    }

    @Override
    public void log(LogLevel level, String logger, String message) {
        McpSchema.LoggingLevel l = McpSchema.LoggingLevel.valueOf(level.name().toUpperCase(Locale.ROOT));
        try {
            exchange.loggingNotification(new McpSchema.LoggingMessageNotification(l, logger, message))
                    .block(NOTIFY_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.debug("log message for {} not delivered: {}", logger, e.toString());
        }
    }

    @Override
    public String sample(String tool, String prompt, int maxTokens, CancellationSignal cancellation) {
        if (exchange.getClientCapabilities() == null || exchange.getClientCapabilities().sampling() == null) {
            throw new ToolException("The client does not support sampling (it declared no 'sampling' capability), so "
                    + "the tool " + tool + " cannot ask its model.");
        }
        McpSchema.CreateMessageRequest request = McpSchema.CreateMessageRequest.builder()
                .messages(List.of(new McpSchema.SamplingMessage(McpSchema.Role.USER, new McpSchema.TextContent(prompt))))
                .maxTokens(Math.max(1, maxTokens)).build();
        McpSchema.CreateMessageResult r = await(exchange.createMessage(request), tool, "sampling", cancellation);
        return r.content() instanceof McpSchema.TextContent t ? t.text() : String.valueOf(r.content());
    }

    @Override
    public boolean canElicit() {
        return exchange.getClientCapabilities() != null && exchange.getClientCapabilities().elicitation() != null;
    }

    @Override
    public Elicitation elicit(String tool, String message, Map<String, Object> schema, CancellationSignal cancellation) {
        if (exchange.getClientCapabilities() == null || exchange.getClientCapabilities().elicitation() == null) {
            throw new ToolException("The client does not support elicitation (it declared no 'elicitation' "
                    + "capability), so the tool " + tool + " cannot ask the user.");
        }
        McpSchema.ElicitResult r = await(exchange.createElicitation(new McpSchema.ElicitFormRequest(message, schema,
                null)), tool, "elicitation", cancellation);
        return new Elicitation(r.action() == null ? "cancel" : r.action().name().toLowerCase(Locale.ROOT),
                r.content());
    }

    private static <T> T await(Mono<T> request, String tool, String what, CancellationSignal cancellation) {
        java.util.concurrent.CompletableFuture<T> f = request.toFuture();
        cancellation.onCancel(() -> f.cancel(true));
        try {
            T result = f.join();
            if (result == null) {
                throw new ToolException("The client answered the " + what + " request with nothing.");
            }
            return result;
        } catch (java.util.concurrent.CancellationException e) {
            throw e;
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            LOG.debug("{} request of {} failed: {}", what, tool, cause.toString());
            throw new ToolException("The client did not answer the " + what + " request: " + cause.getMessage());
        }
    }
}
