package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One server, two clusters: the demo's simulator as the default cluster and a second simulator ({@code proxmox-mcp
 * sim}, another process) configured as {@code conf/io.pvemcp.pve.cluster~lab.cfg}. An administrator reaches both
 * and chooses with {@code cluster}; a token bound to {@code lab} reaches only lab, by every tool, resource, prompt,
 * completion and REST route, and learns no other cluster's name.
 */
class ClustersIT {

    static final String SECRET = "clusters-it-secret-of-at-least-32-bytes!";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static SimProcess sim;
    static ServerProcess server;
    static Path conf;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(ServerProcess.OUT);
        sim = SimProcess.start(dir.resolve("lab-sim"), 2, 7);
        conf = Files.createDirectories(dir.resolve("conf"));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ServerProcess.DIST.resolve("conf"), "*.cfg")) {
            for (Path p : ds) {
                Files.copy(p, conf.resolve(p.getFileName()));
            }
        }
        Files.writeString(conf.resolve("io.pvemcp.pve.cluster~lab.cfg"), "host = 127.0.0.1\nport = " + sim.port()
                + "\ntoken.id = " + sim.tokenId() + "\ntoken.secret = " + sim.tokenSecret() + "\nca.file = "
                + sim.caFile() + "\n");
        server = ServerProcess.start("clusters", List.of("--demo", "--sim-port", Integer.toString(
                ServerProcess.freePort()), "--data", dir.resolve("data").toString()),
                Map.of("SECRET_KEY", SECRET, "PVEMCP_CONF", conf.toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    static McpHttpClient client(String token) throws Exception {
        McpHttpClient c = new McpHttpClient(server.url(), token);
        c.initialize();
        return c;
    }

    static String labToken() {
        return Jwts.signed(SECRET, server.url(), "proxmox:read proxmox:power", Duration.ofMinutes(10),
                Map.of("clusters", List.of("lab")));
    }

    static JsonNode call(McpHttpClient c, String tool, Map<String, Object> args) throws Exception {
        return c.request("tools/call", Map.of("name", tool, "arguments", args), null);
    }

    static JsonNode tool(JsonNode list, String name) {
        for (JsonNode t : list.path("tools")) {
            if (name.equals(t.path("name").asText())) {
                return t;
            }
        }
        throw new AssertionError("no tool " + name + " in " + list);
    }

    static Set<String> vmNames(JsonNode result) {
        assertThat(result.path("isError").asBoolean()).as("%s", result).isFalse();
        Set<String> names = new TreeSet<>();
        result.path("structuredContent").path("vms").forEach(v -> names.add(v.path("name").asText()));
        return names;
    }

    /**
     * A stdio client's {@code initialize} is answered while the tool bundles start; its instructions already say
     * that there are several clusters (the Proxmox clients start before the transports).
     */
    @Test
    void aStdioClientThatInitializesAtOnceIsToldOfTheClusters() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ServerProcess.DIST.resolve("bin/proxmox-mcp").toString(), "stdio",
                "--demo", "--data", dir.resolve("stdio-data").toString())
                .redirectError(dir.resolve("stdio-stderr.txt").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MCP_") || k.startsWith("PROXMOX_"));
        pb.environment().put("PVEMCP_CONF", conf.toString());
        Process p = pb.start();
        try (var in = p.getOutputStream(); var out = new java.io.BufferedReader(new java.io.InputStreamReader(
                p.getInputStream(), StandardCharsets.UTF_8))) {
            in.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"at-once\",\"version\":\"1\"}}}\n")
                    .getBytes(StandardCharsets.UTF_8));
            in.flush();
            JsonNode answer = JSON.readTree(out.readLine());
            assertThat(answer.at("/result/instructions").asText()).contains("several clusters");
        } finally {
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("stdio stops with its input").isTrue();
        }
    }

    @Test
    void anAdministratorReachesBothClustersAndChoosesWithTheClusterArgument() throws Exception {
        McpHttpClient admin = new McpHttpClient(server.url(), server.token());
        assertThat(admin.initialize().path("instructions").asText()).contains("several clusters",
                "proxmox_cluster_list", "?cluster=NAME").doesNotContain("lab");
        JsonNode list = admin.request("tools/list", Map.of(), null);
        JsonNode vmList = tool(list, "proxmox_vm_list");
        assertThat(vmList.path("inputSchema").path("properties").path("cluster").path("enum"))
                .extracting(JsonNode::asText).containsExactly("default", "lab");
        assertThat(vmList.path("outputSchema").path("properties").has("cluster")).isTrue();
        assertThat(tool(list, "proxmox_cluster_list").path("inputSchema").path("properties").has("cluster"))
                .isFalse();

        JsonNode clusters = call(admin, "proxmox_cluster_list", Map.of()).path("structuredContent").path("clusters");
        assertThat(clusters).extracting(c -> c.path("name").asText()).containsExactly("default", "lab");
        assertThat(clusters).allSatisfy(c -> assertThat(c.path("ok").asBoolean()).as("%s", c).isTrue());
        assertThat(clusters.get(0).path("default").asBoolean()).isTrue();
        assertThat(clusters.get(1).path("nodes").asInt()).isEqualTo(2);

        JsonNode byDefault = call(admin, "proxmox_vm_list", Map.of());
        JsonNode lab = call(admin, "proxmox_vm_list", Map.of("cluster", "lab"));
        assertThat(byDefault.path("structuredContent").path("cluster").asText()).isEqualTo("default");
        assertThat(lab.path("structuredContent").path("cluster").asText()).isEqualTo("lab");
        assertThat(vmNames(lab)).isNotEmpty().isNotEqualTo(vmNames(byDefault));
        assertThat(vmNames(call(admin, "proxmox_vm_list", Map.of("cluster", "default")))).isEqualTo(
                vmNames(byDefault));

        JsonNode unknown = call(admin, "proxmox_vm_list", Map.of("cluster", "nope"));
        assertThat(unknown.path("isError").asBoolean()).isTrue();
        assertThat(unknown.path("content").get(0).path("text").asText()).contains("no cluster 'nope'")
                .contains("default, lab");
    }

    @Test
    void aTokenBoundToOneClusterReachesNoOtherByAnyRoute() throws Exception {
        String token = labToken();
        McpHttpClient tenant = client(token);
        McpHttpClient admin = client(server.token());
        Set<String> labVms = vmNames(call(admin, "proxmox_vm_list", Map.of("cluster", "lab")));

        JsonNode list = tenant.request("tools/list", Map.of(), null);
        assertThat(tool(list, "proxmox_vm_list").path("inputSchema").path("properties").has("cluster"))
                .as("one cluster to reach: nothing to choose").isFalse();
        list.path("tools").forEach(t -> assertThat(t.path("inputSchema").path("properties").has("cluster"))
                .as(t.path("name").asText()).isFalse());
        assertThat(list.toString()).doesNotContain("\"default\",\"lab\"");

        JsonNode mine = call(tenant, "proxmox_vm_list", Map.of());
        assertThat(mine.path("structuredContent").path("cluster").asText()).isEqualTo("lab");
        assertThat(vmNames(mine)).isEqualTo(labVms);
        assertThat(call(tenant, "proxmox_cluster_list", Map.of()).path("structuredContent").path("clusters"))
                .extracting(c -> c.path("name").asText()).containsExactly("lab");

        for (String tool : List.of("proxmox_vm_list", "proxmox_vm_start", "proxmox_test_connection")) {
            Map<String, Object> args = tool.equals("proxmox_vm_start") ? Map.of("vmid", 102, "cluster", "default")
                    : Map.of("cluster", "default");
            JsonNode r = call(tenant, tool, args);
            assertThat(r.path("isError").asBoolean()).as(tool).isTrue();
            assertThat(r.path("content").get(0).path("text").asText()).as(tool)
                    .contains("no cluster 'default' you can reach").contains("yours: lab");
        }

        // resources: the default is the tenant's own cluster; another by ?cluster= is refused
        String overview = tenant.request("resources/read", Map.of("uri", "proxmox://cluster/overview"), null)
                .path("contents").get(0).path("text").asText();
        String labOverview = admin.request("resources/read", Map.of("uri", "proxmox://cluster/overview?cluster=lab"),
                null).path("contents").get(0).path("text").asText();
        String defaultOverview = admin.request("resources/read", Map.of("uri", "proxmox://cluster/overview"), null)
                .path("contents").get(0).path("text").asText();
        assertThat(JSON.readTree(overview).path("nodes").size()).isEqualTo(JSON.readTree(labOverview).path("nodes")
                .size()).isNotEqualTo(JSON.readTree(defaultOverview).path("nodes").size());
        assertThatThrownBy(() -> tenant.request("resources/read", Map.of("uri",
                "proxmox://cluster/overview?cluster=default"), null)).hasMessageContaining("no cluster 'default'");

        // prompts and completions
        assertThatThrownBy(() -> tenant.request("prompts/get", Map.of("name", "proxmox_cluster_health_check",
                "arguments", Map.of("cluster", "default")), null)).hasMessageContaining("no cluster 'default'");
        JsonNode values = tenant.request("completion/complete", Map.of("ref", Map.of("type", "ref/prompt", "name",
                "proxmox_cluster_health_check"), "argument", Map.of("name", "cluster", "value", "")), null);
        assertThat(values.path("completion").path("values")).extracting(JsonNode::asText).containsExactly("lab");
        JsonNode adminValues = admin.request("completion/complete", Map.of("ref", Map.of("type", "ref/prompt",
                "name", "proxmox_cluster_health_check"), "argument", Map.of("name", "cluster", "value", "")), null);
        assertThat(adminValues.path("completion").path("values")).extracting(JsonNode::asText)
                .containsExactly("default", "lab");

        // REST: the same call path
        HttpResponse<String> rest = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port() + "/api/v1/tools/proxmox_vm_list")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"cluster\":\"default\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(rest.statusCode()).as(rest.body()).isBetween(400, 499);
        assertThat(rest.body()).contains("yours: lab");
        HttpResponse<String> restOwn = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port() + "/api/v1/tools/proxmox_vm_list")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(restOwn.statusCode()).as(restOwn.body()).isEqualTo(200);
        assertThat(JSON.readTree(restOwn.body()).toString()).contains("\"cluster\":\"lab\"");
    }

    @Test
    void aTokenMayDoLessInOneClusterThanInAnother() throws Exception {
        // power on the default cluster; on lab only reading, and only the guests of node node001
        String token = Jwts.signed(SECRET, server.url(), "proxmox:read proxmox:power", Duration.ofMinutes(10),
                Map.of("clusters", Map.of("default", Map.of(), "lab", Map.of("scopes", List.of("proxmox:read"),
                        "nodes", List.of("node001")))));
        McpHttpClient ops = client(token);
        McpHttpClient admin = client(server.token());
        JsonNode list = ops.request("tools/list", Map.of(), null);
        assertThat(tool(list, "proxmox_vm_start").path("inputSchema").path("properties").path("cluster").path("enum"))
                .extracting(JsonNode::asText).containsExactly("default", "lab");

        JsonNode labAll = call(admin, "proxmox_vm_list", Map.of("cluster", "lab")).path("structuredContent");
        JsonNode labMine = call(ops, "proxmox_vm_list", Map.of("cluster", "lab")).path("structuredContent");
        assertThat(labMine.path("vms")).as("%s of %s", labMine, labAll).isNotEmpty()
                .allSatisfy(v -> assertThat(v.path("node").asText()).isEqualTo("node001"));
        assertThat(labMine.path("vms").size()).isLessThan(labAll.path("vms").size());
        assertThat(call(ops, "proxmox_vm_list", Map.of()).path("structuredContent").path("vms").size())
                .as("no node limit on the default cluster")
                .isEqualTo(call(admin, "proxmox_vm_list", Map.of()).path("structuredContent").path("vms").size());

        long labVm = labMine.path("vms").get(0).path("vmid").asLong();
        JsonNode refused = call(ops, "proxmox_vm_start", Map.of("cluster", "lab", "vmid", labVm, "dry_run", true));
        assertThat(refused.path("isError").asBoolean()).isTrue();
        assertThat(refused.path("content").get(0).path("text").asText()).contains("needs the scope proxmox:power")
                .contains("On cluster lab your credentials grant proxmox:read");
        JsonNode preview = call(ops, "proxmox_vm_start", Map.of("vmid", 102, "dry_run", true));
        assertThat(preview.path("isError").asBoolean()).as("%s", preview).isFalse();
        assertThat(preview.path("structuredContent").path("cluster").asText()).isEqualTo("default");
    }

    @Test
    void readinessReportsEachClusterAndTokensNameOnlyConfiguredOnes() throws Exception {
        HttpResponse<String> ready = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port() + "/readyz")).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonNode clusters = JSON.readTree(ready.body()).path("checks").path("clusters");
        assertThat(clusters.path("default").path("ok").asBoolean()).as(ready.body()).isTrue();
        assertThat(clusters.path("lab").path("ok").asBoolean()).as(ready.body()).isTrue();

        HttpResponse<String> console = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port() + "/system/console/mcp-tools")).timeout(Duration.ofSeconds(60))
                .header("Authorization", server.bearer()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(console.statusCode()).isEqualTo(200);
        String page = console.body().replaceAll("\\s+", " ");
        assertThat(page).contains("<h2>Proxmox VE clusters</h2>")
                .containsPattern("<td>default \\(default\\)</td><td>[^<]*</td><td>ok</td>")
                .containsPattern("<td>lab</td><td>127.0.0.1</td><td>ok</td><td>[0-9.]+</td><td>2 of 2</td>");

        List<String> cmd = new ArrayList<>(List.of(ServerProcess.DIST.resolve("bin/proxmox-mcp").toString(), "token",
                "create", "--name", "t", "--scopes", "proxmox:read", "--data", dir.resolve("cli").toString(),
                "--clusters", "prod"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PROXMOX_") || k.startsWith("MCP_"));
        pb.environment().put("PVEMCP_CONF", conf.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isEqualTo(2);
        assertThat(out).contains("--clusters: 'prod' is not a configured cluster; configured: lab");
        cmd.set(cmd.size() - 1, "lab");
        cmd.add("--json");
        pb.command(cmd).redirectErrorStream(false);
        p = pb.start();
        out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isEqualTo(0);
        assertThat(JSON.readTree(out).toString()).contains("lab");
    }
}
