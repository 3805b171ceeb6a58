package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The assembled distribution, started as a process in demo mode, driven by independent MCP clients: the
 * official conformance suite, a client on the official TypeScript SDK, and raw HTTP.
 */
class DemoServerIT {

    static final Path E2E = Path.of(System.getProperty("pvemcp.e2e", "src/test/e2e"));
    static final Path OUT = ServerProcess.OUT;
    static final String INIT = ServerProcess.INIT;

    @TempDir
    static Path data;
    static ServerProcess server;
    static int port;
    static String url;
    static final HttpClient HTTP = ServerProcess.HTTP;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start("demo-server", List.of("--demo", "--shell", "--sim-port",
                Integer.toString(ServerProcess.freePort()), "--data", data.toString()), Map.of());
        port = server.port();
        url = server.url();
        String figure = "First MCP initialize answered " + server.startupMillis() + " ms after the process started";
        System.out.println(figure);
        Files.writeString(OUT.resolve("startup.txt"), figure + "\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            assertThat(server.stop()).as("the server stops on SIGTERM").isTrue();
        }
    }

    @Test
    void printsTheEndpointAndClientConfiguration() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!banner().contains("Press Ctrl+C") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(server.token()).as("demo mode prints a ready token").isNotBlank();
        assertThat(banner()).contains("(demo mode)", "MCP endpoint   " + url, "claude mcp add --transport http proxmox " + url
                + " --header \"Authorization: Bearer " + server.token() + "\"", "\"mcpServers\": {\"proxmox\": {\"url\": \""
                + url + "\", \"headers\": {\"Authorization\": \"Bearer " + server.token() + "\"}}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"server-initialize", "ping", "logging-set-level", "tools-list", "server-sse-multiple-streams",
        "dns-rebinding-protection", "resources-list", "prompts-list"})
    void passesTheOfficialConformanceScenario(String scenario) throws Exception {
        Result r = node(List.of("node_modules/@modelcontextprotocol/conformance/dist/index.js", "server", "--url", url,
                "--scenario", scenario, "-o", OUT.resolve("conformance").toAbsolutePath().toString()),
                Map.of("MCP_TOKEN", server.token()), "--import", "./bearer.mjs");
        assertThat(r.exit()).as("conformance scenario %s:%n%s", scenario, r.output()).isZero();
        assertThat(r.output()).contains("0 failed");
    }

    @Test
    void servesTheTypeScriptSdkClient() throws Exception {
        Result r = node(List.of("sdk-client.mjs"), Map.of("MCP_URL", url, "MCP_TOKEN", server.token()));
        Files.writeString(OUT.resolve("sdk-client.json"), r.output());
        assertThat(r.exit()).as("TypeScript SDK client:%n%s", r.output()).isZero();
        assertThat(r.output()).contains("\"failed\": 0");
    }

    @Test
    void stoppingTheSystemToolsInTheFelixShellUpdatesAConnectedClient() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(E2E.resolve("node_modules/.bin/node").toAbsolutePath().toString(),
                "watch-tools.mjs").directory(E2E.toFile()).redirectErrorStream(true);
        pb.environment().put("MCP_URL", url);
        pb.environment().put("MCP_TOKEN", server.token());
        pb.environment().put("EXPECT", "2");
        Process watcher = pb.start();
        StringBuilder events = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                byte[] buf = new byte[1024];
                int n;
                while ((n = watcher.getInputStream().read(buf)) > 0) {
                    synchronized (events) {
                        events.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException e) {
                // the watcher ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            waitFor("the watcher connects", () -> text(events).contains("\"event\":\"connected\""));
            assertThat(text(events)).contains("proxmox_system_version");
            shell("lb -s");
            Pattern line = Pattern.compile("(\\d+)\\|Active\\s*\\|\\s*\\d+\\|io\\.pvemcp\\.tools\\.system ");
            waitFor("the shell lists the bundles", () -> line.matcher(banner()).find());
            Matcher m = line.matcher(banner());
            assertThat(m.find()).isTrue();
            String id = m.group(1);

            shell("mcp:tools");
            Pattern listed = Pattern.compile("proxmox_test_connection\\s+on\\s+system\\s+proxmox:read\\s+read\\s+io\\.pvemcp\\.tools\\.system \\["
                    + id + "\\]");
            waitFor("mcp:tools lists the system tools with their bundle", () -> listed.matcher(banner()).find());

            shell("stop " + id);
            waitFor("the client is told the system tools are gone and the others remain", () -> text(events).lines()
                    .anyMatch(l -> l.contains("\"list_changed\"") && !l.contains("proxmox_system_version")
                            && l.contains("proxmox_vm_list")));
            shell("start " + id);
            assertThat(watcher.waitFor(60, TimeUnit.SECONDS)).as("watcher output: %s", text(events)).isTrue();
            assertThat(watcher.exitValue()).as("watcher output: %s", text(events)).isZero();
            String[] lines = text(events).strip().split("\n");
            assertThat(lines[lines.length - 1]).contains("list_changed", "proxmox_system_version", "proxmox_test_connection");
        } finally {
            watcher.destroyForcibly();
        }
    }

    @Test
    void acceptsTheEndpointWithATrailingSlash() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/"))
                .header("Authorization", server.bearer()).header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(INIT)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Mcp-Session-Id")).isPresent();
    }

    @Test
    void refusesForeignOriginsAndHostsAndUnknownVersions() throws Exception {
        assertThat(post(Map.of("Origin", "http://evil.example.com"), INIT).statusCode()).isEqualTo(403);
        assertThat(post(Map.of("Origin", "http://localhost:" + port), INIT).statusCode()).isEqualTo(200);
        assertThat(post(Map.of("MCP-Protocol-Version", "1999-01-01"), INIT).statusCode()).isEqualTo(400);
        assertThat(post(Map.of("Mcp-Session-Id", "no-such-session"),
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void answersMalformedJsonWithACleanError() throws Exception {
        HttpResponse<String> r = post(Map.of(), "{not json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("-32700").doesNotContain("Exception").doesNotContain("at io.")
                .doesNotContain("at com.");
    }

    @Test
    void flushesTheHeadersOfTheEventStreamAtOnce() throws Exception {
        HttpResponse<String> init = post(Map.of(), INIT);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpResponse<InputStream> stream = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream").header("Mcp-Session-Id", session)
                .header("Authorization", server.bearer()).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));
        stream.body().close();
    }

    @Test
    void answersListsAndQuickCallsInOneJsonBodyAndCallsThatReportProgressOnAnEventStream() throws Exception {
        HttpResponse<String> init = post(Map.of(), INIT);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        Map<String, String> headers = Map.of("Mcp-Session-Id", session);
        post(headers, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

        HttpResponse<String> list = post(headers, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode tools = new ObjectMapper().readTree(list.body()).path("result").path("tools");
        assertThat(tools.size()).isGreaterThan(10);

        HttpResponse<String> call = post(headers, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"proxmox_system_version\",\"arguments\":{}}}");
        assertThat(call.statusCode()).isEqualTo(200);
        // nothing to report before the answer: one JSON body, the cheapest answer for both ends
        assertThat(call.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        assertThat(new ObjectMapper().readTree(call.body()).path("id").asInt()).isEqualTo(3);
        assertThat(call.body()).contains("9.1");

        HttpResponse<String> withProgress = post(headers, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"proxmox_test_connection\",\"arguments\":{},\"_meta\":{\"progressToken\":\"p4\"}}}");
        assertThat(withProgress.statusCode()).isEqualTo(200);
        assertThat(withProgress.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));
        String events = withProgress.body();
        assertThat(events).contains("data: ", "notifications/progress", "\"p4\"", "\"id\":4");
        assertThat(events.indexOf("notifications/progress")).as("progress before the answer")
                .isLessThan(events.indexOf("\"id\":4"));
    }

    @Test
    void reportsHealthAndReadiness() throws Exception {
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"ready\"", "\"version\":\"9.1.1\"");
    }

    @Test
    void keepsSecretsOutOfTheLog() throws Exception {
        String log = server.log();
        assertThat(log).isNotEmpty().doesNotContainPattern("token\\.secret\\s*=\\s*\\S")
                .doesNotContainPattern("PVEAPIToken=\\S+=").doesNotContain(server.token());
    }

    @Test
    void passesTheSharedMcpCheckWithAuthenticationOn() throws Exception {
        Path check = Path.of("../../shared/mcp-check/check.sh").toAbsolutePath().normalize();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(check), "../shared/mcp-check is beside the project");
        Process p = new ProcessBuilder("bash", check.toString(), url, server.token()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        Files.writeString(OUT.resolve("mcp-check.txt"), out);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("PASS auth-401-without-token", "mcp-check: all passed");
    }

    // ---- helpers

    static HttpResponse<String> post(Map<String, String> headers, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!headers.containsKey("Authorization")) {
            b.header("Authorization", server.bearer());
        }
        headers.forEach((k, v) -> {
            if (v != null) {
                b.header(k, v);
            }
        });
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    record Result(int exit, String output) {
    }

    static Result node(List<String> args, Map<String, String> env, String... nodeOptions) throws Exception {
        Path node = E2E.resolve("node_modules/.bin/node");
        assertThat(node).as("Node 22 from npm (run 'npm ci' in %s; mvn verify does)", E2E).exists();
        List<String> cmd = new ArrayList<>();
        cmd.add(node.toAbsolutePath().toString());
        cmd.addAll(List.of(nodeOptions));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(E2E.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Result(-1, output + "\n(timed out)");
        }
        return new Result(p.exitValue(), output);
    }

    static void shell(String command) throws IOException {
        server.type(command);
    }

    static String text(StringBuilder sb) {
        synchronized (sb) {
            return sb.toString();
        }
    }

    static void waitFor(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    static String banner() {
        return server.stdout();
    }


}
