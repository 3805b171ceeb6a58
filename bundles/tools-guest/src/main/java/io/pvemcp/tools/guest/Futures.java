package io.pvemcp.tools.guest;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Waiting for a Proxmox request in a tool: the answer, or the exception the request failed with (a
 * {@link io.pvemcp.api.pve.ProxmoxException}, a {@link io.pvemcp.api.ToolException}) rather than the
 * {@link CompletionException} around it, so that tools and their tests see the failure itself.
 *
 * @since 1.3
 */
public final class Futures {

    private Futures() {
    }

    /**
     * @param future a request's future
     * @param <T> the answer's type
     * @return the answer
     */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
