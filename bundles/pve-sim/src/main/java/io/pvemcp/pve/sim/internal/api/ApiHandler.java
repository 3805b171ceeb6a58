package io.pvemcp.pve.sim.internal.api;

/** Implements one method of the simulated API. */
@FunctionalInterface
public interface ApiHandler {

    /**
     * @param call the call
     * @return the {@code data} of the answer, as JSON-shaped values
     * @throws ApiException for an error answer
     */
    Object handle(ApiCall call);
}
