package io.pvemcp.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.pvemcp.api.Caller;
import io.pvemcp.security.Admission;
import io.pvemcp.security.store.Tokens;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens of an external OpenID Connect issuer, against a provider's discovery document and JWKS served over HTTP on
 * loopback (Keycloak's paths): the key found by kid, RSA and EC, the RFC 8725 refusals, group mappings to scopes and
 * clusters, keys fetched again when a new one appears (but not for every unknown kid).
 */
class OidcIssuerTest {

    static final String RESOURCE = "http://127.0.0.1:8000/mcp";
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;
    HttpServer provider;
    String issuer;
    KeyPair rsa;
    KeyPair ec;
    final AtomicReference<List<Map<String, Object>>> published = new AtomicReference<>();
    final AtomicInteger fetches = new AtomicInteger();

    @BeforeEach
    void provider() throws Exception {
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(2048);
        rsa = r.generateKeyPair();
        KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
        e.initialize(new ECGenParameterSpec("secp256r1"));
        ec = e.generateKeyPair();
        published.set(List.of(jwk("k1", rsa), jwk("k2", ec)));
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + provider.getAddress().getPort() + "/realms/ops";
        ObjectMapper json = new ObjectMapper();
        provider.createContext("/realms/ops/.well-known/openid-configuration", x -> {
            byte[] b = json.writeValueAsBytes(Map.of("issuer", issuer, "jwks_uri", issuer
                    + "/protocol/openid-connect/certs"));
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        provider.createContext("/realms/ops/protocol/openid-connect/certs", x -> {
            fetches.incrementAndGet();
            byte[] b = json.writeValueAsBytes(Map.of("keys", published.get()));
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        provider.start();
    }

    @AfterEach
    void stopProvider() {
        provider.stop(0);
    }

    static String b64(BigInteger n) {
        byte[] b = n.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            b = java.util.Arrays.copyOfRange(b, 1, b.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static Map<String, Object> jwk(String kid, KeyPair k) {
        if (k.getPublic() instanceof RSAPublicKey p) {
            return Map.of("kid", kid, "kty", "RSA", "use", "sig", "alg", "RS256", "n", b64(p.getModulus()), "e",
                    b64(p.getPublicExponent()));
        }
        ECPublicKey p = (ECPublicKey) k.getPublic();
        return Map.of("kid", kid, "kty", "EC", "use", "sig", "crv", "P-256", "x", b64(p.getW().getAffineX()), "y",
                b64(p.getW().getAffineY()));
    }

    JWTCreator.Builder token(String kid) {
        Instant now = Instant.now();
        return JWT.create().withKeyId(kid).withIssuer(issuer).withAudience(RESOURCE).withSubject("u-1234")
                .withIssuedAt(now).withExpiresAt(now.plusSeconds(300)).withJWTId("j-" + System.nanoTime())
                .withClaim("preferred_username", "alice");
    }

    String rs(JWTCreator.Builder b) {
        return b.sign(Algorithm.RSA256((RSAPublicKey) rsa.getPublic(), (RSAPrivateKey) rsa.getPrivate()));
    }

    GatekeeperComponent gatekeeper() {
        return new GatekeeperComponent(GatekeeperComponentTest.config(dir, true, 600, 100, issuer, new String[] {
            "lab-team=proxmox:read proxmox:power;clusters=lab", "ops=proxmox:admin"}), System::nanoTime);
    }

    static Caller admitted(Admission a) {
        assertThat(a.status()).as("%s", a.description()).isEqualTo(200);
        return a.caller();
    }

    @Test
    void aProvidersTokenIsAdmittedWithItsScopesAndGroups() throws Exception {
        GatekeeperComponent g = gatekeeper();
        Caller plain = admitted(g.admit("Bearer " + rs(token("k1").withClaim("scope", "openid proxmox:read email")),
                "127.0.0.1", true));
        assertThat(plain.scopes()).containsExactly("proxmox:read");
        assertThat(plain.subject()).isEqualTo("u-1234");
        assertThat(plain.tokenId()).as("one id per user: sessions and rate limits survive a renewed token")
                .isEqualTo("oidc:u-1234");
        assertThat(plain.tokenName()).isEqualTo("alice");
        assertThat(plain.limits().clusters()).isEmpty();

        Caller lab = admitted(g.admit("Bearer " + rs(token("k1").withArrayClaim("groups", new String[] {"/lab-team",
            "/other"})), "127.0.0.1", true));
        assertThat(lab.scopes()).containsExactlyInAnyOrder("proxmox:read", "proxmox:power");
        assertThat(lab.limits().clusters()).containsExactly("lab");
        Caller both = admitted(g.admit("Bearer " + rs(token("k1").withArrayClaim("groups", new String[] {"lab-team",
            "ops"})), "127.0.0.1", true));
        assertThat(both.scopes()).contains("proxmox:admin");
        assertThat(both.limits().clusters()).as("ops reaches every cluster").isEmpty();

        String es = token("k2").withClaim("scope", "proxmox:read").sign(Algorithm.ECDSA256(
                (ECPublicKey) ec.getPublic(), (ECPrivateKey) ec.getPrivate()));
        assertThat(admitted(g.admit("Bearer " + es, "127.0.0.1", true)).scopes()).containsExactly("proxmox:read");
        assertThat(fetches.get()).as("the keys are fetched once and kept").isEqualTo(1);

        assertThat(g.resourceMetadata().get("authorization_servers")).isEqualTo(List.of(issuer));
        // the server's own tokens still work beside them
        assertThat(admitted(g.admit("Bearer " + GatekeeperComponentTest.issue(dir, java.util.Set.of("proxmox:read")),
                "127.0.0.1", true))
                .tokenId()).doesNotStartWith("oidc:");
    }

    @Test
    void expiredForeignUnsignedAndConfusedTokensAreRefused() throws Exception {
        GatekeeperComponent g = gatekeeper();
        List<String> refusals = new ArrayList<>();
        Instant past = Instant.now().minusSeconds(3600);
        List<String> tokens = List.of(
                rs(token("k1").withIssuedAt(past).withExpiresAt(past.plusSeconds(60))),
                rs(token("k1").withAudience("account")),
                rs(token("k9")),
                token("k1").sign(Algorithm.HMAC256("a shared secret that is at least 32 bytes long!")),
                token("k1").sign(Algorithm.none()),
                token("k1").sign(Algorithm.RSA256(null, (RSAPrivateKey) KeyPairGenerator.getInstance("RSA")
                        .generateKeyPair().getPrivate())),
                rs(token("k1").withHeader(Map.of("typ", "id+jwt"))),
                rs(token("k1").withIssuer(issuer + "-other")));
        for (String t : tokens) {
            Admission a = g.admit("Bearer " + t, "10.0.0." + refusals.size(), false);
            assertThat(a.status()).as("%s", a.description()).isEqualTo(401);
            refusals.add(a.description());
        }
        assertThat(refusals.get(0)).contains("expired");
        assertThat(refusals.get(1)).contains("not meant for this server");
        assertThat(refusals.get(2)).contains("has no key k9");
        assertThat(refusals.get(3)).contains("algorithm HS256 is not accepted");
        assertThat(refusals.get(4)).contains("algorithm none is not accepted");
        assertThat(refusals.get(5)).contains("signature does not verify");
        assertThat(refusals.get(6)).contains("type id+jwt is not an access token's");
        assertThat(refusals.get(7)).as("another issuer's token is checked as the server's own, and fails")
                .contains("Invalid bearer token");
    }

    @Test
    void aNewKeyIsFetchedWhenItAppearsButUnknownKidsDoNotHammerTheProvider() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
        Clock clock = new Clock() {
            public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId zone) { return this; }
            public Instant instant() { return now.get(); }
        };
        OidcIssuer o = new OidcIssuer(issuer, "", List.of(RESOURCE), "scope", "groups", "sub", List.of(),
                Duration.ofSeconds(30), HttpClient.newHttpClient(), clock);
        assertThat(o.verify(rs(token("k1"))).subject()).isEqualTo("u-1234");
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> o.verify(rs(token("nope")))).isInstanceOf(Tokens.Refused.class);
        }
        assertThat(fetches.get()).as("unknown kids within seconds: one fetch").isEqualTo(1);

        KeyPair rotated = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        published.set(List.of(jwk("k1", rsa), jwk("k3", rotated)));
        now.set(now.get().plusSeconds(11));
        String fresh = token("k3").sign(Algorithm.RSA256((RSAPublicKey) rotated.getPublic(),
                (RSAPrivateKey) rotated.getPrivate()));
        assertThat(o.verify(fresh).subject()).isEqualTo("u-1234");
        assertThat(fetches.get()).isEqualTo(2);
    }

    @Test
    void misconfigurationIsRefusedWithWhatToFix() {
        assertThatThrownBy(() -> new OidcIssuer("http://sso.example.org/realms/x", "", List.of(RESOURCE), "scope",
                "groups", "sub", List.of(), Duration.ZERO, HttpClient.newHttpClient(), Clock.systemUTC()))
                .hasMessageContaining("must be an https URL");
        assertThatThrownBy(() -> OidcIssuer.GroupGrant.parse("ops")).hasMessageContaining("write GROUP=SCOPE");
        assertThatThrownBy(() -> OidcIssuer.GroupGrant.parse("ops=proxmox:all")).hasMessageContaining(
                "'proxmox:all' is not a scope");
        assertThat(OidcIssuer.GroupGrant.parse("/team=proxmox:read;clusters=a,b")).isEqualTo(
                new OidcIssuer.GroupGrant("team", java.util.Set.of("proxmox:read"), java.util.Set.of("a", "b")));
    }
}
