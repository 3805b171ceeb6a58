package io.pvemcp.security.store;

import java.time.Instant;
import java.util.List;

import io.pvemcp.api.Limits;

/**
 * What the server remembers of credentials it issued: never the credential itself; for an API key, the
 * SHA-256 hash of it.
 *
 * @param id the token's {@code jti}, or the API key's id
 * @param kind {@link #JWT} or {@link #API_KEY}
 * @param name the operator's name for it, e.g. {@code alice-laptop}
 * @param subject whom it identifies (the {@code sub} claim)
 * @param scopes the scopes it grants
 * @param limits what it is confined to
 * @param kid the signing key of a JWT, or {@code null}
 * @param issued when it was issued
 * @param expires when it expires, or {@code null} (API keys without expiry)
 * @param revoked when it was revoked, or {@code null}
 * @param hash the SHA-256 of an API key (hex), or {@code null}
 */
public record TokenRecord(String id, String kind, String name, String subject, List<String> scopes, Limits limits,
        String kid, Instant issued, Instant expires, Instant revoked, String hash) {

    /** A signed JWT. */
    public static final String JWT = "jwt";
    /** An opaque, long-lived API key. */
    public static final String API_KEY = "api-key";

    /**
     * @param now the current time
     * @return {@code active}, {@code expired} or {@code revoked}
     */
    public String state(Instant now) {
        if (revoked != null) {
            return "revoked";
        }
        return expires != null && !expires.isAfter(now) ? "expired" : "active";
    }

    TokenRecord revokedAt(Instant at) {
        return new TokenRecord(id, kind, name, subject, scopes, limits, kid, issued, expires, at, hash);
    }
}
