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
        URI u = URI.create(url);
        Instant now = Instant.now();
        return JWT.create().withIssuer(u.getScheme() + "://" + u.getRawAuthority()).withAudience(url)
                .withSubject("it-" + scope.replace(' ', '-')).withJWTId(UUID.randomUUID().toString()).withIssuedAt(now)
                .withExpiresAt(now.plus(ttl)).withClaim("scope", scope).sign(Algorithm.HMAC256(secret));
    }
}
