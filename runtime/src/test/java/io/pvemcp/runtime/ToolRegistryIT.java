package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import io.pvemcp.registry.ToolRegistry;
import io.pvemcp.runtime.fixture.BadNameTool;
import io.pvemcp.runtime.fixture.EchoTool;
import io.pvemcp.runtime.fixture.InvalidSchemaTool;
import io.pvemcp.runtime.fixture.ShadowVersionTool;
import io.pvemcp.runtime.fixture.ThrowingTool;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.tinybundles.TinyBundles;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The real bundles of the distribution in a real framework: tools appear and disappear with their bundle,
 * connected clients are told, and a bundle full of broken tools disturbs nothing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ToolRegistryIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private McpSyncClient client;
    private final List<List<String>> toolLists = new CopyOnWriteArrayList<>();

    @Inject
    BundleContext context;

    @Inject
    ToolRegistry registry;

    @Inject
    ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] configuration() throws Exception {
        List<Option> options = PaxDistribution.options(List.of("base", "mcp", "tools", "sim"));
        options.add(frameworkProperty("it.fixture.bundle").value(fixtureBundle().toUri().toString()));
        options.add(systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("warn"));
        return options.toArray(new Option[0]);
    }

    /** Builds a bundle with real DS components from the fixture classes, as a plugin author would ship them. */
    private static Path fixtureBundle() throws IOException {
        Path file = Files.createTempFile("pvemcp-fixture-", ".jar");
        try (InputStream in = TinyBundles.bundle()
                .symbolicName("io.pvemcp.fixture.broken")
                .setHeader("Bundle-Version", "1.0.0")
                .setHeader("-dsannotations", "*")
                .addClass(EchoTool.class).addClass(ShadowVersionTool.class).addClass(InvalidSchemaTool.class)
                .addClass(ThrowingTool.class).addClass(BadNameTool.class)
                .build(TinyBundles.bndBuilder())) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        file.toFile().deleteOnExit();
        return file;
    }

    /** Configures the simulator and the client once per framework, then connects a fresh MCP client per test. */
    @Before
    public void connect() throws Exception {
        if (context.getServiceReference("io.pvemcp.pve.sim.Simulator") == null) {
            configureProxmox();
        }
        ObjectMapper mapper = new ObjectMapper();
        String base = "http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port");
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(base).endpoint("/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(mapper)).build();
        client = McpClient.sync(transport).requestTimeout(WAIT)
                .jsonSchemaValidator(new DefaultJsonSchemaValidator(mapper))
                .toolsChangeConsumer(tools -> toolLists.add(tools.stream().map(McpSchema.Tool::name).sorted().toList()))
                .build();
        client.initialize();
    }

    @After
    public void disconnect() {
        client.closeGracefully();
    }

    private void configureProxmox() throws Exception {
        // inside the framework, a loopback client without token: the way an operator switches authentication off
        Path state = Files.createTempDirectory("pvemcp-registry-it");
        Dictionary<String, Object> security = new Hashtable<>();
        security.put("enabled", "false");
        security.put("data.dir", state.resolve("security").toString());
        configurationAdmin.getConfiguration("io.pvemcp.security", "?").update(security);
        Dictionary<String, Object> audit = new Hashtable<>();
        audit.put("dir", state.resolve("audit").toString());
        configurationAdmin.getConfiguration("io.pvemcp.audit", "?").update(audit);
        String endpoint = "http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port") + "/mcp";
        await("the endpoint serves loopback clients without a token", () -> {
            try {
                java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(endpoint))
                                .header("Content-Type", "application/json")
                                .header("Accept", "application/json, text/event-stream")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(ServerProcess.INIT)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        Dictionary<String, Object> sim = new Hashtable<>();
        sim.put("port", "0");
        sim.put("token.id", "root@pam!it");
        sim.put("token.secret", "it-secret");
        sim.put("auth.failure.delay.ms", "0");
        configurationAdmin.getConfiguration("io.pvemcp.pve.sim", "?").update(sim);
        ServiceReference<?> simulator = awaitService("io.pvemcp.pve.sim.Simulator");
        Dictionary<String, Object> pve = new Hashtable<>();
        pve.put("host", "127.0.0.1");
        pve.put("port", String.valueOf(simulator.getProperty("pvemcp.sim.port")));
        pve.put("token.id", "root@pam!it");
        pve.put("token.secret", "it-secret");
        pve.put("fingerprint", String.valueOf(simulator.getProperty("pvemcp.sim.fingerprint")));
        configurationAdmin.getConfiguration("io.pvemcp.pve.client", "?").update(pve);
        await("the Proxmox client is configured", () -> {
            ServiceReference<?> ref = context.getServiceReference("io.pvemcp.api.pve.ProxmoxClient");
            return ref != null && Boolean.TRUE.equals(ref.getProperty("pvemcp.pve.configured"));
        });
    }

    @Test
    public void servesTheToolsOfTheRunningBundles() {
        await("the system tools are registered", () -> names(registry.tools()).containsAll(
                List.of("proxmox_system_version", "proxmox_test_connection")));
        assertThat(registry.tools()).filteredOn(t -> t.name().equals("proxmox_system_version")).singleElement()
                .satisfies(t -> assertThat(t.bundle()).isEqualTo("io.pvemcp.tools.system"));
        assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                .contains("proxmox_system_version", "proxmox_test_connection");
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("proxmox_system_version", Map.of()));
        assertThat(r.isError()).isFalse();
        assertThat(((Map<?, ?>) r.structuredContent()).get("version")).isEqualTo("9.1.1");
        assertThat(registry.resources()).extracting(ToolRegistry.ContributionInfo::name).contains("proxmox://cluster/overview");
        assertThat(registry.prompts()).extracting(ToolRegistry.ContributionInfo::name).contains("proxmox_cluster_health_check");
    }

    @Test
    public void stoppingAToolBundleRemovesItsToolsAndTellsTheClients() throws Exception {
        Bundle tools = installed("io.pvemcp.tools.system");
        await("the system tools are registered", () -> names(registry.tools()).contains("proxmox_system_version"));
        int before = toolLists.size();

        tools.stop();
        await("the registry drops the system tools", () -> !names(registry.tools()).contains("proxmox_system_version"));
        await("the client is told and sees the tools gone", () -> toolLists.size() > before
                && !toolLists.get(toolLists.size() - 1).contains("proxmox_system_version"));
        assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                .doesNotContain("proxmox_system_version", "proxmox_test_connection");
        assertThat(registry.resources()).extracting(ToolRegistry.ContributionInfo::name)
                .doesNotContain("proxmox://cluster/overview");

        int stopped = toolLists.size();
        tools.start();
        await("the client is told the tools are back", () -> toolLists.size() > stopped
                && toolLists.get(toolLists.size() - 1).contains("proxmox_system_version"));
        assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                .contains("proxmox_system_version", "proxmox_test_connection");
    }

    @Test
    public void aBundleWithBrokenToolsDisturbsNothing() throws Exception {
        await("the system tools are registered", () -> names(registry.tools()).contains("proxmox_test_connection"));
        Bundle fixture = context.installBundle(context.getProperty("it.fixture.bundle"));
        try {
            fixture.start();
            await("the fixture's valid tool is served", () -> names(registry.tools()).contains("fixture_echo"));
            await("the broken tools are refused", () -> registry.rejections().size() >= 4);

            assertThat(registry.rejections()).filteredOn(r -> "fixture_invalid_schema".equals(r.name())).singleElement()
                    .satisfies(r -> assertThat(r.reason()).contains("input schema is not valid JSON Schema"));
            assertThat(registry.rejections()).filteredOn(r -> "fixture_throwing".equals(r.name())).singleElement()
                    .satisfies(r -> assertThat(r.reason()).contains("could not be obtained"));
            assertThat(registry.rejections()).filteredOn(r -> "bad name!".equals(r.name())).singleElement()
                    .satisfies(r -> assertThat(r.reason()).contains("is not valid"));
            assertThat(registry.rejections()).filteredOn(r -> "proxmox_system_version".equals(r.name())).singleElement()
                    .satisfies(r -> {
                        assertThat(r.bundle()).isEqualTo("io.pvemcp.tools.system");
                        assertThat(r.reason()).contains("already provided by bundle io.pvemcp.fixture.broken");
                    });

            // the higher-ranked fixture wins the shared name; everything else keeps working
            McpSchema.CallToolResult shadow = client.callTool(new McpSchema.CallToolRequest("proxmox_system_version", Map.of()));
            assertThat(((McpSchema.TextContent) shadow.content().get(0)).text()).isEqualTo("shadow");
            McpSchema.CallToolResult echo = client.callTool(new McpSchema.CallToolRequest("fixture_echo", Map.of("text", "hi")));
            assertThat(((McpSchema.TextContent) echo.content().get(0)).text()).isEqualTo("echo: hi");
            McpSchema.CallToolResult connection = client.callTool(new McpSchema.CallToolRequest("proxmox_test_connection", Map.of()));
            assertThat(connection.isError()).isFalse();
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                    .contains("fixture_echo", "proxmox_test_connection")
                    .doesNotContain("fixture_invalid_schema", "fixture_throwing", "bad name!");
        } finally {
            fixture.uninstall();
        }
        await("the fixture's tools are gone", () -> !names(registry.tools()).contains("fixture_echo"));
        await("the original tool is promoted back", () -> registry.tools().stream()
                .anyMatch(t -> t.name().equals("proxmox_system_version") && t.bundle().equals("io.pvemcp.tools.system")));
        assertThat(registry.rejections()).isEmpty();
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("proxmox_system_version", Map.of()));
        assertThat(((Map<?, ?>) r.structuredContent()).get("version")).isEqualTo("9.1.1");
    }

    // ---- helpers

    private Bundle installed(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }

    private static List<String> names(List<ToolRegistry.ContributionInfo> infos) {
        return infos.stream().map(ToolRegistry.ContributionInfo::name).toList();
    }

    private ServiceReference<?> awaitService(String className) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            ServiceReference<?> ref = context.getServiceReference(className);
            if (ref != null) {
                return ref;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(className + " did not appear within " + WAIT.toSeconds() + " s");
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what);
            }
        }
        throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
    }
}
