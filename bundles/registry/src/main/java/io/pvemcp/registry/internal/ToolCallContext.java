package io.pvemcp.registry.internal;

import java.util.Map;
import java.util.function.Supplier;

import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.pvemcp.api.Arguments;
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
}
