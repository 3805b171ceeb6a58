package io.pvemcp.pve.sim.internal.state;

import java.util.Map;

/**
 * An error answer of the simulated node, worded as Proxmox VE words it: HTTP status, message, and per-parameter
 * errors for 400 answers.
 */
public class PveError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final Map<String, String> errors;

    /**
     * @param status the HTTP status
     * @param message the message (becomes the reason phrase and the {@code message} member)
     */
    public PveError(int status, String message) {
        this(status, message, Map.of());
    }

    /**
     * @param status the HTTP status
     * @param message the message
     * @param errors per-parameter errors
     */
    public PveError(int status, String message, Map<String, String> errors) {
        super(message);
        this.status = status;
        this.errors = errors;
    }

    /** @return a 500 error, the status Proxmox VE gives errors raised while running a method */
    public static PveError fail(String message) {
        return new PveError(500, message);
    }

    /**
     * @param param the parameter
     * @param message what is wrong with it
     * @return a 400 parameter error
     */
    public static PveError param(String param, String message) {
        return new PveError(400, "Parameter verification failed.", Map.of(param, message));
    }

    /**
     * @param path the ACL path
     * @param privilege the missing privilege
     * @return a 403 permission error
     */
    public static PveError permission(String path, String privilege) {
        return new PveError(403, "Permission check failed (" + path + ", " + privilege + ")");
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
