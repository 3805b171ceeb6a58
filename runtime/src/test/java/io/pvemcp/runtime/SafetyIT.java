package io.pvemcp.runtime;

import static io.pvemcp.runtime.ServerProcess.cli;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pvemcp.runtime.ServerProcess.Cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A human says yes before anything is destroyed, over MCP (HTTP and stdio) and REST alike: the official TypeScript
 * SDK as a client whose user accepts, one whose user declines and one that cannot ask (its calls approved and
 * rejected in the admin console in Chromium); dry runs that change nothing; the operator's guard rails (a protected
 * tag, an HA guest, the per-session limit, a token without proxmox:destroy); REST calls held for approval; and the
 * audit trail that records each confirmation. The demo server runs with MCP_PROTECTED_TAGS=legacy and at most three
 * destroying calls per session and minute.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SafetyIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "console password for safety tests";

    @TempDir
    static Path data;
    static ServerProcess server;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start("safety-server", List.of("--demo", "--sim-port", Integer.toString(
                ServerProcess.freePort()), "--data", data.toString()), Map.of("MCP_CONSOLE_PASSWORD", PASSWORD,
                "MCP_PROTECTED_TAGS", "legacy", "MCP_DESTROY_PER_MINUTE", "3"));
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            assertThat(server.stop()).isTrue();
        }
    }

    static String token(String name, String scopes, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("token", "create", "--data", data.toString(), "--url", server.url(),
                "--name", name, "--scopes", scopes, "--ttl", "1h", "--json"));
        args.addAll(List.of(more));
        Cli c = cli(args.toArray(String[]::new));
        assertThat(c.exit()).as(c.out()).isZero();
        return JSON.readTree(c.out()).path("token").asText();
    }

    static HttpResponse<String> rest(String tool, String token, Map<String, Object> args) throws Exception {
        return ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tools/" + tool))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(args))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void usersWhoSayYesOrNoAndPeopleInTheConsoleDecide() throws Exception {
        assertThat(Path.of("/usr/bin/chromium")).as("Debian's chromium (apt-get install chromium; .ci/run does)")
                .exists();
        DemoServerIT.Result r = DemoServerIT.node(List.of("safety-client.mjs"), Map.of("BASE", base, "MCP_TOKEN",
                server.token(), "CONSOLE_PASSWORD", PASSWORD, "SHOTS", ServerProcess.OUT.toAbsolutePath().toString()));
        Files.createDirectories(ServerProcess.OUT);
        Files.writeString(ServerProcess.OUT.resolve("safety-client.txt"), r.output());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains(
                "\"step\":\"dry runs answer with the plan and change nothing\",\"ok\":true",
                "\"step\":\"a user who says yes: the VM is deleted after the question\",\"ok\":true",
                "\"step\":\"a user who says no: nothing happens and the result says so\",\"ok\":true",
                "\"step\":\"operator-protected and HA guests are refused before anyone is asked\",\"ok\":true",
                "\"step\":\"a client that cannot ask: the call waits until a person approves it in the console\","
                        + "\"ok\":true",
                "\"step\":\"a call a person rejects in the console does nothing\",\"ok\":true");
    }

    @Test
    @Order(2)
    void restCallsGoThroughTheSameGates() throws Exception {
        String writer = token("safety-writer", "proxmox:read,proxmox:write,proxmox:power");
        HttpResponse<String> noDestroy = rest("proxmox_ct_delete", writer, Map.of("vmid", 201));
        assertThat(noDestroy.statusCode()).as(noDestroy.body()).isEqualTo(403);
        assertThat(noDestroy.body()).contains("needs the scope proxmox:destroy");

        HttpResponse<String> dry = rest("proxmox_ct_delete", server.token(), Map.of("vmid", 201, "dry_run", true));
        assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
        assertThat(JSON.readTree(dry.body()).at("/structuredContent/dry_run/needs_confirmation").asBoolean()).isTrue();

        HttpResponse<String> held = rest("proxmox_ct_delete", server.token(), Map.of("vmid", 201));
        assertThat(held.statusCode()).as(held.body()).isEqualTo(202);
        JsonNode pending = JSON.readTree(held.body());
        assertThat(pending.path("outcome").asText()).isEqualTo("pending");
        String id = pending.path("approval_id").asText();
        assertThat(id).startsWith("ap-");
        assertThat(exists("lxc", 201)).as("nothing happened yet").isTrue();

        HttpResponse<String> approve = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(base
                + "/system/console/mcp-approvals")).header("Authorization", "Bearer " + server.token())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("action=approve&id=" + URLEncoder.encode(id,
                        StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(approve.statusCode()).as(approve.body()).isEqualTo(303);
        JsonNode status = null;
        for (int i = 0; i < 100; i++) {
            status = JSON.readTree(rest("proxmox_approval_status", server.token(), Map.of("approval_id", id)).body());
            if (status.at("/structuredContent/state").asText().equals("done")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(status.at("/structuredContent/state").asText()).as(status.toString()).isEqualTo("done");
        assertThat(status.at("/structuredContent/decided_by").asText()).contains("administrator token");
        assertThat(exists("lxc", 201)).isFalse();
        HttpResponse<String> other = rest("proxmox_approval_status", writer, Map.of("approval_id", id));
        assertThat(other.body()).as("another caller does not see it").contains("There is no approval");
    }

    @Test
    @Order(3)
    void aSessionMayDestroyOnlySoMuchPerMinute() throws Exception {
        String automation = token("safety-automation", "proxmox:admin", "--confirm", "none");
        for (int vmid : new int[] {200, 202, 203}) {
            HttpResponse<String> stop = rest("proxmox_ct_stop", automation, Map.of("vmid", vmid));
            assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
        }
        HttpResponse<String> fourth = rest("proxmox_vm_stop", automation, Map.of("vmid", 104));
        assertThat(fourth.statusCode()).as(fourth.body()).isEqualTo(403);
        assertThat(fourth.body()).contains("3 destroying calls in the last minute");
        JsonNode vm = JSON.readTree(rest("proxmox_vm_get_info", automation, Map.of("vmid", 104)).body());
        assertThat(vm.at("/structuredContent/status").asText()).isEqualTo("running");
        Cli bad = cli("token", "create", "--data", data.toString(), "--url", server.url(), "--name", "bad", "--scopes",
                "proxmox:read", "--confirm", "everything");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.out()).contains("'everything' is not a risk class");
    }

    @Test
    @Order(4)
    void theAuditTrailRecordsEveryConfirmation() throws Exception {
        List<JsonNode> entries = new ArrayList<>();
        for (String line : Files.readAllLines(data.resolve("audit/audit.jsonl"))) {
            entries.add(JSON.readTree(line));
        }
        List<String> how = new ArrayList<>();
        for (JsonNode e : entries) {
            JsonNode c = e.path("confirmation");
            if (!c.isMissingNode()) {
                how.add(e.path("target").asText() + " " + e.path("outcome").asText() + " " + c.path("how").asText()
                        + " " + c.path("answer").asText("yes"));
                assertThat(c.path("at").asText()).isNotEmpty();
                assertThat(c.path("by").asText()).isNotEmpty();
            }
        }
        assertThat(how).contains("proxmox_vm_delete ok elicitation yes", "proxmox_vm_delete declined elicitation "
                + "declined", "proxmox_vm_delete ok console yes", "proxmox_vm_delete rejected console rejected",
                "proxmox_ct_delete ok console yes", "proxmox_vm_stop ok elicitation yes");
        assertThat(entries).extracting(e -> e.path("outcome").asText()).contains("pending");
        Cli verify = cli("audit", "verify", "--data", data.toString());
        assertThat(verify.exit()).as(verify.out()).isZero();
    }

    @Test
    @Order(5)
    void overStdioAClientThatCannotAskIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("safety-stdio");
        DemoServerIT.Result r = DemoServerIT.node(List.of("stdio-safety.mjs", "stdio", "--demo"), Map.of(
                "SERVER", ServerProcess.DIST.resolve("bin/proxmox-mcp").toAbsolutePath().toString(),
                "MCP_DEPLOY_DIR", Files.createDirectories(dir.resolve("deploy")).toString(),
                "MCP_STDIO_SCOPES", "proxmox:admin", "PVEMCP_DATA", dir.resolve("data").toString()));
        Files.writeString(ServerProcess.OUT.resolve("stdio-safety.txt"), r.output());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("\"step\":\"over stdio, a client that cannot ask is refused and nothing "
                + "happens\",\"ok\":true", "\"step\":\"over stdio, a client that asks its user deletes the VM after a "
                + "yes\",\"ok\":true");
    }

    static boolean exists(String type, int vmid) throws Exception {
        String tool = type.equals("lxc") ? "proxmox_ct_get_info" : "proxmox_vm_get_info";
        return rest(tool, server.token(), Map.of("vmid", vmid)).statusCode() == 200;
    }
}
