package io.pvemcp.runtime;

import static io.pvemcp.runtime.ServerProcess.cli;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.pvemcp.runtime.ServerProcess.Cli;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication, authorization, token lifecycle, limits and audit of the assembled server, as an operator and a
 * client meet them: tokens from the command line, an MCP client holding them, crafted tokens that break each rule,
 * and the audit trail checked by the command line. Every rule has its negative case.
 */
class SecurityIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = ServerProcess.HTTP;

    @TempDir
    static Path data;
    static ServerProcess server;
    static String url;
    static final List<String> issued = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start("security-server", List.of("--demo", "--sim-port", Integer.toString(
                ServerProcess.freePort()), "--data", data.toString()), Map.of("MCP_RATE_BURST", "12",
                        "MCP_RATE_PER_MINUTE", "60"));
        url = server.url();
        issued.add(server.token());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            assertThat(server.stop()).isTrue();
            String log = server.log();
            for (String token : issued) {
                assertThat(log).as("the server log holds no token").doesNotContain(token);
            }
            assertThat(log).doesNotContain(signingSecret());
        }
    }

    // ---- helpers

    static String create(String name, String scopes, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("token", "create", "--data", data.toString(), "--url", url, "--name",
                name, "--scopes", scopes, "--ttl", "1h", "--json"));
        args.addAll(List.of(more));
        Cli c = cli(args.toArray(String[]::new));
        assertThat(c.exit()).as(c.out()).isZero();
        String token = JSON.readTree(c.out()).path("token").asText();
        issued.add(token);
        return token;
    }

    static HttpResponse<String> post(String token, String session, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static McpSyncClient connect(String token) {
        var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port()).endpoint("/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(new ObjectMapper()))
                .httpRequestCustomizer((b, m, u, body, ctx) -> b.header("Authorization", "Bearer " + token)).build();
        McpSyncClient c = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .clientInfo(new McpSchema.Implementation("security-it", "1.0")).build();
        c.initialize();
        return c;
    }

    /** The server's HS256 signing secret, read from its key file: only to craft tokens that break one rule each. */
    static String signingSecret() throws Exception {
        JsonNode keys = JSON.readTree(data.resolve("security/keys.json").toFile()).path("keys");
        return keys.get(keys.size() - 1).path("secret").asText();
    }

    static com.auth0.jwt.JWTCreator.Builder claims() throws Exception {
        JsonNode keys = JSON.readTree(data.resolve("security/keys.json").toFile()).path("keys");
        Instant now = Instant.now();
        return JWT.create().withKeyId(keys.get(keys.size() - 1).path("kid").asText()).withIssuer(
                "http://127.0.0.1:" + server.port()).withAudience(url).withSubject("crafted").withJWTId(
                UUID.randomUUID().toString()).withIssuedAt(now).withExpiresAt(now.plusSeconds(600))
                .withClaim("scope", "proxmox:read");
    }

    static Algorithm key() throws Exception {
        return Algorithm.HMAC256(Base64.getDecoder().decode(signingSecret()));
    }

    static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    // ---- tests

    @Test
    void refusesRequestsWithoutAValidTokenAsAnOAuthResourceServer() throws Exception {
        HttpResponse<String> none = post(null, null, ServerProcess.INIT);
        assertThat(none.statusCode()).isEqualTo(401);
        String challenge = none.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(challenge).startsWith("Bearer resource_metadata=\"http://127.0.0.1:" + server.port()
                + "/.well-known/oauth-protected-resource/mcp\"").contains("scope=\"proxmox:read\"");
        HttpResponse<String> prm = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/.well-known/oauth-protected-resource/mcp")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(prm.statusCode()).isEqualTo(200);
        JsonNode doc = JSON.readTree(prm.body());
        assertThat(doc.path("resource").asText()).isEqualTo(url);
        assertThat(doc.path("authorization_servers")).isNotEmpty();
        assertThat(doc.path("bearer_methods_supported").toString()).isEqualTo("[\"header\"]");

        Instant now = Instant.now();
        Map<String, String> broken = new java.util.LinkedHashMap<>();
        broken.put("malformed", "definitely-not-a-token");
        broken.put("bad signature", claims().sign(Algorithm.HMAC256("some-other-secret-that-is-long-enough!!")));
        broken.put("expired", claims().withExpiresAt(now.minusSeconds(600)).withIssuedAt(now.minusSeconds(1200))
                .sign(key()));
        broken.put("not yet valid", claims().withNotBefore(now.plusSeconds(3600)).sign(key()));
        broken.put("wrong audience", claims().withAudience("http://127.0.0.1:1/mcp").sign(key()));
        broken.put("wrong issuer", claims().withIssuer("https://evil.example.com").sign(key()));
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"
                .getBytes(StandardCharsets.UTF_8));
        String valid = claims().sign(key());
        broken.put("alg none", header + "." + valid.split("\\.")[1] + ".");
        broken.put("algorithm switch", claims().sign(Algorithm.HMAC512(Base64.getDecoder().decode(signingSecret()))));
        broken.put("empty subject", claims().withSubject("").sign(key()));
        broken.put("empty jti", claims().withJWTId("").sign(key()));
        broken.put("unknown critical extension", claims().withHeader(Map.of("crit", List.of("x-unknown"), "x-unknown", 1))
                .sign(key()));
        broken.put("lifetime beyond 366 days", claims().withIssuedAt(now).withExpiresAt(now.plusSeconds(400L * 86400))
                .sign(key()));
        Map<String, String> expected = new java.util.HashMap<>(Map.of("malformed", "malformed", "bad signature",
                "signature does not verify", "expired", "expired", "not yet valid", "not valid yet", "wrong audience",
                "audience", "wrong issuer", "issuer", "alg none", "algorithm none is not accepted", "algorithm switch",
                "algorithm HS512 is not accepted"));
        expected.putAll(Map.of("empty subject", "or has it empty", "empty jti", "or has it empty",
                "unknown critical extension", "critical extensions", "lifetime beyond 366 days", "longer than 366 days"));
        for (var e : broken.entrySet()) {
            HttpResponse<String> r = post(e.getValue(), null, ServerProcess.INIT);
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).as(e.getKey())
                    .contains("error=\"invalid_token\"");
            assertThat(r.body()).as(e.getKey()).contains(expected.get(e.getKey()));
        }
        assertThat(post(valid, null, ServerProcess.INIT).statusCode()).as("the same claims, properly signed").isEqualTo(200);

        String foreignScope = claims().withClaim("scope", "openid profile").sign(key());
        HttpResponse<String> forbidden = post(foreignScope, null, ServerProcess.INIT);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.headers().firstValue("WWW-Authenticate").orElse("")).contains("error=\"insufficient_scope\"");

        HttpResponse<String> inUrl = HTTP.send(HttpRequest.newBuilder(URI.create(url + "?access_token=" + valid))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(ServerProcess.INIT)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(inUrl.statusCode()).isEqualTo(400);
        assertThat(inUrl.body()).contains("Authorization header only");
    }

    @Test
    void tokensFromTheCommandLineGrantTheirScopesAndStopWorkingWhenRevoked() throws Exception {
        String reader = create("it-reader", "proxmox:read");
        McpSyncClient client = connect(reader);
        List<String> tools = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
        assertThat(tools).contains("proxmox_vm_list", "proxmox_vm_get_info").doesNotContain("proxmox_vm_start",
                "proxmox_vm_delete", "proxmox_ct_create");
        McpSchema.CallToolResult denied = client.callTool(new McpSchema.CallToolRequest("proxmox_vm_start",
                Map.of("vmid", 101)));
        assertThat(denied.isError()).isTrue();
        assertThat(text(denied)).contains("needs the scope proxmox:power");
        assertThat(client.callTool(new McpSchema.CallToolRequest("proxmox_vm_list", Map.of())).isError()).isFalse();

        Cli list = cli("token", "list", "--data", data.toString(), "--json");
        assertThat(list.out()).contains("\"name\" : \"it-reader\"").doesNotContain(reader);
        Cli revoke = cli("token", "revoke", "it-reader", "--data", data.toString());
        assertThat(revoke.exit()).isZero();
        HttpResponse<String> after = post(reader, null, ServerProcess.INIT);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.body()).contains("was revoked");
        assertThat(cli("token", "revoke", "nobody", "--data", data.toString()).out()).contains("No credential");
        assertThat(cli("token", "create", "--data", data.toString(), "--name", "x", "--scopes", "proxmox:all").out())
                .contains("Unknown scope 'proxmox:all'");
    }

    @Test
    void limitsConfineATokenToItsGuests() throws Exception {
        String limited = create("it-limited", "proxmox:read,proxmox:power", "--vmids", "100-102");
        McpSyncClient client = connect(limited);
        McpSchema.CallToolResult list = client.callTool(new McpSchema.CallToolRequest("proxmox_vm_list",
                Map.of("limit", 100)));
        assertThat(list.isError()).isFalse();
        List<Object> vmids = new ArrayList<>();
        ((List<?>) ((Map<?, ?>) list.structuredContent()).get("vms")).forEach(v -> vmids.add(((Map<?, ?>) v).get("vmid")));
        assertThat(vmids).isNotEmpty().allSatisfy(v -> assertThat(((Number) v).intValue()).isBetween(100, 102));
        McpSchema.CallToolResult outside = client.callTool(new McpSchema.CallToolRequest("proxmox_vm_get_info",
                Map.of("vmid", 105, "node", "pve1")));
        assertThat(outside.isError()).isTrue();
        assertThat(text(outside)).contains("limited to VMIDs 100-102");
    }

    @Test
    void everyCallIsAuditedAndTamperingIsFound() throws Exception {
        String operator = create("it-operator", "proxmox:read,proxmox:power");
        McpSyncClient client = connect(operator);
        McpSchema.CallToolResult started = client.callTool(new McpSchema.CallToolRequest("proxmox_vm_start",
                Map.of("vmid", 103, "timeout", 120)));
        assertThat(text(started)).doesNotContain("needs the scope");
        client.callTool(new McpSchema.CallToolRequest("proxmox_ct_create", Map.of("node", "pve1", "template",
                "local:vztmpl/nothing.tar.zst", "password", "Sup3r-secret-pw")));

        Cli verify = cli("audit", "verify", "--data", data.toString());
        assertThat(verify.exit()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("Audit log intact");
        String trail = Files.readString(data.resolve("audit/audit.jsonl"));
        assertThat(trail).contains("\"target\":\"proxmox_vm_start\"", "\"token_name\":\"it-operator\"", "UPID:")
                .contains("\"password\":\"[redacted]\"", "\"outcome\":\"denied\"").doesNotContain("Sup3r-secret-pw");

        Path copy = Files.createDirectories(data.resolve("audit-copy"));
        List<String> lines = new ArrayList<>(Files.readAllLines(data.resolve("audit/audit.jsonl")));
        assertThat(lines.size()).isGreaterThan(2);
        lines.set(1, lines.get(1).replace("\"outcome\":\"", "\"outcome\":\"x"));
        Files.write(copy.resolve("audit.jsonl"), lines);
        Cli broken = cli("audit", "verify", "--dir", copy.toString());
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.out()).contains("line 2 (seq 2)", "was edited");
    }

    @Test
    void limitsTheRatePerTokenAndTheRequestSize() throws Exception {
        String busy = create("it-busy", "proxmox:read");
        HttpResponse<String> init = post(busy, null, ServerProcess.INIT);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> r = post(busy, session, "{\"jsonrpc\":\"2.0\",\"id\":" + (i + 2) + ",\"method\":\"ping\"}");
            assertThat(r.statusCode()).as("protocol chatter is not charged as tool calls: ping %d", i).isEqualTo(200);
        }
        HttpResponse<String> limited = null;
        for (int i = 0; i < 40 && limited == null; i++) {
            HttpResponse<String> r = post(busy, session, "{\"jsonrpc\":\"2.0\",\"id\":" + (i + 100) + ",\"method\":"
                    + "\"tools/call\",\"params\":{\"name\":\"proxmox_system_version\",\"arguments\":{}}}");
            if (r.statusCode() == 429) {
                limited = r;
            }
        }
        assertThat(limited).as("a 429 within 40 quick tool calls (burst 12)").isNotNull();
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v))
                .isPositive());
        assertThat(limited.body()).contains("Rate limit exceeded for token 'it-busy'", "too many tool calls");
        assertThat(JSON.readTree(limited.body()).path("id").isNumber()).as("the refusal answers the request's id").isTrue();
        assertThat(Files.readString(data.resolve("audit/audit.jsonl"))).contains("\"outcome\":\"rate-limited\"")
                .contains("\"token_name\":\"it-busy\"");

        String big = create("it-big", "proxmox:read");
        HttpResponse<String> huge = post(big, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":\""
                + "a".repeat(5 * 1024 * 1024) + "\"}}");
        assertThat(huge.statusCode()).isEqualTo(413);
    }

    @Test
    void servesHttpsWithHstsFromAPkcs12KeyStore() throws Exception {
        Path dir = Files.createTempDirectory("tls-it");
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "it-store-pass").redirectErrorStream(true).start();
        Assumptions.assumeTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool works");
        try (ServerProcess tls = ServerProcess.startTls("security-tls", List.of("--no-auth", "--data",
                dir.resolve("data").toString()), Map.of("MCP_TLS_KEYSTORE", store.toString(),
                        "MCP_TLS_KEYSTORE_PASSWORD", "it-store-pass"))) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (FileInputStream in = new FileInputStream(store.toFile())) {
                trust.load(in, "it-store-pass".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
            HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tls.port()
                    + "/mcp")).header("Content-Type", "application/json").header("Accept", "application/json, "
                    + "text/event-stream").POST(HttpRequest.BodyPublishers.ofString(ServerProcess.INIT)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
            assertThat(tls.stdout()).contains("https://127.0.0.1:" + tls.port() + "/mcp");

            // the command line checks an HTTPS server when told which certificate to trust
            Path pem = dir.resolve("server.pem");
            Process export = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-exportcert", "-rfc", "-alias", "server", "-keystore", store.toString(), "-storepass", "it-store-pass",
                    "-file", pem.toString()).redirectErrorStream(true).start();
            assertThat(export.waitFor(60, TimeUnit.SECONDS) && export.exitValue() == 0).isTrue();
            String url = "https://127.0.0.1:" + tls.port() + "/mcp";
            JsonNode untrusted = JSON.readTree(cli("health", "--url", url, "--json").out());
            assertThat(untrusted.at("/http/ok").asBoolean(true)).as("not trusted without the CA").isFalse();
            JsonNode trusted = JSON.readTree(cli("health", "--url", url, "--ca-file", pem.toString(), "--json").out());
            assertThat(trusted.at("/http/ok").asBoolean()).as(trusted.toString()).isTrue();
            assertThat(trusted.at("/registry/ok").asBoolean()).isTrue();
            assertThat(trusted.at("/healthy").asBoolean()).as("no Proxmox is configured here").isFalse();
        }
    }

    @Test
    void refusesToRunWithoutAuthenticationOnANetworkAddress() throws Exception {
        Cli c = cli("serve", "--no-auth", "--host", "0.0.0.0", "--port", Integer.toString(ServerProcess.freePort()),
                "--data", Files.createTempDirectory("noauth").toString());
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.out()).contains("only be switched off when the server listens on loopback");
    }
}
