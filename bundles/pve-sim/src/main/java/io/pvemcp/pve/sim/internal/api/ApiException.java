package io.pvemcp.pve.sim.internal.api;

import java.util.Map;

import io.pvemcp.pve.sim.internal.state.PveError;

/** An error answer of the simulated API, worded as a Proxmox VE node words it. */
public final class ApiException extends PveError {

    private static final long serialVersionUID = 1L;

    /**
     * @param status the HTTP status
     * @param message the message (becomes the reason phrase and the {@code message} member)
     */
    public ApiException(int status, String message) {
        super(status, message);
    }

    /**
     * @param status the HTTP status
     * @param message the message
     * @param errors per-parameter errors
     */
    public ApiException(int status, String message, Map<String, String> errors) {
        super(status, message, errors);
    }
}
