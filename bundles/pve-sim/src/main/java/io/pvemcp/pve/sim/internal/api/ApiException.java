package io.pvemcp.pve.sim.internal.api;

import java.util.Map;

/** An error answer of the simulated API, worded as a Proxmox VE node words it. */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final Map<String, String> errors;

    /**
     * @param status the HTTP status
     * @param message the message (becomes the reason phrase and the {@code message} member)
     */
    public ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    /**
     * @param status the HTTP status
     * @param message the message
     * @param errors per-parameter errors
     */
    public ApiException(int status, String message, Map<String, String> errors) {
        super(message);
        this.status = status;
        this.errors = errors;
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return per-parameter errors */
    public Map<String, String> errors() {
        return errors;
    }
}
