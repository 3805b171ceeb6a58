package io.pvemcp.security.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pvemcp.api.Limits;
import io.pvemcp.api.Scopes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every rule of token verification, each with a token that breaks it. */
class TokensTest {

    static final String URL = "https://mcp.example.com/mcp";
    static final String ISSUER = "https://mcp.example.com";
    static final String SECRET = "a-secret-of-at-least-32-bytes-for-hs256!!";

    @TempDir
    Path dir;

    Tokens tokens(String secret, String alg) {
        return new Tokens(dir, new Tokens.Settings(ISSUER, List.of(URL), secret, null, alg, Duration.ofSeconds(30)));
    }

    static com.auth0.jwt.JWTCreator.Builder claims() {
        Instant now = Instant.now();
        return JWT.create().withIssuer(ISSUER).withAudience(URL).withSubject("alice").withJWTId(UUID.randomUUID().toString())
                .withIssuedAt(now).withExpiresAt(now.plusSeconds(600)).withClaim("scope", "proxmox:read");
    }

    static String refusal(Tokens t, String token) {
        try {
            t.verify(token);
            return null;
        } catch (Tokens.Refused e) {
            return e.getMessage();
        }
    }

    @Test
    void acceptsAnHs256TokenSignedWithTheSecretKeyByAnyLibrary() throws Exception {
        Tokens t = tokens(SECRET, null);
        Tokens.Verified v = t.verify(claims().withClaim("scope", "proxmox:read proxmox:power").sign(Algorithm.HMAC256(SECRET)));
        assertThat(v.subject()).isEqualTo("alice");
        assertThat(v.scopes()).containsExactly("proxmox:read", "proxmox:power");
        assertThat(v.limits()).isEqualTo(Limits.NONE);
    }

    @Test
    void refusesEveryBrokenToken() throws Exception {
        Tokens t = tokens(SECRET, null);
        Algorithm good = Algorithm.HMAC256(SECRET);
        Instant now = Instant.now();
        assertThat(refusal(t, "")).isEqualTo("no token");
        assertThat(refusal(t, "not-a-jwt")).contains("malformed");
        assertThat(refusal(t, claims().sign(Algorithm.HMAC256("another-secret-of-at-least-32-bytes!!"))))
                .contains("signature does not verify");
        assertThat(refusal(t, claims().withExpiresAt(now.minusSeconds(120)).sign(good))).contains("expired");
        assertThat(refusal(t, claims().withNotBefore(now.plusSeconds(600)).sign(good))).contains("not valid yet");
        assertThat(refusal(t, claims().withAudience("https://other.example.com/mcp").sign(good))).contains("audience");
        assertThat(refusal(t, claims().withIssuer("https://evil.example.com").sign(good))).contains("issuer");
        Instant later = now.plusSeconds(10);
        assertThat(refusal(t, JWT.create().withIssuer(ISSUER).withAudience(URL).withSubject("x").withIssuedAt(later)
                .withExpiresAt(later.plusSeconds(60)).sign(good))).contains("no jti claim");
        assertThat(refusal(t, claims().withExpiresAt((Instant) null).sign(good))).contains("lacks one of the claims exp");
    }

    @Test
    void refusesEmptyClaimsUnknownCriticalExtensionsAndOverlongLifetimes() throws Exception {
        Tokens t = tokens(SECRET, null);
        Algorithm good = Algorithm.HMAC256(SECRET);
        Instant now = Instant.now();
        assertThat(refusal(t, claims().withSubject("").sign(good))).contains("lacks one of the claims", "or has it empty");
        assertThat(refusal(t, claims().withSubject("  ").sign(good))).contains("or has it empty");
        assertThat(refusal(t, claims().withJWTId("").sign(good))).contains("or has it empty");
        assertThat(refusal(t, claims().withHeader(java.util.Map.of("crit", List.of("x-pvemcp-unknown"),
                "x-pvemcp-unknown", true)).sign(good))).contains("critical extensions");
        assertThat(refusal(t, claims().withIssuedAt(now).withExpiresAt(now.plus(Duration.ofDays(400))).sign(good)))
                .contains("longer than 366 days");
        assertThat(refusal(t, claims().withIssuedAt(now).withExpiresAt(now.plus(Duration.ofDays(366))).sign(good)))
                .as("the documented maximum itself").isNull();
    }

    @Test
    void refusesAlgNone() {
        Tokens t = tokens(SECRET, null);
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = b64("{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + URL + "\",\"sub\":\"alice\",\"jti\":\"1\",\"iat\":"
                + Instant.now().getEpochSecond() + ",\"exp\":" + (Instant.now().getEpochSecond() + 600)
                + ",\"scope\":\"proxmox:admin\"}");
        assertThat(refusal(t, header + "." + payload + ".")).contains("algorithm none is not accepted");
        assertThat(refusal(t, header + "." + payload)).isNotNull();
    }

    @Test
    void refusesAnAlgorithmSwitchFromRs256ToHmacWithThePublicKey() throws Exception {
        Tokens t = tokens(null, "RS256");
        String issued = t.issueJwt("ci", null, Set.of(Scopes.READ), Duration.ofHours(1), Limits.NONE).token();
        assertThat(t.verify(issued).name()).isEqualTo("ci");
        SigningKeys.Key key = SigningKeys.load(dir.resolve("keys.json")).active().orElseThrow();
        // the classic attack: sign with HS256, using the RSA public key's bytes as the HMAC secret
        String forged = claims().withKeyId(key.kid()).withClaim("scope", "proxmox:admin")
                .sign(Algorithm.HMAC256(key.publicKey().getEncoded()));
        assertThat(refusal(t, forged)).contains("algorithm HS256 is not accepted", "signs with RS256 only");
        // and a token signed with another RSA key under the same kid
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        var other = g.generateKeyPair();
        String wrongKey = claims().withKeyId(key.kid()).sign(Algorithm.RSA256((RSAPublicKey) other.getPublic(),
                (RSAPrivateKey) other.getPrivate()));
        assertThat(refusal(t, wrongKey)).contains("signature does not verify");
    }

    @Test
    void issuesEs256TokensWithLimitsThatVerify() throws Exception {
        Tokens t = tokens(null, "ES256");
        Limits limits = io.pvemcp.security.LimitsFormat.parse("pve1", "100-199", "dev");
        String token = t.issueJwt("ops", "bob", Set.of(Scopes.POWER, Scopes.READ), Duration.ofDays(7), limits).token();
        assertThat(JWT.decode(token).getAlgorithm()).isEqualTo("ES256");
        Tokens.Verified v = t.verify(token);
        assertThat(v.subject()).isEqualTo("bob");
        assertThat(v.limits()).isEqualTo(limits);
        assertThat(v.scopes()).containsExactlyInAnyOrder(Scopes.POWER, Scopes.READ);
    }

    @Test
    void aTokensConfirmationPolicyTravelsWithIt() throws Exception {
        Tokens t = tokens(null, null);
        Limits none = Limits.NONE.withConfirm(java.util.EnumSet.noneOf(io.pvemcp.api.Risk.class));
        Tokens.Verified automation = t.verify(t.issueJwt("ci", null, Set.of(Scopes.ADMIN), Duration.ofHours(1), none)
                .token());
        assertThat(automation.limits().confirm()).isEmpty();
        assertThat(automation.limits().describe()).isEqualTo("confirms nothing");
        Limits careful = io.pvemcp.security.LimitsFormat.parse("pve1", null, null).withConfirm(java.util.EnumSet.of(io.pvemcp.api.Risk.POWER,
                io.pvemcp.api.Risk.DESTROY));
        Tokens.Issued key = t.issueApiKey("intern", Set.of(Scopes.POWER), null, careful);
        Tokens.Verified intern = tokens(null, null).verify(key.token());
        assertThat(intern.limits().confirm()).containsExactly(io.pvemcp.api.Risk.POWER, io.pvemcp.api.Risk.DESTROY);
        assertThat(intern.limits().allowsNode("pve2")).isFalse();
        Tokens.Verified plain = t.verify(t.issueJwt("plain", null, Set.of(Scopes.READ), Duration.ofHours(1),
                Limits.NONE).token());
        assertThat(plain.limits().confirm()).as("the operator's default").isNull();
    }

    @Test
    void revocationIsPersistedAndSeenByAnotherInstance() throws Exception {
        Tokens server = tokens(null, null);
        String token = server.issueJwt("laptop", null, Set.of(Scopes.READ), Duration.ofHours(1), Limits.NONE).token();
        assertThat(refusal(server, token)).isNull();
        Tokens cli = tokens(null, null);
        cli.revoke("laptop");
        assertThat(refusal(server, token)).contains("was revoked");
        assertThat(refusal(tokens(null, null), token)).contains("was revoked");
        assertThat(server.list()).singleElement().satisfies(r -> assertThat(r.state(Instant.now())).isEqualTo("revoked"));
    }

    @Test
    void foreignTokensCanBeRevokedByJti() throws Exception {
        Tokens t = tokens(SECRET, null);
        String jti = UUID.randomUUID().toString();
        String token = claims().withJWTId(jti).sign(Algorithm.HMAC256(SECRET));
        assertThat(refusal(t, token)).isNull();
        t.revokeJti(jti, null);
        assertThat(refusal(t, token)).contains("was revoked");
    }

    @Test
    void apiKeysAreStoredOnlyAsHashesAndCanBeRevoked() throws Exception {
        Tokens t = tokens(null, null);
        String key = t.issueApiKey("backup-job", Set.of(Scopes.READ), null, Limits.NONE).token();
        assertThat(key).startsWith("pvemcp_");
        String file = Files.readString(dir.resolve("tokens.json"));
        // pvemcp_<id>_<secret>: the secret is everything after the id, and may itself hold '_' (base64url)
        String secret = key.substring(key.indexOf('_', "pvemcp_".length()) + 1);
        assertThat(secret).hasSizeGreaterThan(20);
        assertThat(file).doesNotContain(key).doesNotContain(secret);
        assertThat(t.verify(key).kind()).isEqualTo(TokenRecord.API_KEY);
        assertThat(refusal(t, key.substring(0, key.length() - 2) + "xx")).contains("unknown API key");
        t.revoke("backup-job");
        assertThat(refusal(t, key)).contains("revoked");
    }

    @Test
    void rotationKeepsOldTokensValidUntilTheyExpire() throws Exception {
        Instant start = Instant.parse("2026-11-24T10:00:00Z");
        Clock clock = Clock.fixed(start, ZoneOffset.UTC);
        Tokens t = new Tokens(dir, new Tokens.Settings(ISSUER, List.of(URL), null, null, "HS256", Duration.ZERO), clock);
        String old = t.issueJwt("old", null, Set.of(Scopes.READ), Duration.ofHours(2), Limits.NONE).token();
        String oldKid = JWT.decode(old).getKeyId();
        t.rotateKey("ES256");
        String fresh = t.issueJwt("new", null, Set.of(Scopes.READ), Duration.ofHours(2), Limits.NONE).token();
        assertThat(JWT.decode(fresh).getKeyId()).isNotEqualTo(oldKid);
        assertThat(JWT.decode(fresh).getAlgorithm()).isEqualTo("ES256");
        SigningKeys keys = SigningKeys.load(dir.resolve("keys.json"));
        assertThat(keys.byKid(oldKid)).hasValueSatisfying(k -> {
            assertThat(k.retired()).isEqualTo(start);
            assertThat(k.verifyUntil()).isEqualTo(start.plus(Duration.ofHours(2)));
        });
        Tokens later = new Tokens(dir, new Tokens.Settings(ISSUER, List.of(URL), null, null, "HS256", Duration.ZERO),
                Clock.fixed(start.plus(Duration.ofHours(3)), ZoneOffset.UTC));
        later.rotateKey(null);
        assertThat(SigningKeys.load(dir.resolve("keys.json")).byKid(oldKid)).as("dropped once its tokens expired").isEmpty();
    }

    @Test
    void secretFilesAreOwnerOnly() throws Exception {
        Tokens t = tokens(null, null);
        t.issueJwt("x", null, Set.of(Scopes.READ), Duration.ofHours(1), Limits.NONE);
        assertThat(SecureFiles.readableByOthers(dir.resolve("keys.json"))).isFalse();
        assertThat(SecureFiles.readableByOthers(dir.resolve("tokens.json"))).isFalse();
        assertThat(Files.getPosixFilePermissions(dir)).hasSize(3);
        assertThat(new ObjectMapper().readTree(dir.resolve("tokens.json").toFile()).toString()).doesNotContain("eyJ");
    }

    @Test
    void badInputIsExplained() {
        Tokens t = tokens(null, null);
        assertThatThrownBy(() -> t.issueJwt("x", null, Set.of("proxmox:everything"), Duration.ofHours(1), Limits.NONE))
                .hasMessageContaining("Unknown scope 'proxmox:everything'").hasMessageContaining("proxmox:read");
        assertThatThrownBy(() -> t.issueJwt("x", null, Set.of(Scopes.READ), Duration.ofDays(400), Limits.NONE))
                .hasMessageContaining("366 days");
        assertThatThrownBy(() -> t.issueJwt("bad name!", null, Set.of(Scopes.READ), Duration.ofHours(1), Limits.NONE))
                .hasMessageContaining("name");
        assertThatThrownBy(() -> tokens("short", null)).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> t.revoke("nobody")).hasMessageContaining("No credential");
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
