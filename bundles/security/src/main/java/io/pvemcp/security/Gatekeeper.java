package io.pvemcp.security;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Decides whether a request to the server may proceed, and as whom. Transports call it for every request
 * before they read its body; a refusal carries the HTTP status, the {@code WWW-Authenticate} challenge and a
 * message, so that every transport refuses the same way.
 * <p>
 * What it checks, in order: the client address is not blocked for repeated failures; the
 * {@code Authorization: Bearer} credential (a JWT or an API key) is valid; it grants at least one scope of
 * this server; the credential's rate limit is not exhausted. Credentials are accepted from that header only,
 * never from a URL, and are never forwarded to Proxmox VE.
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

    /** @return {@code false} only when the operator switched authentication off (loopback clients only) */
    boolean authenticationRequired();

    /** @return the URL of this server's protected resource metadata (RFC 9728) */
    String resourceMetadataUrl();

    /** @return the protected resource metadata document (RFC 9728), as JSON-shaped values */
    Map<String, Object> resourceMetadata();
}
