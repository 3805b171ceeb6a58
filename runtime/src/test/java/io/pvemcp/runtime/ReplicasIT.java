package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas: server processes pointed at one PostgreSQL database (Debian's server, started here) act as one — one
 * token store (a token the command line revokes is refused by every replica within 2 seconds), one set of switches,
 * held calls approved in any replica's console, one audit chain with interleaved writers (one of them killed
 * mid-write), sessions that stay with their replica (another answers 404, so the client starts anew), and readiness
 * that includes the database. All replicas talk to one simulated Proxmox VE cluster, as replicas behind a Service do.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PUBLIC_URL = "http://mcp.replicas.test/mcp";
    static final String CONSOLE_PASSWORD = "console password of the replicas";

    @TempDir
    static Path dir;
    static PostgresServer pg;
    static SimProcess sim;
    static final Map<String, String> ENV = new HashMap<>();
    static ServerProcess a;
    static ServerProcess b;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresServer.start(dir, "replicas-postgres");
        sim = SimProcess.start(dir.resolve("sim"), 2, 8);
        ENV.putAll(Map.of("PROXMOX_HOST", "127.0.0.1", "PROXMOX_PORT", Integer.toString(sim.port()), "PROXMOX_TOKEN_ID",
                sim.tokenId(), "PROXMOX_TOKEN_SECRET", sim.tokenSecret(), "PROXMOX_CA_FILE", sim.caFile()));
        ENV.putAll(Map.of("MCP_STATE_DB_URL", pg.url(), "MCP_STATE_DB_USER", PostgresServer.USER,
                "MCP_STATE_DB_PASSWORD", PostgresServer.PASSWORD, "MCP_PUBLIC_URL", PUBLIC_URL,
                "MCP_CONSOLE_PASSWORD", CONSOLE_PASSWORD));
        admin = token("replicas-admin", "proxmox:admin");
        a = replica("replica-a");
        b = replica("replica-b");
    }

    static ServerProcess replica(String name) throws Exception {
        return ServerProcess.start(name, List.of("--data", dir.resolve(name).toString()), ENV);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b}) {
            if (c != null) {
                c.close();
            }
        }
        if (sim != null) {
            sim.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    /** Runs {@code proxmox-mcp ARGS} with the replicas' environment (their state database), not the caller's. */
    static ServerProcess.Cli cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ServerProcess.DIST.resolve("bin/proxmox-mcp").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("PROXMOX_") || k.startsWith("MCP_")
                || k.startsWith("SECRET_KEY"));
        pb.environment().putAll(ENV);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new ServerProcess.Cli(p.exitValue(), out);
    }

    static String token(String name, String scopes) throws Exception {
        ServerProcess.Cli c = cli("token", "create", "--data", dir.resolve("cli").toString(), "--name", name,
                "--scopes", scopes, "--ttl", "1h", "--json");
        assertThat(c.exit()).as(c.out()).isZero();
        return JSON.readTree(c.out()).path("token").asText();
    }

    static HttpResponse<String> rest(ServerProcess s, String tool, String token, Map<String, Object> args)
            throws Exception {
        return ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
                + "/api/v1/tools/" + tool)).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(args))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> console(ServerProcess s, String page, String form) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/system/console/"
                + page)).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + admin);
        if (form != null) {
            r.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        }
        return ServerProcess.HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static int initialize(ServerProcess s, String token) throws Exception {
        return ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(s.url())).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(ServerProcess.INIT))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static List<String> toolNames(ServerProcess s) throws Exception {
        try (McpHttpClient c = new McpHttpClient(s.url(), admin)) {
            c.initialize();
            List<String> names = new ArrayList<>();
            c.request("tools/list", Map.of(), null).path("tools").forEach(t -> names.add(t.path("name").asText()));
            return names;
        }
    }

    @Test
    @Order(1)
    void everyReplicaIsReadyWithTheDatabase() throws Exception {
        for (ServerProcess s : List.of(a, b)) {
            HttpResponse<String> ready = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + s.port() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            JsonNode state = JSON.readTree(ready.body()).at("/checks/state");
            assertThat(state.path("ok").asBoolean()).as(ready.body()).isTrue();
            assertThat(state.path("database").asText()).isEqualTo(pg.url().substring("jdbc:".length()))
                    .doesNotContain(PostgresServer.PASSWORD);
            assertThat(s.log()).doesNotContain(PostgresServer.PASSWORD);
        }
        assertThat(toolNames(a)).as("a token the command line issued into the database works on both")
                .isEqualTo(toolNames(b)).contains("proxmox_vm_list");
    }

    @Test
    @Order(2)
    void aTokenRevokedOnceIsRefusedByEveryReplicaWithinTwoSeconds() throws Exception {
        String reader = token("replicas-reader", "proxmox:read");
        assertThat(initialize(a, reader)).isEqualTo(200);
        assertThat(initialize(b, reader)).isEqualTo(200);
        ServerProcess.Cli revoke = cli("token", "revoke", "--data", dir.resolve("cli").toString(), "replicas-reader");
        assertThat(revoke.exit()).as(revoke.out()).isZero();
        long revoked = System.nanoTime();
        boolean refusedByA = false;
        boolean refusedByB = false;
        while (!(refusedByA && refusedByB) && System.nanoTime() - revoked < TimeUnit.SECONDS.toNanos(10)) {
            refusedByA |= initialize(a, reader) == 401;
            refusedByB |= initialize(b, reader) == 401;
            Thread.sleep(50);
        }
        long millis = (System.nanoTime() - revoked) / 1_000_000;
        assertThat(refusedByA && refusedByB).as("both refuse the revoked token").isTrue();
        assertThat(millis).as("refused by both %d ms after the revocation", millis).isLessThan(2000);
        assertThat(initialize(a, admin)).as("other tokens still work").isEqualTo(200);
    }

    @Test
    @Order(3)
    void aSwitchFlippedInOneConsoleAppliesEverywhere() throws Exception {
        HttpResponse<String> off = console(a, "mcp-tools", "action=tool-off&name=proxmox_cluster_nodes");
        assertThat(off.statusCode()).as(off.body()).isEqualTo(303);
        assertThat(toolNames(a)).doesNotContain("proxmox_cluster_nodes");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (toolNames(b).contains("proxmox_cluster_nodes") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(toolNames(b)).as("switched off in A's console, off in B").doesNotContain("proxmox_cluster_nodes");
        HttpResponse<String> refused = rest(b, "proxmox_cluster_nodes", admin, Map.of());
        assertThat(refused.statusCode()).as(refused.body()).isNotEqualTo(200);
        HttpResponse<String> on = console(b, "mcp-tools", "action=tool-on&name=proxmox_cluster_nodes");
        assertThat(on.statusCode()).as(on.body()).isEqualTo(303);
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!toolNames(a).contains("proxmox_cluster_nodes") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(toolNames(a)).as("switched on in B's console, on in A").contains("proxmox_cluster_nodes");
    }

    @Test
    @Order(4)
    void aCallHeldByOneReplicaIsApprovedInAnothersConsole() throws Exception {
        JsonNode vms = JSON.readTree(rest(a, "proxmox_vm_list", admin, Map.of()).body()).path("structuredContent");
        long vmid = -1;
        for (JsonNode vm : vms.path("vms")) {
            if ("running".equals(vm.path("status").asText())) {
                vmid = vm.path("vmid").asLong();
                break;
            }
        }
        assertThat(vmid).as("a running VM in %s", vms).isPositive();
        HttpResponse<String> held = rest(a, "proxmox_vm_stop", admin, Map.of("vmid", vmid));
        assertThat(held.statusCode()).as(held.body()).isEqualTo(202);
        String id = JSON.readTree(held.body()).path("approval_id").asText();
        assertThat(id).startsWith("ap-");

        assertThat(console(b, "mcp-approvals", null).body()).as("B's console lists the call A holds").contains(id);
        HttpResponse<String> approve = console(b, "mcp-approvals", "action=approve&id=" + URLEncoder.encode(id,
                StandardCharsets.UTF_8));
        assertThat(approve.statusCode()).as(approve.body()).isEqualTo(303);
        JsonNode status = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            status = JSON.readTree(rest(a, "proxmox_approval_status", admin, Map.of("approval_id", id)).body());
            if (status.at("/structuredContent/state").asText().equals("done")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(status.at("/structuredContent/state").asText()).as("A tells the outcome B reached: %s", status)
                .isEqualTo("done");
        JsonNode info = JSON.readTree(rest(a, "proxmox_vm_get_info", admin, Map.of("vmid", vmid)).body());
        assertThat(info.toString()).as("the VM is stopped").contains("\"stopped\"");
        JsonNode fromB = JSON.readTree(rest(b, "proxmox_approval_status", admin, Map.of("approval_id", id)).body());
        assertThat(fromB.at("/structuredContent/state").asText()).as("B tells it too: %s", fromB).isEqualTo("done");
    }

    @Test
    @Order(5)
    void oneAuditChainWithInterleavedWritersAndOneKilledMidWrite() throws Exception {
        ServerProcess c = replica("replica-c");
        List<ServerProcess> replicas = List.of(a, b, c);
        Map<ServerProcess, AtomicInteger> acknowledged = new HashMap<>();
        replicas.forEach(r -> acknowledged.put(r, new AtomicInteger()));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService callers = Executors.newFixedThreadPool(9);
        for (ServerProcess r : replicas) {
            for (int t = 0; t < 3; t++) {
                callers.submit(() -> {
                    while (running.get() && !(r == c && killed.get())) {
                        try {
                            HttpResponse<String> resp = rest(r, "proxmox_cluster_nodes", admin, Map.of());
                            if (resp.statusCode() == 200) {
                                acknowledged.get(r).incrementAndGet();
                            }
                        } catch (Exception e) {
                            // the killed replica's connections break
                        }
                    }
                    return null;
                });
            }
        }
        long start = System.nanoTime();
        while (acknowledged.get(c).get() < 30 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
            Thread.sleep(10);
        }
        killed.set(true);
        c.kill();
        Thread.sleep(1500);
        running.set(false);
        callers.shutdown();
        assertThat(callers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        int total = acknowledged.values().stream().mapToInt(AtomicInteger::get).sum();
        assertThat(acknowledged.get(c).get()).as("C answered before it was killed").isGreaterThanOrEqualTo(30);

        ServerProcess.Cli verify = cli("audit", "verify", "--json");
        assertThat(verify.exit()).as(verify.out()).isZero();
        JsonNode v = JSON.readTree(verify.out());
        assertThat(v.path("intact").asBoolean()).as(verify.out()).isTrue();
        assertThat(v.path("database").asText()).doesNotContain(PostgresServer.PASSWORD);
        try (Connection db = pg.connect(); Statement s = db.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM pvemcp_audit WHERE entry::jsonb ->> 'target' = "
                        + "'proxmox_cluster_nodes' AND entry::jsonb ->> 'outcome' = 'ok'")) {
            r.next();
            assertThat(r.getLong(1)).as("every acknowledged call is in the trail (%d acknowledged, %s)", total, verify
                    .out()).isGreaterThanOrEqualTo(total);
        }
        assertThat(v.path("entries").asLong()).isGreaterThanOrEqualTo(total);
        Files.writeString(ServerProcess.OUT.resolve("replicas-audit.txt"), "acknowledged " + total + " by A, B, C "
                + acknowledged.values() + "; " + verify.out());
    }

    @Test
    @Order(6)
    void aSessionIsAnsweredOnlyByItsReplicaAndAnotherSays404() throws Exception {
        HttpResponse<String> init = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(a.url()))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.ofString(
                        ServerProcess.INIT)).build(), HttpResponse.BodyHandlers.ofString());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        String list = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";
        for (ServerProcess s : List.of(a, b)) {
            HttpResponse<String> r = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(s.url()))
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .header("Authorization", "Bearer " + admin).header("Mcp-Session-Id", session)
                    .header("MCP-Protocol-Version", "2025-11-25").POST(HttpRequest.BodyPublishers.ofString(list))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("session of A on %s: %s", s == a ? "A" : "B", r.body())
                    .isEqualTo(s == a ? 200 : 404);
        }
        // the client whose replica went away starts a new session, on whichever replica answers
        assertThat(initialize(b, admin)).isEqualTo(200);
    }

    /**
     * HAProxy (Debian's) in front of A and B, as docs/deployment.md configures it: new sessions balanced, each later
     * request sent to the replica whose answer carried its {@code Mcp-Session-Id} (learnt from the response), and a
     * request for a replica that is gone sent to another, which answers 404. The TypeScript SDK client as the user.
     */
    @Test
    @Order(7)
    void behindABalancerSessionsStayOnTheirReplicaAndClientsOfAGoneOneStartAnew() throws Exception {
        Path haproxy = Path.of("/usr/sbin/haproxy");
        assertThat(haproxy).as("Debian's haproxy (apt-get install haproxy; .ci/run does)").exists();
        int port = ServerProcess.freePort();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, String.join("\n",
                "global",
                "  maxconn 1000",
                "defaults",
                "  mode http",
                "  timeout connect 2s",
                "  timeout client 1h",
                "  timeout server 1h",
                "  retries 2",
                "  option redispatch 1",
                "frontend mcp",
                "  bind 127.0.0.1:" + port,
                "  default_backend replicas",
                "backend replicas",
                "  balance roundrobin",
                "  stick-table type string len 64 size 100k expire 3h",
                "  stick on req.hdr(mcp-session-id)",
                "  stick store-response res.hdr(mcp-session-id)",
                "  option httpchk",
                "  http-check send meth GET uri /readyz hdr Host localhost",
                "  server a 127.0.0.1:" + a.port() + " check inter 500ms fall 2 rise 2",
                "  server b 127.0.0.1:" + b.port() + " check inter 500ms fall 2 rise 2",
                ""));
        Process proxy = new ProcessBuilder(haproxy.toString(), "-db", "-f", cfg.toString()).redirectErrorStream(true)
                .redirectOutput(ServerProcess.OUT.resolve("replicas-haproxy.log").toFile()).start();
        try {
            Thread.sleep(1500);
            assertThat(proxy.isAlive()).as("haproxy runs; see target/e2e/replicas-haproxy.log").isTrue();
            Path node = DemoServerIT.E2E.resolve("node_modules/.bin/node");
            ProcessBuilder pb = new ProcessBuilder(node.toAbsolutePath().toString(), "replicas-client.mjs")
                    .directory(DemoServerIT.E2E.toFile()).redirectErrorStream(true);
            pb.environment().putAll(Map.of("MCP_URL", "http://127.0.0.1:" + port + "/mcp", "MCP_TOKEN", admin,
                    "SESSIONS", "6", "ROUNDS", "3"));
            Process client = pb.start();
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(client.getInputStream(),
                    StandardCharsets.UTF_8));
            StringBuilder said = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null && !line.equals("READY")) {
                said.append(line).append('\n');
            }
            assertThat(line).as("the client opened its sessions: %s", said).isEqualTo("READY");
            b.kill();
            client.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().flush();
            while ((line = out.readLine()) != null) {
                said.append(line).append('\n');
            }
            assertThat(client.waitFor(120, TimeUnit.SECONDS)).isTrue();
            Files.writeString(ServerProcess.OUT.resolve("replicas-client.txt"), said);
            assertThat(client.exitValue()).as(said.toString()).isZero();
            JsonNode counts = JSON.readTree(said.toString().strip().lines().reduce((x, y) -> y).orElseThrow());
            assertThat(counts.path("sessions").asInt()).isEqualTo(6);
            assertThat(counts.path("requestsOk").asInt()).as("every request of every session reached its replica: %s",
                    counts).isEqualTo(18);
            JsonNode after = counts.path("afterKill");
            assertThat(after.path("got404").asInt()).as("B had sessions (new ones are balanced): %s", counts)
                    .isPositive();
            assertThat(after.path("newSession").asInt()).as("each of them started anew on A: %s", counts)
                    .isEqualTo(after.path("got404").asInt());
            assertThat(after.path("sameSession").asInt() + after.path("got404").asInt()).as("A's sessions went on: %s",
                    counts).isEqualTo(6);
            assertThat(after.path("sameSession").asInt()).as("A had sessions too: %s", counts).isPositive();
        } finally {
            proxy.destroy();
            proxy.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(8)
    void withoutItsDatabaseAReplicaIsNotReady() throws Exception {
        pg.close();
        HttpResponse<String> ready = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            ready = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port()
                    + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
            if (ready.statusCode() == 503) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
        JsonNode state = JSON.readTree(ready.body()).at("/checks/state");
        assertThat(state.path("ok").asBoolean()).isFalse();
        assertThat(state.path("error").asText()).as(ready.body()).isNotBlank().doesNotContain(PostgresServer.PASSWORD);
        // the versions a replica compares are at most half a second old: then it asks the database again
        HttpResponse<String> refused = rest(a, "proxmox_vm_list", admin, Map.of());
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (refused.statusCode() == 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            refused = rest(a, "proxmox_vm_list", admin, Map.of());
        }
        assertThat(refused.statusCode()).as("no credential is accepted that cannot be checked: %s", refused.body())
                .isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        pg = null;
    }
}
