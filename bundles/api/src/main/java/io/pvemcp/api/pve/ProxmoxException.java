package io.pvemcp.api.pve;

import java.util.Map;

/**
 * A Proxmox request failed. The message is meant for people and models alike: it says what failed and,
 * where the client can know it, what to fix. It never contains credentials.
 */
public class ProxmoxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What kind of failure this is. */
    public enum Kind {
        /** No Proxmox host is configured. */
        NOT_CONFIGURED,
        /** The node could not be reached (DNS, refused, network unreachable). */
        CONNECTION,
        /** The TLS handshake failed, typically because the node's certificate is not trusted. */
        TLS,
        /** The node did not answer in time. */
        TIMEOUT,
        /** The credentials were rejected (HTTP 401). */
        AUTHENTICATION,
        /** The credentials lack a privilege (HTTP 403). */
        PERMISSION,
        /** A parameter was rejected (HTTP 400); see {@link #parameterErrors()}. */
        INVALID_PARAMETERS,
        /** The object (guest, node, storage) does not exist. */
        NOT_FOUND,
        /** The node that owns the object cannot be reached from the node we talk to (HTTP 595). */
        NODE_UNREACHABLE,
        /** The method or path does not exist on this Proxmox version (HTTP 501). */
        NOT_IMPLEMENTED,
        /** Any other error reported by Proxmox (HTTP 5xx), such as a locked or not running guest. */
        SERVER
    }

    private final Kind kind;
    private final int status;
    private final String proxmoxMessage;
    private final Map<String, String> parameterErrors;
    private final String method;
    private final String path;

    /**
     * @param kind the kind of failure
     * @param status the HTTP status, or 0 when no response arrived
     * @param message the full message (what failed, what to fix)
     * @param proxmoxMessage the message Proxmox sent, or {@code null}
     * @param parameterErrors per-parameter errors from a 400 answer; may be empty
     * @param method the HTTP method
     * @param path the request path (filled template)
     * @param cause the underlying failure, or {@code null}
     */
    public ProxmoxException(Kind kind, int status, String message, String proxmoxMessage,
            Map<String, String> parameterErrors, String method, String path, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.proxmoxMessage = proxmoxMessage;
        this.parameterErrors = parameterErrors == null ? Map.of() : Map.copyOf(parameterErrors);
        this.method = method;
        this.path = path;
    }

    /** @return the kind of failure */
    public Kind kind() {
        return kind;
    }

    /** @return the HTTP status, or 0 when no response arrived */
    public int status() {
        return status;
    }

    /** @return the message Proxmox sent (e.g. {@code VM 100 not running}), or {@code null} */
    public String proxmoxMessage() {
        return proxmoxMessage;
    }

    /** @return per-parameter errors of a 400 answer; empty otherwise */
    public Map<String, String> parameterErrors() {
        return parameterErrors;
    }

    /** @return the HTTP method */
    public String method() {
        return method;
    }

    /** @return the request path */
    public String path() {
        return path;
    }
}
