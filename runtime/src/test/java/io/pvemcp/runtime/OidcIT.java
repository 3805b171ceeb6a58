package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single sign-on against a real OpenID Connect provider: Keycloak's distribution (from Maven Central) started with
 * the realm of {@code src/test/resources/keycloak/ops-realm.json} (users alice in lab-team, bob in ops, carol in no
 * group; a client whose tokens name the audience proxmox-mcp, one whose tokens do not, one whose tokens live 5 s).
 * Tokens are obtained from Keycloak's token endpoint and used against the server as any MCP client would.
 */
class OidcIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "oidc-it-secret-of-at-least-32-bytes-long!";

    @TempDir
    static Path dir;
    static Process keycloak;
    static String issuer;
    static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        Path kc = Path.of(System.getProperty("pvemcp.keycloak", "target/keycloak/keycloak-26.4.0"));
        assertThat(kc.resolve("bin/kc.sh")).as("Keycloak's distribution (mvn pre-integration-test unpacks it)")
                .exists();
        // the dev database of an earlier run would keep its realm: the import is skipped for a realm that exists
        Path h2 = kc.resolve("data/h2");
        if (Files.exists(h2)) {
            try (var files = Files.walk(h2)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(kc.resolve("data/import"));
        Files.copy(Path.of("src/test/resources/keycloak/ops-realm.json"), kc.resolve("data/import/ops-realm.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        int port = ServerProcess.freePort();
        ProcessBuilder pb = new ProcessBuilder("bash", kc.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host", "127.0.0.1", "--http-port", Integer.toString(port), "--import-realm")
                .redirectErrorStream(true).redirectOutput(ServerProcess.OUT.resolve("keycloak.log").toFile());
        Files.createDirectories(ServerProcess.OUT);
        pb.environment().keySet().removeIf(k -> k.startsWith("JAVA_OPTS") || k.startsWith("KC_"));
        keycloak = pb.start();
        issuer = "http://127.0.0.1:" + port + "/realms/ops";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (true) {
            try {
                if (get(issuer + "/.well-known/openid-configuration", null).statusCode() == 200) {
                    break;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            assertThat(keycloak.isAlive()).as("Keycloak runs; see target/e2e/keycloak.log").isTrue();
            assertThat(System.nanoTime()).as("Keycloak answers within 240 s").isLessThan(deadline);
            Thread.sleep(500);
        }

        Path conf = Files.createDirectories(dir.resolve("conf"));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ServerProcess.DIST.resolve("conf"), "*.cfg")) {
            for (Path p : ds) {
                Files.copy(p, conf.resolve(p.getFileName()));
            }
        }
        // no tolerance on exp, so that the test of an expired token takes seconds
        Files.writeString(conf.resolve("io.pvemcp.security.cfg"), "clock.skew.s = 0\n");
        server = ServerProcess.start("oidc", List.of("--demo", "--sim-port", Integer.toString(
                ServerProcess.freePort()), "--data", dir.resolve("data").toString()), Map.of("SECRET_KEY", SECRET,
                        "PVEMCP_CONF", conf.toString(), "MCP_OIDC_ISSUER", issuer, "MCP_OIDC_AUDIENCE", "proxmox-mcp",
                        // Keycloak hands out any of a client's optional scopes to whoever asks: groups decide
                        "MCP_OIDC_SCOPE_CLAIM", "none",
                        "MCP_OIDC_GROUPS", "ops=proxmox:admin|lab-team=proxmox:read proxmox:power;clusters=default"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (keycloak != null) {
            keycloak.destroy();
            if (!keycloak.waitFor(30, TimeUnit.SECONDS)) {
                keycloak.destroyForcibly();
            }
        }
    }

    static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return ServerProcess.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** @return an access token from Keycloak's token endpoint (resource owner password grant) */
    static String login(String client, String user) throws Exception {
        return login(client, user, "openid");
    }

    static String login(String client, String user, String scope) throws Exception {
        String form = "grant_type=password&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8) + "&client_id="
                + client + "&username=" + user + "&password=" + URLEncoder.encode(user + "-password",
                        StandardCharsets.UTF_8);
        HttpResponse<String> r = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(issuer
                + "/protocol/openid-connect/token")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    static List<String> tools(String token) throws Exception {
        McpHttpClient c = new McpHttpClient(server.url(), token);
        c.initialize();
        List<String> names = new ArrayList<>();
        c.request("tools/list", Map.of(), null).path("tools").forEach(t -> names.add(t.path("name").asText()));
        return names;
    }

    @Test
    void theMetadataNamesTheProviderAsTheAuthorizationServer() throws Exception {
        JsonNode meta = JSON.readTree(get("http://127.0.0.1:" + server.port()
                + "/.well-known/oauth-protected-resource/mcp", null).body());
        assertThat(meta.path("authorization_servers")).extracting(JsonNode::asText).containsExactly(issuer);
        // what an MCP client reads next: the provider's own metadata, with the endpoints of the flow
        JsonNode provider = JSON.readTree(get(issuer + "/.well-known/openid-configuration", null).body());
        assertThat(provider.path("authorization_endpoint").asText()).startsWith(issuer);
        assertThat(provider.path("code_challenge_methods_supported")).extracting(JsonNode::asText).contains("S256");
    }

    @Test
    void usersSignedInAtTheProviderGetTheScopesOfTheirGroups() throws Exception {
        String alice = login("mcp-cli", "alice");
        McpHttpClient c = new McpHttpClient(server.url(), alice);
        c.initialize();
        JsonNode list = c.request("tools/call", Map.of("name", "proxmox_vm_list", "arguments", Map.of()), null);
        assertThat(list.path("isError").asBoolean()).as("%s", list).isFalse();
        assertThat(list.path("structuredContent").path("vms").size()).isPositive();
        JsonNode start = c.request("tools/call", Map.of("name", "proxmox_vm_start", "arguments", Map.of("vmid", 102,
                "dry_run", true)), null);
        assertThat(start.path("isError").asBoolean()).as("lab-team may power guests: %s", start).isFalse();
        assertThat(tools(alice)).contains("proxmox_vm_start").doesNotContain("proxmox_vm_delete");

        // a client renews its token: the session it opened goes on with the next one of the same user
        HttpResponse<String> opened = post(alice);
        String session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
        String renewed = login("mcp-cli", "alice");
        assertThat(renewed).isNotEqualTo(alice);
        HttpResponse<String> next = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(server.url()))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", "2025-11-25").header("Authorization", "Bearer " + renewed)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        HttpResponse<String> stranger = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(server.url()))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", "2025-11-25").header("Authorization", "Bearer "
                        + login("mcp-cli", "bob"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stranger.statusCode()).as("another user cannot use alice's session").isEqualTo(404);

        assertThat(tools(login("mcp-cli", "bob"))).as("ops: proxmox:admin").contains("proxmox_vm_delete");
        // carol is in no group: whatever scopes she asks Keycloak for, the server grants her nothing
        String carol = login("mcp-cli", "carol", "openid proxmox:admin");
        String claimed = new String(java.util.Base64.getUrlDecoder().decode(carol.split("\\.")[1]),
                StandardCharsets.UTF_8);
        assertThat(JSON.readTree(claimed).path("scope").asText()).contains("proxmox:admin");
        HttpResponse<String> refused = post(carol);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("none of this server's scopes");
    }

    @Test
    void theTypeScriptSdksOauthClientSignsInAtTheProviderAndCallsTools() throws Exception {
        DemoServerIT.Result r = DemoServerIT.node(List.of("sdk-oauth.mjs"), Map.of("MCP_URL", server.url(),
                "OIDC_CLIENT_ID", "mcp-cli", "OIDC_USER", "alice", "OIDC_PASSWORD", "alice-password"));
        assertThat(r.exit()).as(r.output()).isZero();
        JsonNode report = JSON.readTree(r.output().substring(r.output().indexOf('{')));
        assertThat(report.path("steps").toString()).contains("the server answered 401", "PKCE S256",
                "signed in at the provider", "connected with the provider's token");
        assertThat(report.path("canStart").asBoolean()).as("lab-team: power").isTrue();
        assertThat(report.path("canDelete").asBoolean()).as("lab-team: no destroy").isFalse();
        assertThat(report.path("vms").asInt()).isPositive();
    }

    @Test
    void tokensForAnotherAudienceExpiredOnesAndForgedOnesAreRefused() throws Exception {
        HttpResponse<String> other = post(login("other-app", "alice"));
        assertThat(other.statusCode()).isEqualTo(401);
        assertThat(other.body()).contains("not meant for this server");

        String brief = login("short-lived", "alice");
        assertThat(post(brief).statusCode()).as("valid while it lives").isEqualTo(200);
        Thread.sleep(6_500); // the client's tokens live 5 s
        HttpResponse<String> expired = post(brief);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).contains("expired");

        var keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String forged = JWT.create().withKeyId("not-keycloaks").withIssuer(issuer).withAudience("proxmox-mcp")
                .withSubject("mallory").withExpiresAt(Instant.now().plusSeconds(300)).withClaim("scope",
                        "proxmox:admin").sign(Algorithm.RSA256((RSAPublicKey) keys.getPublic(),
                                (RSAPrivateKey) keys.getPrivate()));
        HttpResponse<String> unknown = post(forged);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("has no key not-keycloaks");

        assertThatThrownBy(() -> tools(forged)).isInstanceOf(java.io.IOException.class);
    }

    static HttpResponse<String> post(String token) throws Exception {
        return ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(server.url())).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(
                        ServerProcess.INIT)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
