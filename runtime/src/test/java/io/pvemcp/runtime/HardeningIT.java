package io.pvemcp.runtime;

import static io.pvemcp.runtime.ServerProcess.cli;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.pvemcp.runtime.ServerProcess.Cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile or careless client tried, and what the server must hold against it: side effects beyond a
 * token's scopes, lock-outs through someone else's bad tokens, limits that resources and tasks forgot, malformed
 * input, oversized bodies, revoked tokens that keep their sessions, a full session table, forged log lines, gaps
 * in the audit trail and false alarms of {@code audit verify}. Each test fails on the code before the fix.
 */
class HardeningIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = ServerProcess.HTTP;

    @TempDir
    static Path data;
    static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start("hardening-server", List.of("--demo", "--sim-port", Integer.toString(
                ServerProcess.freePort()), "--data", data.toString()), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            assertThat(server.stop()).isTrue();
        }
    }

    // ---- helpers

    static String token(String name, String scopes, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("token", "create", "--data", data.toString(), "--url", server.url(),
                "--name", name, "--scopes", scopes, "--ttl", "1h", "--json"));
        args.addAll(List.of(more));
        Cli c = cli(args.toArray(String[]::new));
        assertThat(c.exit()).as(c.out()).isZero();
        return JSON.readTree(c.out()).path("token").asText();
    }

    static HttpRequest.Builder request(String token, String session) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url())).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        return b;
    }

    static HttpResponse<String> post(String token, String session, String body) throws Exception {
        return HTTP.send(request(token, session).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String initialize(String token, String clientName) throws Exception {
        HttpResponse<String> r = post(token, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":" + JSON.writeValueAsString(
                        Map.of("name", clientName, "version", "1")) + "}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String session = r.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(post(token, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").statusCode())
                .isEqualTo(202);
        return session;
    }

    static int ping(String token, String session) throws Exception {
        return post(token, session, "{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"method\":\"ping\"}").statusCode();
    }

    /** Calls a tool and returns the JSON-RPC answer, from a plain JSON body or the last event of a stream. */
    static JsonNode call(String token, String session, String tool, Map<String, Object> arguments) throws Exception {
        String body = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", System.nanoTime(), "method", "tools/call",
                "params", Map.of("name", tool, "arguments", arguments)));
        HttpResponse<String> r = post(token, session, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String json = r.body();
        if (r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            String last = null;
            for (String line : r.body().split("\n")) {
                if (line.startsWith("data: ")) {
                    last = line.substring(6);
                }
            }
            json = last;
        }
        return JSON.readTree(json);
    }

    static String text(JsonNode answer) {
        return answer.at("/result/content/0/text").asText(answer.toString());
    }

    static boolean isError(JsonNode answer) {
        return answer.has("error") || answer.at("/result/isError").asBoolean(false);
    }

    // ---- tests

    @Test
    void aWriteTokenCannotStartOrStopGuestsThroughTheToolsThatCreateAndDelete() throws Exception {
        String writer = token("hard-writer", "proxmox:read,proxmox:write,proxmox:destroy");
        String session = initialize(writer, "hardening");
        JsonNode created = call(writer, session, "proxmox_vm_create", Map.of("name", "sneaky-start", "start", true));
        assertThat(isError(created)).isTrue();
        assertThat(text(created)).contains("also needs the scope proxmox:power", "Nothing was done");
        JsonNode list = call(writer, session, "proxmox_vm_list", Map.of("name", "sneaky-start"));
        assertThat(list.at("/result/structuredContent/total").asInt(-1)).as("no VM was created").isZero();

        JsonNode running = call(writer, session, "proxmox_vm_list", Map.of("status", "running", "limit", 50));
        int vmid = -1;
        for (JsonNode vm : running.at("/result/structuredContent/vms")) {
            vmid = vm.path("vmid").asInt();
        }
        assertThat(vmid).as("the demo cluster runs VMs").isPositive();
        JsonNode deleted = call(writer, session, "proxmox_vm_delete", Map.of("vmid", vmid, "stop_first", true));
        assertThat(isError(deleted)).isTrue();
        assertThat(text(deleted)).contains("also needs the scope proxmox:power");
        JsonNode still = call(writer, session, "proxmox_vm_get_info", Map.of("vmid", vmid));
        assertThat(still.at("/result/structuredContent/status").asText()).as(still.toString()).isEqualTo("running");
    }

    @Test
    void anAddressFullOfInvalidTokensNeverLocksOutAValidOne() throws Exception {
        String valid = token("hard-valid", "proxmox:read");
        String session = initialize(valid, "hardening");
        int limited = 0;
        for (int i = 0; i < 45; i++) {
            int status = post("not-a-token-" + i, null, ServerProcess.INIT).statusCode();
            assertThat(status).isIn(401, 429);
            limited += status == 429 ? 1 : 0;
        }
        assertThat(limited).as("failures beyond 30 a minute are slowed down").isPositive();
        for (int i = 0; i < 40; i++) {
            assertThat(ping(valid, session)).as("valid request %d from the same address", i).isEqualTo(200);
        }
        assertThat(post("still-wrong", null, ServerProcess.INIT).statusCode()).isEqualTo(429);
    }

    @Test
    void resourcesAndTasksStayWithinATokensLimits() throws Exception {
        String pve1 = token("hard-pve1", "proxmox:read", "--nodes", "pve1");
        String session = initialize(pve1, "hardening");
        HttpResponse<String> read = post(pve1, session, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"resources/read\","
                + "\"params\":{\"uri\":\"proxmox://cluster/overview\"}}");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains("pve1").doesNotContain("pve2", "pve3");

        String admin = server.token();
        String adminSession = initialize(admin, "hardening-admin");
        JsonNode production = call(admin, adminSession, "proxmox_vm_list", Map.of("pool", "production", "status",
                "running"));
        int outside = production.at("/result/structuredContent/vms/0/vmid").asInt(-1);
        assertThat(outside).isPositive();
        JsonNode rebooted = call(admin, adminSession, "proxmox_vm_reboot", Map.of("vmid", outside));
        String upid = rebooted.at("/result/structuredContent/task/upid").asText(null);
        assertThat(upid).as(rebooted.toString()).startsWith("UPID:");
        String dev = token("hard-dev", "proxmox:read", "--pools", "dev");
        String devSession = initialize(dev, "hardening");
        JsonNode log = call(dev, devSession, "proxmox_task_status", Map.of("upid", upid));
        assertThat(isError(log)).isTrue();
        assertThat(text(log)).contains("limited to pools dev", "guest " + outside);
    }

    @Test
    void malformedInputGetsAJsonRpcErrorAndTheSessionLivesOn() throws Exception {
        String t = token("hard-fuzzy", "proxmox:read");
        String session = initialize(t, "hardening");
        for (String body : List.of("null", "[]", "[1,2]", "\"text\"", "42", "{}", "{\"jsonrpc\":\"2.0\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":[1]}", "{\"id\":1,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":5}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":\"x\"}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"",
                "\u0000\u0001")) {
            HttpResponse<String> r = post(t, session, body);
            assertThat(r.statusCode()).as(body).isIn(200, 202, 400);
            if (r.statusCode() == 400) {
                JsonNode error = JSON.readTree(r.body()).path("error");
                assertThat(error.path("code").asInt()).as(body).isIn(-32700, -32600, -32602);
                assertThat(error.path("message").asText()).as(body).doesNotContain("io.", "java.", "Jackson", "$");
            }
        }
        JsonNode wrongTypes = call(t, session, "proxmox_vm_list", Map.of());
        assertThat(isError(wrongTypes)).isFalse();
        for (String params : List.of("{\"name\":\"proxmox_vm_list\",\"arguments\":\"x\"}", "{\"name\":[1]}",
                "{\"name\":\"proxmox_vm_list\",\"_meta\":5}")) {
            HttpResponse<String> r = post(t, session, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":"
                    + params + "}");
            assertThat(r.body()).as(params).contains("-32602").doesNotContain("io.modelcontextprotocol", "McpSchema",
                    "Cannot deserialize", "[Source");
        }
        assertThat(ping(t, session)).isEqualTo(200);
        HttpResponse<String> twice = HTTP.send(request(t, session).header("Authorization", "Bearer " + t)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(twice.statusCode()).as("two Authorization headers are ambiguous").isEqualTo(400);
        assertThat(twice.body()).contains("more than one Authorization header");
    }

    @Test
    void anOversizedBodyIsAnswered413WhetherOrNotTheClientWaitsForContinue() throws Exception {
        String t = token("hard-big", "proxmox:read");
        String huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":\"" + "a".repeat(5 * 1024 * 1024)
                + "\"}}";
        for (int i = 0; i < 5; i++) {
            // a client that sends it all at once: the server reads and drops it, then answers, so the client reads
            // the 413 instead of a connection reset (the flake this test once had)
            HttpResponse<String> r = HTTP.send(request(t, null).POST(HttpRequest.BodyPublishers.ofString(huge)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("attempt %d", i).isEqualTo(413);
            assertThat(r.body()).contains("Request too large");
        }
        // a client that asks first (Expect: 100-continue) is answered before it sends anything; by hand, because the
        // HttpClient of Java 17 waits for ever when the answer is not 100 (JDK-8286171, fixed in Java 20)
        for (int i = 0; i < 3; i++) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nContent-Type: "
                        + "application/json\r\nAccept: application/json\r\nAuthorization: Bearer " + t + "\r\n"
                        + "Expect: 100-continue\r\nContent-Length: " + huge.length() + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                String status = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                assertThat(status).as("attempt %d", i).startsWith("HTTP/1.1 413 ");
            }
        }
    }

    @Test
    void aClientThatGoesAwayWhileSendingLeavesNoErrorInTheLog() throws Exception {
        String t = token("hard-gone", "proxmox:read");
        int before = server.log().length();
        for (String path : List.of("/mcp", "/api/v1/tools/proxmox_vm_list")) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n"
                        + "Content-Type: application/json\r\nAccept: application/json\r\nAuthorization: Bearer " + t
                        + "\r\nContent-Length: 100000\r\n\r\n{\"jsonrpc\":").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                Thread.sleep(300);
            }
        }
        Thread.sleep(500);
        assertThat(server.log().substring(before)).doesNotContain("Early EOF").doesNotContain("EofException")
                .doesNotContain(" ERROR ");
    }

    @Test
    void revokingATokenEndsItsSessionsAndStreamsAtOnce() throws Exception {
        String t = token("hard-revoked", "proxmox:read");
        String session = initialize(t, "hardening");
        CompletableFuture<HttpResponse<InputStream>> stream = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(
                server.url())).header("Accept", "text/event-stream").header("Authorization", "Bearer " + t)
                .header("Mcp-Session-Id", session).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> listening = stream.get(20, TimeUnit.SECONDS);
        assertThat(listening.statusCode()).isEqualTo(200);
        AtomicBoolean ended = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (InputStream in = listening.body()) {
                while (in.read() >= 0) {
                    // keep-alive comments and notifications until the server ends the stream
                }
            } catch (java.io.IOException e) {
                // ended too
            }
            ended.set(true);
        });
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(300);
        assertThat(ended).isFalse();
        assertThat(cli("token", "revoke", "hard-revoked", "--data", data.toString()).exit()).isZero();
        reader.join(5000);
        assertThat(ended).as("the listening stream of a revoked token ends within seconds").isTrue();
        assertThat(ping(t, session)).isEqualTo(401);
        assertThat(server.log()).contains("closed: the credentials that opened it are no longer valid (it was revoked)");
    }

    @Test
    void clientControlledTextCannotForgeLogLines() throws Exception {
        String t = token("hard-forger", "proxmox:read");
        initialize(t, "innocent\n2026-01-01T00:00:00.000Z [main] INFO Gatekeeper - FORGED admin signed in\r\u001b[31m");
        Thread.sleep(300);
        for (String line : server.log().split("\n")) {
            assertThat(line).as("no line starts with forged content").doesNotStartWith("2026-01-01T00:00:00.000Z")
                    .doesNotStartWith("FORGED").doesNotContain("\u001b").doesNotContain("\r");
        }
        assertThat(server.log()).contains("innocent\\n2026-01-01T00:00:00.000Z [main] INFO Gatekeeper - FORGED admin");
    }

    @Test
    void theAuditTrailRecordsUnknownToolsAndRedactsTheUsualSecretNames() throws Exception {
        String t = token("hard-audited", "proxmox:read");
        String session = initialize(t, "hardening");
        JsonNode unknown = call(t, session, "proxmox_vm_steal", Map.of("vmid", 100));
        assertThat(unknown.path("error").path("code").asInt()).isEqualTo(-32602);
        call(t, session, "proxmox_vm_list", Map.of("pwd", "hunter2-pwd", "api_key", "k-123456", "cipassword",
                "ci-secret-pw"));
        String trail = Files.readString(data.resolve("audit/audit.jsonl"));
        assertThat(trail).contains("\"target\":\"proxmox_vm_steal\"", "\"outcome\":\"unknown\"")
                .doesNotContain("hunter2-pwd", "k-123456", "ci-secret-pw").contains("\"pwd\":\"[redacted]\"");
    }

    @Test
    void auditVerifyDuringWritesRaisesNoFalseAlarm() throws Exception {
        String t = token("hard-busy", "proxmox:read");
        String session = initialize(t, "hardening");
        AtomicBoolean done = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try {
                while (!done.get()) {
                    call(t, session, "proxmox_system_version", Map.of());
                }
            } catch (Exception e) {
                // the assertions below tell
            }
        });
        writer.start();
        try {
            for (int i = 0; i < 8; i++) {
                Cli v = cli("audit", "verify", "--data", data.toString());
                assertThat(v.exit()).as("run %d: %s", i, v.out()).isZero();
                assertThat(v.out()).contains("Audit log intact");
            }
        } finally {
            done.set(true);
            writer.join(30_000);
        }
    }

    @Test
    void atTheSessionCapTheIdlestSessionMakesRoomAndAdministratorsKeepTheirPlaces() throws Exception {
        Path dir = Files.createTempDirectory("hardening-cap");
        try (ServerProcess small = ServerProcess.start("hardening-cap", List.of("--demo", "--sim-port", Integer.toString(
                ServerProcess.freePort()), "--data", dir.toString()), Map.of("MCP_MAX_SESSIONS", "6",
                        "MCP_ADMIN_RESERVED_SESSIONS", "2"))) {
            ServerProcess before = server;
            server = small;
            try {
                Cli c = cli("token", "create", "--data", dir.toString(), "--url", small.url(), "--name", "cap-reader",
                        "--scopes", "proxmox:read", "--ttl", "1h", "--json");
                String reader = JSON.readTree(c.out()).path("token").asText();
                String admin = small.token();
                List<String> sessions = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    sessions.add(initialize(reader, "cap-" + i));
                    Thread.sleep(20);
                }
                assertThat(ping(reader, sessions.get(0))).isEqualTo(200);
                String fifth = initialize(reader, "cap-4");
                assertThat(ping(reader, fifth)).isEqualTo(200);
                assertThat(ping(reader, sessions.get(1))).as("the idlest session made room").isEqualTo(404);
                assertThat(ping(reader, sessions.get(0))).as("recently used, kept").isEqualTo(200);
                String adminOne = initialize(admin, "cap-admin-1");
                String adminTwo = initialize(admin, "cap-admin-2");
                assertThat(ping(admin, adminOne)).isEqualTo(200);
                assertThat(ping(admin, adminTwo)).isEqualTo(200);
                List<String> readers = List.of(sessions.get(0), sessions.get(2), sessions.get(3), fifth);
                String sixth = initialize(reader, "cap-5");
                assertThat(ping(reader, sixth)).isEqualTo(200);
                int alive = 0;
                for (String r : readers) {
                    alive += ping(reader, r) == 200 ? 1 : 0;
                }
                assertThat(alive).as("exactly one reader session made room for the new reader").isEqualTo(3);
                assertThat(ping(admin, adminOne)).as("administrators' places are not taken").isEqualTo(200);
                assertThat(ping(admin, adminTwo)).isEqualTo(200);
                assertThat(small.log()).contains("the server reached its limit of 6 sessions");
            } finally {
                server = before;
            }
        }
    }
}
