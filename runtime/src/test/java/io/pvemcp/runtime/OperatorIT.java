package io.pvemcp.runtime;

import static io.pvemcp.runtime.ServerProcess.cli;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pvemcp.runtime.ServerProcess.Cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's day against {@code serve --demo} with dynamic toolsets, through the official TypeScript SDK: a session
 * that enables the toolsets it needs (list_changed), snapshots and rollback, backup and restore, migration, a grown
 * disk, a failed task found and read, destroy-class steps confirmed by the user; and a token bound to one toolset,
 * which sees no other tools over REST.
 */
class OperatorIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    static ServerProcess server;
    static String base;
    static int simPort;

    @BeforeAll
    static void start() throws Exception {
        simPort = ServerProcess.freePort();
        server = ServerProcess.start("operator-server", List.of("--demo", "--sim-port", Integer.toString(simPort),
                "--data", data.toString()), Map.of("MCP_DYNAMIC_TOOLSETS", "true"));
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            assertThat(server.stop()).isTrue();
        }
    }

    @Test
    void anAssistantCarriesOutTheOperatorsRequestsWithTheToolsAlone() throws Exception {
        DemoServerIT.Result r = DemoServerIT.node(List.of("operator-client.mjs"), Map.of("BASE", base, "MCP_TOKEN",
                server.token()));
        Files.createDirectories(ServerProcess.OUT);
        Files.writeString(ServerProcess.OUT.resolve("operator-client.txt"), r.output());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains(
                "\"step\":\"a dynamic session starts with the discovery tools only\",\"ok\":true",
                "\"step\":\"enabling toolsets sends list_changed and brings their tools, and only theirs\",\"ok\":true",
                "\"step\":\"snapshot, change, roll back (confirmed): the configuration is restored\",\"ok\":true",
                "\"step\":\"back up, delete (confirmed), restore: the guest comes back with its configuration and "
                        + "disks\",\"ok\":true",
                "\"step\":\"migrate a VM and grow its disk\",\"ok\":true",
                "\"step\":\"a failed task is found by proxmox_task_list and its log read\",\"ok\":true",
                "\"step\":\"proxmox_api: an invalid call is refused in the contract's words, a valid one adds a "
                        + "firewall rule\",\"ok\":true",
                "\"step\":\"proxmox_metrics: a node's last hour as figures and as a PNG chart the client decodes\","
                        + "\"ok\":true",
                "\"step\":\"pools: create one, move a guest in and out, delete it (confirmed)\",\"ok\":true",
                "\"step\":\"HA: a guest is put under HA, shows in the status, and is taken out again\",\"ok\":true",
                "\"step\":\"firewall: port 443 opened on VM 100, a lock-out refused, the rule deleted (confirmed)\","
                        + "\"ok\":true",
                "\"step\":\"access: a read-only colleague with an API token whose secret is shown once\",\"ok\":true",
                "\"step\":\"network: a bridge staged, its diff shown, applied (confirmed), a deletion reverted\","
                        + "\"ok\":true",
                "\"step\":\"cluster extras: the log, replication with the failing job, Ceph with the down OSD, an HA "
                        + "rule\",\"ok\":true",
                "\"step\":\"firewall objects: an IP set blocks addresses on VM 100, a security group is used, a rule "
                        + "is moved\",\"ok\":true");
        readOnlyTokenIsRefusedAStartThroughProxmoxer(r.output());
    }

    /**
     * The token the assistant made for a colleague, used with the real Proxmox client proxmoxer: it reads, starting a
     * VM is refused with 403. Its secret never reached the audit trail or the server's log.
     */
    void readOnlyTokenIsRefusedAStartThroughProxmoxer(String output) throws Exception {
        JsonNode detail = null;
        for (String line : output.lines().toList()) {
            if (line.contains("\"step\":\"access:")) {
                detail = JSON.readTree(line).path("detail");
            }
        }
        assertThat(detail).as(output).isNotNull();
        String tokenid = detail.path("tokenid").asText();
        String secret = detail.path("secret").asText();
        Process p = new ProcessBuilder(python(), Path.of("src/test/python/proxmoxer_readonly.py").toAbsolutePath()
                .toString(), "127.0.0.1", Integer.toString(simPort), data.resolve("sim/pve-root-ca.pem").toString(),
                tokenid, secret).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("OK   the read-only token reads the cluster", "OK   starting a VM is refused with 403",
                "OK   the VM did not start", "all proxmoxer checks passed");
        String audit = Files.readString(data.resolve("audit/audit.jsonl"));
        assertThat(audit).contains("proxmox_token_set").doesNotContain(secret).doesNotContain("colleague-password-1");
        assertThat(Files.readString(ServerProcess.OUT.resolve("operator-server.log"))).doesNotContain(secret)
                .doesNotContain("colleague-password-1");
        assertThat(server.stdout()).doesNotContain(secret);
    }

    /** Debian's python3, which has the python3-proxmoxer package (.ci/run installs it). */
    static String python() throws Exception {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import proxmoxer, requests").redirectErrorStream(true)
                        .start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (java.io.IOException e) {
                // not there; try the next
            }
        }
        throw new AssertionError("No Python with proxmoxer: apt-get install python3-proxmoxer python3-requests");
    }

    @Test
    void aTokenBoundToAToolsetSeesOnlyItsTools() throws Exception {
        Cli c = cli("token", "create", "--data", data.toString(), "--url", server.url(), "--name", "snapshots-only",
                "--scopes", "proxmox:read,proxmox:write", "--toolsets", "snapshot", "--ttl", "1h", "--json");
        assertThat(c.exit()).as(c.out()).isZero();
        String token = JSON.readTree(c.out()).path("token").asText();
        HttpResponse<String> list = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tools"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        for (JsonNode t : JSON.readTree(list.body()).path("tools")) {
            names.add(t.path("name").asText());
        }
        assertThat(names).contains("proxmox_snapshot_list", "proxmox_snapshot_create", "proxmox_approval_status")
                .noneMatch(n -> n.startsWith("proxmox_vm_") || n.startsWith("proxmox_backup_"));
        HttpResponse<String> vm = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(base
                + "/api/v1/tools/proxmox_vm_list")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(vm.statusCode()).as(vm.body()).isEqualTo(403);
        assertThat(vm.body()).contains("outside what your token allows (toolsets snapshot)");
        Cli bad = cli("token", "create", "--data", data.toString(), "--url", server.url(), "--name", "bad",
                "--scopes", "proxmox:read", "--toolsets", "VM Tools");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.out()).contains("'VM Tools' is not a toolset name");
    }
}
