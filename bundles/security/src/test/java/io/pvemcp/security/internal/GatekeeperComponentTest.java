package io.pvemcp.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.pvemcp.api.Caller;
import io.pvemcp.api.Limits;
import io.pvemcp.api.Scopes;
import io.pvemcp.security.Admission;
import io.pvemcp.security.AuditEvent;
import io.pvemcp.security.AuditLog;
import io.pvemcp.security.store.Tokens;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatekeeperComponentTest {

    @TempDir
    Path dir;
    final AtomicLong nanos = new AtomicLong();

    SecurityConfig config(boolean enabled, int perMinute, int burst) {
        return config(dir, enabled, perMinute, burst, "", new String[0]);
    }

    /** A configuration for tests: the folder, the rates, and an OpenID Connect issuer with group mappings (or ""). */
    static SecurityConfig config(Path dir, boolean enabled, int perMinute, int burst, String oidcIssuer,
            String[] groupScopes) {
        return new SecurityConfig() {
            public Class<? extends Annotation> annotationType() { return SecurityConfig.class; }
            public boolean enabled() { return enabled; }
            public String data_dir() { return dir.toString(); }
            public String resource() { return "http://127.0.0.1:8000/mcp"; }
            public String issuer() { return ""; }
            public String[] audiences() { return new String[0]; }
            public String[] authorization_servers() { return new String[0]; }
            public String secret_key() { return ""; }
            public String secret_key_previous() { return ""; }
            public String algorithm() { return "HS256"; }
            public int clock_skew_s() { return 30; }
            public int rate_per_minute() { return perMinute; }
            public int rate_burst() { return burst; }
            public int messages_per_minute() { return perMinute * 10; }
            public int messages_burst() { return burst * 10; }
            public int failures_per_minute() { return 3; }
            public String oidc_issuer() { return oidcIssuer; }
            public String[] oidc_audiences() { return new String[0]; }
            public String oidc_jwks_uri() { return ""; }
            public String oidc_scope_claim() { return "scope"; }
            public String oidc_groups_claim() { return "groups"; }
            public String[] oidc_group_scopes() { return groupScopes; }
            public String oidc_subject_claim() { return "sub"; }
        };
    }

    String issue(Set<String> scopes) throws Exception {
        return issue(dir, scopes);
    }

    /** @return a JWT of the server's own, issued in that folder */
    static String issue(Path dir, Set<String> scopes) throws Exception {
        Tokens t = new Tokens(dir, new Tokens.Settings("http://127.0.0.1:8000", List.of("http://127.0.0.1:8000/mcp"), null,
                null, "HS256", Duration.ofSeconds(30)));
        return t.issueJwt("t" + System.nanoTime(), null, scopes, Duration.ofHours(1), Limits.NONE).token();
    }

    @Test
    void answersWithTheChallengesOfTheMcpAuthorizationSpec() throws Exception {
        GatekeeperComponent g = new GatekeeperComponent(config(true, 60, 10), nanos::get);
        Admission none = g.admit(null, "10.0.0.1", false);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.challenge()).isEqualTo("Bearer resource_metadata=\"http://127.0.0.1:8000/.well-known/"
                + "oauth-protected-resource/mcp\", scope=\"proxmox:read\"");
        Admission bad = g.admit("Bearer nonsense", "10.0.0.1", false);
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.challenge()).contains("error=\"invalid_token\"", "error_description=\"malformed token");
        assertThat(g.admit("Basic dXNlcjpwdw==", "10.0.0.1", false).status()).isEqualTo(401);
        Admission noScope = g.admit("Bearer " + issueWithForeignScope(), "10.0.0.2", false);
        assertThat(noScope.status()).isEqualTo(403);
        assertThat(noScope.challenge()).contains("error=\"insufficient_scope\"", "scope=\"proxmox:read\"");
        Admission ok = g.admit("Bearer " + issue(Set.of(Scopes.POWER)), "10.0.0.2", false);
        assertThat(ok.admitted()).isTrue();
        assertThat(ok.caller().scopes()).containsExactly(Scopes.POWER);
        assertThat(g.resourceMetadata()).containsEntry("resource", "http://127.0.0.1:8000/mcp")
                .containsEntry("authorization_servers", List.of("http://127.0.0.1:8000"));
    }

    private String issueWithForeignScope() throws Exception {
        // a valid signature and claims, but only a scope of some other API
        String token = issue(Set.of(Scopes.READ));
        var keys = io.pvemcp.security.store.SigningKeys.load(dir.resolve("keys.json"));
        var decoded = com.auth0.jwt.JWT.decode(token);
        return com.auth0.jwt.JWT.create().withKeyId(decoded.getKeyId()).withIssuer(decoded.getIssuer())
                .withAudience(decoded.getAudience().get(0)).withSubject("x").withJWTId("foreign-" + System.nanoTime())
                .withIssuedAt(decoded.getIssuedAtAsInstant()).withExpiresAt(decoded.getExpiresAtAsInstant())
                .withClaim("scope", "openid profile")
                .sign(com.auth0.jwt.algorithms.Algorithm.HMAC256(keys.active().orElseThrow().secret()));
    }

    @Test
    void limitsTheToolCallsPerTokenWithARetryTimeAndAuditsTheRefusal() throws Exception {
        GatekeeperComponent g = new GatekeeperComponent(config(true, 60, 2), nanos::get);
        List<AuditEvent> audited = new ArrayList<>();
        g.audit = auditTo(audited);
        Caller a = g.admit("Bearer " + issue(Set.of(Scopes.READ)), "h", false).caller();
        Caller b = g.admit("Bearer " + issue(Set.of(Scopes.READ)), "h", false).caller();
        assertThat(g.chargeCall(a, "proxmox_vm_list", Map.of())).isNull();
        assertThat(g.chargeCall(a, "proxmox_vm_list", Map.of())).isNull();
        Admission limited = g.chargeCall(a, "proxmox_vm_list", Map.of("limit", 5));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.retryAfterSeconds()).isEqualTo(1);
        assertThat(limited.description()).contains("too many tool calls");
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo("rate-limited");
            assertThat(e.target()).isEqualTo("proxmox_vm_list");
            assertThat(e.arguments()).containsEntry("limit", 5);
        });
        assertThat(g.chargeCall(b, "proxmox_vm_list", Map.of())).as("another token has its own bucket").isNull();
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(g.chargeCall(a, "proxmox_vm_list", Map.of())).isNull();
    }

    @Test
    void protocolMessagesHaveAMuchHigherAllowanceThanToolCalls() throws Exception {
        GatekeeperComponent g = new GatekeeperComponent(config(true, 60, 2), nanos::get);
        String a = "Bearer " + issue(Set.of(Scopes.READ));
        for (int i = 0; i < 20; i++) {
            assertThat(g.admit(a, "h", false).admitted()).as("message " + i).isTrue();
        }
        Admission limited = g.admit(a, "h", false);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.description()).contains("too many requests");
    }

    @Test
    void slowsDownFailuresOnlyAndAlwaysAdmitsAValidTokenFromTheSameAddress() throws Exception {
        GatekeeperComponent g = new GatekeeperComponent(config(true, 60, 10), nanos::get);
        String valid = "Bearer " + issue(Set.of(Scopes.READ));
        for (int i = 0; i < 3; i++) {
            assertThat(g.admit("Bearer wrong", "10.9.9.9", false).status()).isEqualTo(401);
        }
        Admission blocked = g.admit("Bearer wrong", "10.9.9.9", false);
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.retryAfterSeconds()).isPositive();
        assertThat(g.admit("Token x", "10.9.9.9", false).status()).as("a malformed header is a failure too")
                .isEqualTo(429);
        for (int i = 0; i < 50; i++) {
            assertThat(g.admit(valid, "10.9.9.9", false).admitted()).as("valid token, request " + i).isTrue();
            assertThat(g.admit("Bearer wrong", "10.9.9.9", false).status()).isEqualTo(429);
        }
        assertThat(g.admit("Bearer wrong", "10.9.9.8", false).status()).isEqualTo(401);
        assertThat(g.admit(null, "10.9.9.9", false).status()).as("no credential at all is the discovery step")
                .isEqualTo(401);
    }

    @Test
    void tellsWhenTheCredentialsOfAnAdmittedCallerAreRevoked() throws Exception {
        GatekeeperComponent g = new GatekeeperComponent(config(true, 60, 10), nanos::get);
        Tokens t = new Tokens(dir, new Tokens.Settings("http://127.0.0.1:8000", List.of("http://127.0.0.1:8000/mcp"),
                null, null, "HS256", Duration.ofSeconds(30)));
        Tokens.Issued issued = t.issueJwt("doomed", null, Set.of(Scopes.READ), Duration.ofHours(1), Limits.NONE);
        Caller c = g.admit("Bearer " + issued.token(), "h", false).caller();
        assertThat(g.invalidated(c)).isNull();
        t.revoke("doomed");
        assertThat(g.invalidated(c)).isEqualTo("it was revoked");
    }

    static AuditLog auditTo(List<AuditEvent> events) {
        return new AuditLog() {
            public void record(AuditEvent event) { events.add(event); }
            public String failure() { return null; }
            public List<Map<String, Object>> latest(int count) { return List.of(); }
        };
    }

    @Test
    void withoutAuthenticationOnlyLoopbackIsServed() {
        GatekeeperComponent g = new GatekeeperComponent(config(false, 60, 10), nanos::get);
        assertThat(g.admit(null, "127.0.0.1", true).caller().scopes()).containsAll(Scopes.ALL);
        assertThat(g.admit(null, "192.168.1.5", false).status()).isEqualTo(403);
    }
}
