package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API on the distribution in demo mode: tools listed and called with and without the right scope, errors
 * with the right status, the audit, and the OpenAPI document, checked by an independent validator from npm, which
 * follows the live registry when a plugin is deployed.
 */
class RestApiIT {

    static final String SECRET = "rest-api-it-secret-of-at-least-32-bytes!";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path deploy;
    static ServerProcess server;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        deploy = Files.createDirectories(dir.resolve("deploy"));
        server = ServerProcess.start("rest", List.of("--demo", "--sim-port", Integer.toString(ServerProcess.freePort()),
                "--data", dir.resolve("data").toString()),
                Map.of("SECRET_KEY", SECRET, "MCP_DEPLOY_DIR", deploy.toString()));
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static String token(String scope) {
        return Jwts.signed(SECRET, server.url(), scope, Duration.ofMinutes(10));
    }

    static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return ServerProcess.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return ServerProcess.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listsOnlyTheToolsTheTokensScopesAllow() throws Exception {
        HttpResponse<String> none = get("/api/v1/tools", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
        JsonNode read = JSON.readTree(get("/api/v1/tools", token("proxmox:read")).body());
        JsonNode all = JSON.readTree(get("/api/v1/tools", server.token()).body());
        List<String> readNames = names(read);
        assertThat(readNames).contains("proxmox_vm_list", "proxmox_cluster_status").doesNotContain("proxmox_vm_start",
                "proxmox_vm_delete");
        assertThat(names(all)).contains("proxmox_vm_start", "proxmox_vm_delete");
        JsonNode vmList = read.path("tools").findValue("inputSchema");
        assertThat(vmList.path("type").asText()).isEqualTo("object");
        assertThat(get("/api/v1/tools/proxmox_vm_start", token("proxmox:read")).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/tools/proxmox_vm_list", token("proxmox:read")).statusCode()).isEqualTo(200);
    }

    @Test
    void callsToolsWithTheSameChecksAsMcp() throws Exception {
        HttpResponse<String> ok = post("/api/v1/tools/proxmox_cluster_get_node_info", token("proxmox:read"),
                "{\"node\":\"pve1\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(ok.body());
        assertThat(body.path("outcome").asText()).isEqualTo("ok");
        assertThat(body.path("text").asText()).contains("pve1");
        assertThat(body.path("structuredContent").path("node").asText()).isEqualTo("pve1");
        assertThat(body.path("content").get(0).path("type").asText()).isEqualTo("text");

        HttpResponse<String> denied = post("/api/v1/tools/proxmox_vm_start", token("proxmox:read"),
                "{\"vmid\":100}");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(denied.body()).path("error").asText()).contains("needs the scope proxmox:power");

        HttpResponse<String> invalid = post("/api/v1/tools/proxmox_vm_get_info", token("proxmox:read"),
                "{\"vmid\":\"one hundred\"}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(invalid.body()).path("error").asText()).contains("vmid");
        assertThat(post("/api/v1/tools/proxmox_vm_get_info", token("proxmox:read"), "[1, 2]").statusCode())
                .isEqualTo(400);
        assertThat(post("/api/v1/tools/proxmox_vm_get_info", token("proxmox:read"), "{not json").statusCode())
                .isEqualTo(400);

        HttpResponse<String> failed = post("/api/v1/tools/proxmox_vm_get_info", token("proxmox:read"),
                "{\"vmid\":999}");
        assertThat(failed.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(failed.body()).path("error").asText()).contains("999");
        assertThat(post("/api/v1/tools/no_such_tool", token("proxmox:read"), "{}").statusCode()).isEqualTo(404);
        HttpResponse<String> wrongType = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(base
                + "/api/v1/tools/proxmox_vm_list")).header("Authorization", "Bearer " + token("proxmox:read"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrongType.statusCode()).isEqualTo(415);

        List<String> audit = Files.readAllLines(dir.resolve("data/audit/audit.jsonl"));
        assertThat(audit).anySatisfy(l -> assertThat(l).contains("\"transport\":\"rest\"",
                "proxmox_cluster_get_node_info", "\"outcome\":\"ok\""));
        assertThat(audit).anySatisfy(l -> assertThat(l).contains("\"transport\":\"rest\"", "proxmox_vm_start",
                "\"outcome\":\"denied\""));
    }

    @Test
    void prometheusScrapesTheServersFiguresWithAMetricsToken() throws Exception {
        assertThat(post("/api/v1/tools/proxmox_vm_list", token("proxmox:read"), "{}").statusCode()).isEqualTo(200);
        assertThat(post("/api/v1/tools/proxmox_vm_get_info", token("proxmox:read"), "{\"vmid\": 999}").statusCode())
                .isNotEqualTo(200);
        assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("/metrics", "not-a-token").statusCode()).isEqualTo(401);
        HttpResponse<String> denied = get("/metrics", token("proxmox:read"));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("mcp:metrics");

        HttpResponse<String> scrape = get("/metrics", token("mcp:metrics"));
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        String text = scrape.body();
        System.out.println(text.lines().filter(l -> !l.startsWith("#")).limit(40).toList());
        assertThat(text).contains("# TYPE pvemcp_tool_calls_total counter",
                "pvemcp_tool_calls_total{outcome=\"ok\",tool=\"proxmox_vm_list\"} ",
                "# TYPE pvemcp_tool_call_duration_seconds histogram",
                "pvemcp_tool_call_duration_seconds_bucket{le=\"+Inf\",tool=\"proxmox_vm_list\"} ",
                "# TYPE pvemcp_proxmox_request_duration_seconds histogram",
                "pvemcp_proxmox_requests_total{cluster=\"default\",method=\"GET\",status=\"200\"} ",
                "pvemcp_proxmox_cache_hits_total{cluster=\"default\"} ",
                "pvemcp_proxmox_cache_misses_total{cluster=\"default\"} ",
                "# TYPE pvemcp_sessions gauge", "pvemcp_rate_limited_total{kind=\"tool_calls\"} ",
                "pvemcp_invalid_credentials_total ");
        assertThat(value(text, "pvemcp_invalid_credentials_total")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "pvemcp_proxmox_cache_misses_total{cluster=\"default\"}")).isGreaterThanOrEqualTo(1);
        assertThat(get("/metrics", server.token()).statusCode()).as("admin implies it").isEqualTo(200);
    }

    static double value(String text, String sample) {
        return text.lines().filter(l -> l.startsWith(sample + " ")).mapToDouble(l -> Double.parseDouble(l.substring(
                sample.length() + 1))).findFirst().orElse(-1);
    }

    @Test
    void theOpenApiDocumentIsValidAndFollowsTheLiveRegistry() throws Exception {
        DemoServerIT.Result before = DemoServerIT.node(List.of("validate-openapi.mjs"), Map.of("MCP_BASE", base,
                "MCP_TOKEN", server.token()));
        assertThat(before.exit()).as(before.output()).isZero();
        assertThat(before.output()).contains("\"valid\":true", "\"version\":\"3.1\"", "\"proxmox_vm_list\"")
                .doesNotContain("proxmox_capacity_report");

        Files.copy(PluginsIT.PLUGINS.resolve("sample-capacity.jar"), deploy.resolve("sample-capacity.jar"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!get("/api/v1/tools", server.token()).body().contains("proxmox_capacity_report")) {
            assertThat(System.nanoTime()).as("the plugin's tool appears in the REST listing").isLessThan(deadline);
            Thread.sleep(100);
        }
        DemoServerIT.Result after = DemoServerIT.node(List.of("validate-openapi.mjs"), Map.of("MCP_BASE", base,
                "MCP_TOKEN", server.token()));
        Files.createDirectories(ServerProcess.OUT);
        Files.writeString(ServerProcess.OUT.resolve("openapi-validation.txt"), after.output());
        assertThat(after.exit()).as(after.output()).isZero();
        assertThat(after.output()).contains("\"valid\":true", "\"proxmox_capacity_report\"");
        JsonNode doc = JSON.readTree(get("/api/v1/openapi.json", server.token()).body());
        assertThat(doc.at("/paths/~1api~1v1~1tools~1proxmox_capacity_report/post/requestBody/content/application~1json"
                + "/schema/$ref").asText()).isEqualTo("#/components/schemas/proxmox_capacity_report_input");
        HttpResponse<String> report = post("/api/v1/tools/proxmox_capacity_report", token("proxmox:read"), "{}");
        assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
        Files.delete(deploy.resolve("sample-capacity.jar"));
    }

    static List<String> names(JsonNode listing) {
        return listing.path("tools").findValuesAsText("name");
    }
}
