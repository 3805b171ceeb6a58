package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.pvemcp.runtime.fixture.EchoTool;
import io.pvemcp.runtime.fixture.ThrowingTool;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.ops4j.pax.tinybundles.TinyBundles;

/**
 * The plugin system as a user meets it, on the distribution: jars dropped into the deploy folder of a running
 * server reach a connected MCP client and leave with it, broken ones are reported in the admin console and harm
 * nothing, the conformance fixture makes the whole official suite pass, the console works in a real browser, and
 * the operator's switches survive a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PluginsIT {

    static final Path PLUGINS = Path.of(System.getProperty("pvemcp.plugins", "target/it-plugins"));
    static final String PASSWORD = "console password for tests";
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static Path deploy;
    static ServerProcess server;
    static McpSyncClient client;
    static final List<List<String>> toolLists = new CopyOnWriteArrayList<>();
    static final List<String> updates = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        deploy = Files.createDirectories(dir.resolve("deploy"));
        server = startServer();
        client = connect(server);
    }

    static ServerProcess startServer() throws Exception {
        // default limits: the full conformance suite and the browser must pass with them
        return ServerProcess.start("plugins", List.of("--demo", "--sim-port", Integer.toString(ServerProcess.freePort()),
                "--data", dir.resolve("data").toString()),
                Map.of("MCP_DEPLOY_DIR", deploy.toString(), "MCP_CONSOLE_PASSWORD", PASSWORD));
    }

    static McpSyncClient connect(ServerProcess s) {
        var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + s.port()).endpoint("/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(new ObjectMapper()))
                .httpRequestCustomizer((b, method, uri, body, ctx) -> b.header("Authorization", s.bearer())).build();
        McpSyncClient c = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .clientInfo(new McpSchema.Implementation("plugins-it", "1.0.0"))
                .toolsChangeConsumer(tools -> toolLists.add(tools.stream().map(McpSchema.Tool::name).sorted().toList()))
                .resourcesUpdateConsumer(contents -> contents.forEach(r -> updates.add(r.uri())))
                .build();
        c.initialize();
        return c;
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.closeGracefully();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void aDroppedJarsToolsReachAConnectedClientAndLeaveWithIt() throws Exception {
        assertThat(names()).contains("proxmox_vm_list").doesNotContain("proxmox_capacity_report");
        Path jar = deploy.resolve("sample-capacity.jar");
        Files.copy(PLUGINS.resolve("sample-capacity.jar"), jar);
        waitFor("the client is told about the new tool", () -> last().contains("proxmox_capacity_report"));
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("proxmox_capacity_report", Map.of()));
        assertThat(r.isError()).as("%s", r.content()).isFalse();
        assertThat(text(r)).contains("most room on");

        int before = toolLists.size();
        Path staged = dir.resolve("sample-capacity.jar.new");
        Files.copy(PLUGINS.resolve("sample-capacity.jar"), staged, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(staged, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Files.move(staged, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        waitFor("File Install updates the bundle", () -> log().contains("Updating bundle"));
        waitFor("the tools are back after the update", () -> toolLists.size() > before
                && last().contains("proxmox_capacity_report"));
        assertThat(text(client.callTool(new McpSchema.CallToolRequest("proxmox_capacity_report", Map.of()))))
                .as("the same MCP session works after the update").contains("most room on");

        Files.delete(jar);
        waitFor("the client is told the tool is gone", () -> !last().contains("proxmox_capacity_report")
                && last().contains("proxmox_vm_list"));
        assertThat(names()).doesNotContain("proxmox_capacity_report");
    }

    @Test
    @Order(2)
    void brokenJarsAreReportedInTheConsoleAndHarmNothing() throws Exception {
        Path notABundle = deploy.resolve("not-a-bundle.jar");
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        m.getMainAttributes().putValue("Bundle-Name", "no symbolic name");
        try (OutputStream out = Files.newOutputStream(notABundle); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        try (InputStream in = TinyBundles.bundle().symbolicName("com.example.needs.missing")
                .setHeader("Bundle-Version", "1.0.0").setHeader("Import-Package", "com.example.missing;version=\"[1,2)\"")
                .build(TinyBundles.rawBuilder())) {
            Files.copy(in, deploy.resolve("needs-missing.jar"));
        }
        try (InputStream in = TinyBundles.bundle().symbolicName("com.example.throwing")
                .setHeader("Bundle-Version", "1.0.0").setHeader("-dsannotations", "*")
                .addClass(EchoTool.class).addClass(ThrowingTool.class).build(TinyBundles.bndBuilder())) {
            Files.copy(in, deploy.resolve("throwing.jar"));
        }
        waitFor("the good tool of the partly broken bundle arrives", () -> last().contains("fixture_echo"));
        assertThat(names()).contains("proxmox_vm_list", "fixture_echo");
        HttpClient browser = signIn();
        waitFor("the console reports every broken jar", () -> {
            try {
                String p = get(browser, "/system/console/mcp-tools").body();
                return p.contains("com.example.needs.missing") && p.contains("not-a-bundle.jar");
            } catch (Exception e) {
                return false;
            }
        });
        String page = get(browser, "/system/console/mcp-tools").body();
        assertThat(page).contains("not an OSGi bundle");
        assertThat(page).contains("com.example.needs.missing").contains("nothing provides what it needs")
                .contains("com.example.missing");
        assertThat(page).contains("com.example.throwing");
        assertThat(page).as("the tool that threw is listed with why").containsPattern("fixture_throwing|could not be "
                + "obtained|failed");

        Files.delete(deploy.resolve("needs-missing.jar"));
        Files.delete(deploy.resolve("throwing.jar"));
        Files.delete(notABundle);
        waitFor("the partly broken bundle's tool leaves", () -> !last().contains("fixture_echo"));
    }

    @Test
    @Order(3)
    void theConformanceFixtureMakesTheFullSuitePass() throws Exception {
        Path check = Path.of("../../shared/mcp-check/check.sh").toAbsolutePath().normalize();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(check), "../shared/mcp-check is beside the project");
        Files.copy(PLUGINS.resolve("conformance-fixture.jar"), deploy.resolve("conformance-fixture.jar"));
        waitFor("the fixture's tools arrive", () -> last().contains("test_simple_text"));
        // the suite is another client, with a token of its own (it opens dozens of sessions it never ends)
        List<String> create = List.of(ServerProcess.DIST.resolve("bin/proxmox-mcp").toString(), "token", "create",
                "--data", dir.resolve("data").toString(), "--url", server.url(), "--name", "conformance-suite",
                "--scopes", "proxmox:read", "--ttl", "1h", "--json");
        Process t = new ProcessBuilder(create).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String issued = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(t.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(t.exitValue()).as(issued).isZero();
        String token = new ObjectMapper().readTree(issued).path("token").asText();
        Process p = new ProcessBuilder("bash", check.toString(), "--full", server.url(), token)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        Files.writeString(ServerProcess.OUT.resolve("mcp-check-full.txt"), out);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("tools-call-sampling: 1 passed, 0 failed", "resources-subscribe: 1 passed, 0 failed",
                "completion-complete: 1 passed, 0 failed", "mcp-check: all passed");

        // a subscribed client hears about changes of that resource, and only of it
        client.subscribeResource(new McpSchema.SubscribeRequest("test://watched-resource"));
        client.callTool(new McpSchema.CallToolRequest("test_touch_watched_resource", Map.of()));
        waitFor("the subscriber is told the resource changed", () -> updates.contains("test://watched-resource"));
        client.unsubscribeResource(new McpSchema.UnsubscribeRequest("test://watched-resource"));
        int heard = updates.size();
        client.callTool(new McpSchema.CallToolRequest("test_touch_watched_resource", Map.of()));
        Thread.sleep(500);
        assertThat(updates).as("nothing after unsubscribing").hasSize(heard);

        Files.delete(deploy.resolve("conformance-fixture.jar"));
        waitFor("the fixture leaves", () -> !last().contains("test_simple_text"));
    }

    @Test
    @Order(4)
    void theConsoleSwitchesABundleOffInARealBrowser() throws Exception {
        assertThat(Path.of("/usr/bin/chromium")).as("Debian's chromium (apt-get install chromium; .ci/run does)")
                .exists();
        DemoServerIT.Result r = DemoServerIT.node(List.of("console-browser.mjs"), Map.of("BASE", "http://127.0.0.1:"
                + server.port(), "MCP_TOKEN", server.token(), "CONSOLE_PASSWORD", PASSWORD, "BUNDLE",
                "io.pvemcp.tools.storage", "TOOL", "proxmox_storage_list", "SHOTS",
                ServerProcess.OUT.toAbsolutePath().toString()));
        Files.writeString(ServerProcess.OUT.resolve("console-browser.txt"), r.output());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("\"step\":\"the MCP client no longer lists the bundle's tools\",\"ok\":true",
                "\"step\":\"after switching it on the tools are back\",\"ok\":true");
    }

    @Test
    @Order(5)
    void theConsoleRefusesOtherSitesAndStrangers() throws Exception {
        HttpClient browser = signIn();
        String page = get(browser, "/system/console/mcp-tools").body();
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> crossSite = post(browser, "/system/console/mcp-tools", "action=tool-off&name="
                + "proxmox_vm_list&csrf=" + csrf.group(1), "http://evil.example");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        HttpResponse<String> noCsrf = post(browser, "/system/console/mcp-tools", "action=tool-off&name=proxmox_vm_list",
                null);
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        HttpResponse<String> anyAuthorization = browser.send(HttpRequest.newBuilder(URI.create(base()
                + "/system/console/mcp-tools")).timeout(WAIT).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", base()).header("Authorization", "Basic Zm9vOmJhcg==")
                .POST(HttpRequest.BodyPublishers.ofString("action=tool-off&name=proxmox_vm_list")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anyAuthorization.statusCode()).as("an Authorization header does not stand in for the form secret "
                + "of a cookie session").isEqualTo(403);
        assertThat(names()).contains("proxmox_vm_list");
        for (String path : List.of("/system/console/mcp-tools", "/system/console/bundles", "/console/login")) {
            HttpResponse<String> r = get(browser, path);
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).hasValueSatisfying(v ->
                    assertThat(v).contains("frame-ancestors 'none'"));
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
        }
        HttpClient stranger = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        HttpResponse<String> anonymous = get(stranger, "/system/console/bundles");
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location").orElse("")).startsWith("/console/login");
        HttpResponse<String> wrongToken = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(base()
                + "/system/console/bundles.json")).header("Authorization", "Bearer not-a-token").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrongToken.statusCode()).isEqualTo(401);
        HttpResponse<String> adminToken = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(base()
                + "/system/console/bundles.json")).header("Authorization", server.bearer()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(adminToken.statusCode()).as("an admin token opens the console for scripts").isEqualTo(200);
        assertThat(adminToken.body()).contains("io.pvemcp.registry");
        List<String> listings = new ArrayList<>(List.of("/system/console/status-Configurations.txt",
                "/system/console/configMgr/*.json", "/system/console/status-Services.txt"));
        JsonNode components = new ObjectMapper().readTree(ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(
                base() + "/system/console/components.json")).header("Authorization", server.bearer()).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        components.path("data").forEach(c -> listings.add("/system/console/components/" + c.path("id").asText() + ".json"));
        assertThat(listings).hasSizeGreaterThan(20);
        for (String listing : listings) {
            HttpResponse<String> configs = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(base() + listing))
                    .header("Authorization", server.bearer()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(configs.statusCode()).isEqualTo(200);
            assertThat(configs.body()).as("the console lists configurations without their secrets: %s", listing)
                    .doesNotContain(PASSWORD);
        }
        for (String listing : List.of("/system/console/status-Configurations.txt", "/system/console/configMgr/*.json")) {
            HttpResponse<String> configs = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(base() + listing))
                    .header("Authorization", server.bearer()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(configs.body()).contains("pvemcp-secret:io.pvemcp.console", "pvemcp-secret:io.pvemcp.pve.client");
        }
    }

    @Test
    @Order(6)
    void switchesSurviveARestart() throws Exception {
        HttpClient browser = signIn();
        String page = get(browser, "/system/console/mcp-tools").body();
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> off = post(browser, "/system/console/mcp-tools", "action=tool-off&name=proxmox_vm_delete"
                + "&csrf=" + csrf.group(1), base());
        assertThat(off.statusCode()).isEqualTo(303);
        waitFor("the client loses the tool", () -> !last().contains("proxmox_vm_delete"));
        McpSchema.CallToolResult refused = client.callTool(new McpSchema.CallToolRequest("proxmox_vm_delete",
                Map.of("vmid", 100)));
        assertThat(refused.isError()).isTrue();
        assertThat(text(refused)).contains("switched off");

        client.closeGracefully();
        server.close();
        server = startServer();
        client = connect(server);
        assertThat(names()).contains("proxmox_vm_list").doesNotContain("proxmox_vm_delete");
    }

    // ---- helpers

    static String base() {
        return "http://127.0.0.1:" + server.port();
    }

    static HttpClient signIn() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String form = get(browser, "/console/login").body();
        Matcher value = Pattern.compile("name=\"form\" value=\"([^\"]+)\"").matcher(form);
        assertThat(value.find()).as(form).isTrue();
        HttpResponse<String> r = post(browser, "/console/login", "form=" + value.group(1) + "&password="
                + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8), base());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        return browser;
    }

    static HttpResponse<String> get(HttpClient c, String path) throws Exception {
        return c.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(HttpClient c, String path, String body, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(WAIT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<String> names() {
        return client.listTools().tools().stream().map(McpSchema.Tool::name).sorted().toList();
    }

    static List<String> last() {
        return toolLists.isEmpty() ? List.of() : toolLists.get(toolLists.size() - 1);
    }

    static String text(McpSchema.CallToolResult r) {
        List<String> out = new ArrayList<>();
        for (McpSchema.Content c : r.content()) {
            if (c instanceof McpSchema.TextContent t) {
                out.add(t.text());
            }
        }
        return String.join("\n", out);
    }

    static String log() {
        try {
            return Files.readString(ServerProcess.OUT.resolve("plugins.log"));
        } catch (IOException e) {
            return "";
        }
    }

    static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what + "; tool lists seen: "
                        + toolLists.size() + ", server log: " + ServerProcess.OUT.resolve("plugins.log"));
            }
            Thread.sleep(50);
        }
    }
}
