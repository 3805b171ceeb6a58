package io.pvemcp.security;

import java.util.Map;

import io.pvemcp.api.Caller;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Decides whether a request to the server may proceed, and as whom. Transports call it for every request
 * before they read its body; a refusal carries the HTTP status, the {@code WWW-Authenticate} challenge and a
 * message, so that every transport refuses the same way.
 * <p>
 * What it checks, in order: the {@code Authorization: Bearer} credential (a JWT or an API key) is valid; it
 * grants at least one scope of this server; the credential's message rate is not exhausted. An address that
 * presents too many invalid credentials is answered 429 instead of 401 for its failures only: a valid credential
 * from the same address is always admitted. Credentials are accepted from that header only, never from a URL, and
 * are never forwarded to Proxmox VE.
 */
@ProviderType
public interface Gatekeeper {

    /**
     * @param authorization the {@code Authorization} header, or {@code null}
     * @param remoteAddress the client's address
     * @param loopback {@code true} if the request arrived on a loopback interface
     * @return the decision
     */
    Admission admit(String authorization, String remoteAddress, boolean loopback);

    /**
     * Charges one tool call to the caller's call rate. Requests that only talk protocol (initialize, lists, ping,
     * notifications) are charged by {@link #admit} at a much higher allowance; what costs (a tool call, which reaches
     * Proxmox) is charged here. A refused call is recorded in the audit log with the outcome {@code rate-limited}.
     *
     * @param caller the admitted caller
     * @param tool the tool asked for, as the client named it
     * @param arguments its arguments, for the audit log; may be {@code null}
     * @return {@code null} if the call may run, otherwise a 429 refusal with its retry time
     * @since 1.1
     */
    Admission chargeCall(Caller caller, String tool, Map<String, Object> arguments);

    /**
     * Whether the credentials a caller was admitted with still admit it. Transports ask this for their open
     * sessions, so that a revoked or expired token loses its sessions and streams at once, not at its next request.
     *
     * @param caller a caller this gatekeeper admitted
     * @return {@code null} while they do; otherwise why not ("it was revoked", "it expired")
     * @since 1.1
     */
    String invalidated(Caller caller);

    /** @return {@code false} only when the operator switched authentication off (loopback clients only) */
    boolean authenticationRequired();

    /** @return the URL of this server's protected resource metadata (RFC 9728) */
    String resourceMetadataUrl();

    /** @return the protected resource metadata document (RFC 9728), as JSON-shaped values */
    Map<String, Object> resourceMetadata();
}
