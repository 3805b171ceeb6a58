package io.pvemcp.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.Caller;
import io.pvemcp.api.Cancellation;
import io.pvemcp.api.LogLevel;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.pve.ProxmoxClient;

/** A tool call with fixed arguments that records the progress and log messages a tool reports. */
public final class RecordingToolCall implements ToolCall {

    private final Arguments arguments;
    private final ProxmoxClient proxmox;
    /** Progress messages, in order. */
    public final List<String> progress = new CopyOnWriteArrayList<>();
    /** Log messages as {@code LEVEL text}, in order. */
    public final List<String> logs = new CopyOnWriteArrayList<>();
    private final List<Runnable> onCancel = new ArrayList<>();
    private volatile boolean cancelled;

    /**
     * @param arguments the arguments, as the client sent them
     * @param proxmox the client the tool uses
     */
    public RecordingToolCall(Map<String, Object> arguments, ProxmoxClient proxmox) {
        this.arguments = new Arguments(arguments);
        this.proxmox = proxmox;
    }

    /** Cancels the call, as a client's {@code notifications/cancelled} does. */
    public void cancel() {
        List<Runnable> actions;
        synchronized (onCancel) {
            cancelled = true;
            actions = List.copyOf(onCancel);
        }
        actions.forEach(Runnable::run);
    }

    @Override
    public String toolName() {
        return "test";
    }

    @Override
    public Arguments arguments() {
        return arguments;
    }

    @Override
    public void progress(double progress, Double total, String message) {
        this.progress.add(message);
    }

    @Override
    public Caller caller() {
        return Caller.ANONYMOUS;
    }

    @Override
    public ProxmoxClient proxmox() {
        return proxmox;
    }

    @Override
    public void log(LogLevel level, String message) {
        logs.add(level + " " + message);
    }

    @Override
    public Cancellation cancellation() {
        return new Cancellation() {
            @Override
            public boolean isCancelled() {
                return cancelled;
            }

            @Override
            public void onCancel(Runnable action) {
                synchronized (onCancel) {
                    if (!cancelled) {
                        onCancel.add(action);
                        return;
                    }
                }
                action.run();
            }
        };
    }
}
