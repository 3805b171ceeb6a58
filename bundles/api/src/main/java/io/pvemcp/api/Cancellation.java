package io.pvemcp.api;

import java.util.concurrent.CancellationException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Tells a running request that its client no longer wants the answer: the client sent
 * {@code notifications/cancelled}, disconnected, or the server is shutting down. Long-running work checks
 * {@link #isCancelled()} between steps or registers an action with {@link #onCancel(Runnable)}.
 * Cancelling a request does not undo what Proxmox already started: a tool that waits for a Proxmox task
 * stops waiting and says so; the task runs on.
 */
@ProviderType
public interface Cancellation {

    /** @return {@code true} once the request is cancelled */
    boolean isCancelled();

    /**
     * Runs {@code action} when the request is cancelled, at once if it already is. The action runs on
     * whatever thread cancels the request and must not block.
     *
     * @param action the action
     */
    void onCancel(Runnable action);

    /**
     * @throws CancellationException if the request is cancelled
     */
    default void throwIfCancelled() {
        if (isCancelled()) {
            throw new CancellationException("The request was cancelled by the client.");
        }
    }
}
