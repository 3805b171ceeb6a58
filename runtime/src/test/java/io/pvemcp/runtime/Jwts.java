package io.pvemcp.runtime;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

/**
 * Tokens made the way a user with {@code SECRET_KEY} makes them with any JWT library: HS256, no key id, the
 * documented claims. The tests sign them with java-jwt directly, not with the server's code.
 */
final class Jwts {

    private Jwts() {
    }

    static String admin(String secret, String url) {
        return signed(secret, url, "proxmox:admin", Duration.ofHours(1));
    }

    static String signed(String secret, String url, String scope, Duration ttl) {
        return signed(secret, url, scope, ttl, null);
    }

    /** @param limits the token's limits claim (proxmox_limits), or {@code null} */
    static String signed(String secret, String url, String scope, Duration ttl, java.util.Map<String, ?> limits) {
        URI u = URI.create(url);
        Instant now = Instant.now();
        var b = JWT.create().withIssuer(u.getScheme() + "://" + u.getRawAuthority()).withAudience(url)
                .withSubject("it-" + scope.replace(' ', '-')).withJWTId(UUID.randomUUID().toString()).withIssuedAt(now)
                .withExpiresAt(now.plus(ttl)).withClaim("scope", scope);
        if (limits != null) {
            b.withClaim("proxmox_limits", limits);
        }
        return b.sign(Algorithm.HMAC256(secret));
    }
}
