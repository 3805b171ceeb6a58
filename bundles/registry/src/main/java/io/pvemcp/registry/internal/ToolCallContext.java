package io.pvemcp.registry.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.pvemcp.api.Arguments;
import io.pvemcp.api.Elicitation;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.Caller;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.pve.ProxmoxClient;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One call of a tool. */
final class ToolCallContext extends RequestContextBase implements ToolCall {

    private static final Logger LOG = LoggerFactory.getLogger(ToolCallContext.class);

    private final String toolName;
    private final Arguments arguments;
    private final Object progressToken;
    private double lastProgress = Double.NEGATIVE_INFINITY;

    ToolCallContext(McpAsyncServerExchange exchange, Caller caller, Supplier<ProxmoxClient> proxmox, String toolName,
            Map<String, Object> arguments, Object progressToken) {
        super(exchange, caller, proxmox, toolName);
        this.toolName = toolName;
        this.arguments = new Arguments(arguments);
        this.progressToken = progressToken;
    }

    @Override
    public String toolName() {
        return toolName;
    }

    @Override
    public Arguments arguments() {
        return arguments;
    }

    @Override
    public void progress(double progress, Double total, String message) {
        if (progressToken == null) {
            return;
        }
        synchronized (this) {
            if (progress <= lastProgress) {
                return;
            }
            lastProgress = progress;
        }
        try {
            exchange.progressNotification(new McpSchema.ProgressNotification(progressToken, progress, total, message))
                    .block(NOTIFY_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.debug("progress of {} not delivered: {}", toolName, e.toString());
        }
    }

    @Override
    public String sample(String prompt, int maxTokens) {
        if (exchange.getClientCapabilities() == null || exchange.getClientCapabilities().sampling() == null) {
            throw new ToolException("The client does not support sampling (it declared no 'sampling' capability), so "
                    + "the tool " + toolName + " cannot ask its model.");
        }
        McpSchema.CreateMessageRequest request = McpSchema.CreateMessageRequest.builder()
                .messages(List.of(new McpSchema.SamplingMessage(McpSchema.Role.USER, new McpSchema.TextContent(prompt))))
                .maxTokens(Math.max(1, maxTokens)).build();
        McpSchema.CreateMessageResult r = await(exchange.createMessage(request), "sampling");
        return r.content() instanceof McpSchema.TextContent t ? t.text() : String.valueOf(r.content());
    }

    @Override
    public Elicitation elicit(String message, Map<String, Object> requestedSchema) {
        if (exchange.getClientCapabilities() == null || exchange.getClientCapabilities().elicitation() == null) {
            throw new ToolException("The client does not support elicitation (it declared no 'elicitation' "
                    + "capability), so the tool " + toolName + " cannot ask the user.");
        }
        McpSchema.ElicitResult r = await(exchange.createElicitation(new McpSchema.ElicitFormRequest(message,
                requestedSchema, null)), "elicitation");
        return new Elicitation(r.action() == null ? "cancel" : r.action().name().toLowerCase(java.util.Locale.ROOT),
                r.content());
    }

    private <T> T await(reactor.core.publisher.Mono<T> request, String what) {
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
            LOG.debug("{} request of {} failed: {}", what, toolName, cause.toString());
            throw new ToolException("The client did not answer the " + what + " request: " + cause.getMessage());
        }
    }
}
