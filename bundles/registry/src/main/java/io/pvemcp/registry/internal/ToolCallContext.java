package io.pvemcp.registry.internal;

import java.util.Map;
import java.util.function.Supplier;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.Caller;
import io.pvemcp.api.Elicitation;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.pve.ProxmoxClient;

/** One call of a tool. */
final class ToolCallContext extends RequestContextBase implements ToolCall {

    private final String toolName;
    private final Arguments arguments;
    private final Object progressToken;
    private double lastProgress = Double.NEGATIVE_INFINITY;

    ToolCallContext(ClientChannel channel, Caller caller, Supplier<ProxmoxClient> proxmox, String toolName,
            Map<String, Object> arguments, Object progressToken, CancellationSignal cancellation) {
        super(channel, caller, proxmox, toolName, cancellation);
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
        channel.progress(progressToken, progress, total, message);
    }

    @Override
    public String sample(String prompt, int maxTokens) {
        return channel.sample(toolName, prompt, maxTokens, cancellation);
    }

    @Override
    public Elicitation elicit(String message, Map<String, Object> requestedSchema) {
        return channel.elicit(toolName, message, requestedSchema, cancellation);
    }
}
