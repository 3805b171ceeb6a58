package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxmox-mcp stdio} as desktop clients launch it: driven by the official TypeScript SDK's stdio client
 * (tools, a call, a plugin dropped while connected), and by hand, line by line, to see that standard output carries
 * nothing but MCP messages and that the server stops when its client goes.
 */
class StdioIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theTypeScriptSdksStdioClientSeesToolsCallsThemAndHearsAboutAPlugin() throws Exception {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        DemoServerIT.Result r = DemoServerIT.node(List.of("stdio-client.mjs", "stdio", "--demo"), Map.of(
                "SERVER", ServerProcess.DIST.resolve("bin/proxmox-mcp").toAbsolutePath().toString(),
                "DEPLOY", deploy.toString(),
                "PLUGIN_JAR", PluginsIT.PLUGINS.resolve("sample-capacity.jar").toAbsolutePath().toString(),
                "MCP_DEPLOY_DIR", deploy.toString(),
                "PVEMCP_DATA", dir.resolve("data").toString()));
        Files.createDirectories(ServerProcess.OUT);
        Files.writeString(ServerProcess.OUT.resolve("stdio-client.txt"), r.output());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("\"step\":\"a dropped plugin arrives with list_changed\",\"ok\":true",
                "\"step\":\"calls the plugin's tool\",\"ok\":true");
        List<String> audit = Files.readAllLines(dir.resolve("data/audit/audit.jsonl"));
        assertThat(audit).as("stdio calls are audited like HTTP ones").anySatisfy(l -> assertThat(l)
                .contains("\"subject\":\"stdio:", "\"transport\":\"stdio\"", "proxmox_capacity_report"));
    }

    @Test
    void standardOutputCarriesOnlyMcpAndTheServerStopsWithItsClient() throws Exception {
        Process p = demoStdio(Map.of("MCP_STDIO_SCOPES", "proxmox:read"));
        List<JsonNode> answers = new ArrayList<>();
        try (OutputStream in = p.getOutputStream();
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"by-hand\",\"version\":\"1\"}}}");
            answers.add(JSON.readTree(out.readLine()));
            send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            send(in, "this is not JSON");
            answers.add(JSON.readTree(out.readLine()));
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"proxmox_vm_start\","
                    + "\"arguments\":{\"node\":\"pve1\",\"vmid\":100}}}");
            answers.add(JSON.readTree(out.readLine()));
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}");
            answers.add(JSON.readTree(out.readLine()));
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the server stops when standard input closes").isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(answers.get(0).at("/result/protocolVersion").asText()).isEqualTo("2025-06-18");
        assertThat(answers.get(1).at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(answers.get(2).at("/result/isError").asBoolean()).isTrue();
        assertThat(answers.get(2).at("/result/content/0/text").asText()).contains("needs the scope proxmox:power");
        assertThat(answers.get(3).at("/result/tools").size()).isPositive();
        String stderr = Files.readString(dir.resolve("stderr.txt"));
        assertThat(stderr).contains("speaks MCP on standard input and output", "Standard input closed");
        assertThat(stderr).as("Jetty is installed on stdio but not started").doesNotContain("Jetty", "did not start");
    }

    /**
     * The transport answers {@code initialize} while the tool bundles still start (they start after it, so that a
     * client's handshake does not wait for them); a client that lists at once still sees every standard tool, and
     * hears of no change the start made.
     */
    @Test
    void aListSentWithInitializeWaitsForTheToolBundlesAndIsComplete() throws Exception {
        Process p = demoStdio(Map.of());
        List<JsonNode> early = new ArrayList<>();
        JsonNode later;
        try (OutputStream in = p.getOutputStream();
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"eager\",\"version\":\"1\"}}}");
            send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"resources/list\"}");
            // answers come as they are ready, not necessarily in order
            while (early.stream().filter(m -> m.has("id")).count() < 3) {
                early.add(JSON.readTree(out.readLine()));
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!Files.readString(dir.resolve("stderr.txt")).contains("speaks MCP on standard input")) {
                assertThat(System.nanoTime()).as("the server started").isLessThan(deadline);
                Thread.sleep(50);
            }
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\"}");
            JsonNode m = JSON.readTree(out.readLine());
            while (!m.has("id")) {
                early.add(m);
                m = JSON.readTree(out.readLine());
            }
            later = m;
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(early).as("no list_changed for what the start registered").allSatisfy(m -> assertThat(m.has("id"))
                .isTrue());
        Map<Integer, JsonNode> byId = new java.util.HashMap<>();
        early.forEach(m -> byId.put(m.get("id").asInt(), m));
        assertThat(byId.get(1).at("/result/protocolVersion").asText()).isEqualTo("2025-11-25");
        List<String> first = new ArrayList<>();
        byId.get(2).at("/result/tools").forEach(t -> first.add(t.get("name").asText()));
        List<String> after = new ArrayList<>();
        later.at("/result/tools").forEach(t -> after.add(t.get("name").asText()));
        assertThat(later.get("id").asInt()).isEqualTo(4);
        assertThat(after).hasSizeGreaterThan(80).contains("proxmox_vm_list", "proxmox_firewall_rules",
                "proxmox_network_list");
        assertThat(first).as("the first list has every tool of the start").containsExactlyInAnyOrderElementsOf(after);
        assertThat(byId.get(3).at("/result/resources").size()).isPositive();
    }

    /**
     * A client that opens a session is about to call tools: the connection to Proxmox is opened meanwhile ({@code GET
     * /version}, in the launcher's debug log), not by the first call.
     */
    @Test
    void aSessionThatOpensHasTheConnectionToProxmoxOpenedAhead() throws Exception {
        try (Session s = new Session(demoStdio(Map.of(), "--verbose"))) {
            s.initialize();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!Files.readString(dir.resolve("stderr.txt")).contains("Connected to Proxmox VE ahead in")) {
                assertThat(System.nanoTime()).as("a connection opened ahead, without a tool call").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
        String log = Files.readString(dir.resolve("stderr.txt"));
        assertThat(log.indexOf("Connected to Proxmox VE ahead in")).as("after the session opened").isGreaterThan(
                log.indexOf("opened over stdio"));
        assertThat(log).doesNotContain("/cluster/resources");
    }

    /** A script writes its requests and closes its input at once: it still gets every answer, then the server stops. */
    @Test
    void aScriptThatClosesItsInputAtOnceGetsItsAnswers() throws Exception {
        Process p = demoStdio(Map.of());
        try (OutputStream in = p.getOutputStream()) {
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"script\",\"version\":\"1\"}}}");
            send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"proxmox_vm_list\","
                    + "\"arguments\":{\"limit\":2}}}");
        }
        Map<Integer, JsonNode> byId = new java.util.HashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l = out.readLine(); l != null; l = out.readLine()) {
                JsonNode m = JSON.readTree(l);
                if (m.has("id")) {
                    byId.put(m.get("id").asInt(), m);
                }
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(byId.keySet()).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(byId.get(2).at("/result/tools").size()).isGreaterThan(80);
        assertThat(byId.get(3).at("/result/isError").asBoolean()).as(byId.get(3).toString()).isFalse();
        assertThat(byId.get(3).at("/result/structuredContent/vms").size()).isEqualTo(2);
    }

    /**
     * The framework cache is kept from start to start (it saves Felix installing every bundle again), one slot per
     * process running at the same time, and holds only what this start installs: a plugin removed from deploy/
     * between two starts is gone.
     */
    @Test
    void theFrameworkCacheIsKeptFromStartToStartAndHoldsNothingOfAnEarlierStart() throws Exception {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Path plugin = deploy.resolve("sample-capacity.jar");
        Files.copy(PluginsIT.PLUGINS.resolve("sample-capacity.jar"), plugin);
        Path slot = dir.resolve("data/cache/framework-stdio-0");
        try (Session first = new Session(demoStdio(Map.of()))) {
            first.initialize();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!first.tools().contains("proxmox_capacity_report")) {
                assertThat(System.nanoTime()).as("the plugin arrives").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
        assertThat(slot.resolve("key")).as("a completed start keeps its cache").isRegularFile();
        Files.delete(plugin);

        ProcessBuilder verbose = new ProcessBuilder(ServerProcess.DIST.resolve("bin/proxmox-mcp").toString(), "stdio",
                "--demo", "--verbose").redirectError(dir.resolve("verbose.txt").toFile());
        verbose.environment().keySet().removeIf(k -> k.startsWith("MCP_") || k.startsWith("PROXMOX_"));
        verbose.environment().put("PVEMCP_DATA", dir.resolve("data").toString());
        verbose.environment().put("MCP_DEPLOY_DIR", deploy.toString());
        try (Session second = new Session(verbose.start())) {
            // answered once it holds its cache slot
            second.initialize();
            List<String> tools = second.tools();
            assertThat(tools).hasSizeGreaterThan(80).contains("proxmox_vm_list").doesNotContain(
                    "proxmox_capacity_report");
            try (Session beside = new Session(demoStdio(Map.of()))) {
                beside.initialize();
                assertThat(beside.tools()).containsExactlyInAnyOrderElementsOf(tools);
            }
            assertThat(second.tools()).as("the removed plugin does not come back").doesNotContain(
                    "proxmox_capacity_report");
        }
        assertThat(Files.readString(dir.resolve("verbose.txt"))).contains("(reused cache)");
        assertThat(dir.resolve("data/cache/framework-stdio-1")).as("the process beside took a slot of its own")
                .isDirectory();
    }

    /** One stdio session, line by line. */
    private static final class Session implements AutoCloseable {
        private final Process process;
        private final OutputStream in;
        private final BufferedReader out;
        private int id;

        Session(Process process) {
            this.process = process;
            this.in = process.getOutputStream();
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        void initialize() throws Exception {
            JsonNode init = request("initialize", "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\"session\",\"version\":\"1\"}}");
            assertThat(init.at("/result/protocolVersion").asText()).as(init.toString()).isEqualTo("2025-11-25");
            send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        }

        List<String> tools() throws Exception {
            List<String> names = new ArrayList<>();
            request("tools/list", "{}").at("/result/tools").forEach(t -> names.add(t.get("name").asText()));
            return names;
        }

        JsonNode request(String method, String params) throws Exception {
            int n = ++id;
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":" + n + ",\"method\":\"" + method + "\",\"params\":" + params
                    + "}");
            for (String l = out.readLine(); l != null; l = out.readLine()) {
                JsonNode m = JSON.readTree(l);
                if (m.path("id").asInt(-1) == n) {
                    return m;
                }
            }
            throw new AssertionError("the server ended before it answered " + method);
        }

        @Override
        public void close() throws Exception {
            in.close();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the server stops with its client").isTrue();
            assertThat(process.exitValue()).isZero();
        }
    }

    /** Starts {@code stdio --demo} with its own data and deploy folders, standard error to {@code stderr.txt}. */
    private Process demoStdio(Map<String, String> env, String... options) throws java.io.IOException {
        List<String> command = new ArrayList<>(List.of(ServerProcess.DIST.resolve("bin/proxmox-mcp").toString(), "stdio",
                "--demo"));
        command.addAll(List.of(options));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MCP_") || k.startsWith("PROXMOX_"));
        pb.environment().put("PVEMCP_DATA", dir.resolve("data").toString());
        pb.environment().put("MCP_DEPLOY_DIR", Files.createDirectories(dir.resolve("deploy")).toString());
        pb.environment().putAll(env);
        return pb.start();
    }

    private static void send(OutputStream in, String line) throws java.io.IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }
}
