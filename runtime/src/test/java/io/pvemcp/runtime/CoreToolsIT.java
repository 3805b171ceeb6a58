package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.pvemcp.pve.sim.Simulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every core tool end to end: the assembled server as a process, connected to a Proxmox VE simulator (in this
 * JVM, so that tests inject faults directly), driven by the official MCP Java SDK client. Happy paths and the
 * failures users meet: a missing guest, an offline node, a denied permission, a bad argument, a failing task.
 * Afterwards, no request the server sent may have used a path, method or parameter the API contract lacks.
 */
class CoreToolsIT {

    static final String TOKEN = "root@pam!e2e";
    static final String SECRET = "9c4d2e1a-6b3f-4a58-8d7e-0f1a2b3c4d5e";
    static final String AUDITOR = "auditor@pve!monitoring";
    static final String AUDITOR_SECRET = "5e2c1b8a-7f14-4d0e-9b3a-6c9f2e1d4a70";
    /** Signs the MCP clients' tokens (SECRET_KEY). */
    static final String MCP_SECRET = "core-tools-it-signing-secret-0123456789abcdef";

    @TempDir
    static Path data;
    @TempDir
    static Path limitedData;
    static Simulator sim;
    static ServerProcess server;
    static McpSyncClient client;
    static final List<McpSchema.ProgressNotification> PROGRESS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        sim = Simulator.builder().port(0).apiToken(TOKEN, SECRET).taskTimeScale(0.05)
                .authFailureDelay(Duration.ZERO).start();
        server = ServerProcess.start("core-tools-server", List.of("--data", data.toString()), proxmox(TOKEN, SECRET));
        client = connect(server);
    }

    /** The tools themselves are tested here, as an automation server runs them: no confirmations, no per-minute cap. */
    static Map<String, String> proxmox(String token, String secret) {
        return Map.of("PROXMOX_HOST", "127.0.0.1", "PROXMOX_PORT", Integer.toString(sim.port()), "PROXMOX_TOKEN_ID",
                token, "PROXMOX_TOKEN_SECRET", secret, "PROXMOX_FINGERPRINT", sim.fingerprint(), "SECRET_KEY",
                MCP_SECRET, "MCP_CONFIRM", "none", "MCP_DESTROY_PER_MINUTE", "0", "PROXMOX_CACHE_TTL_MS",
                Integer.toString(CACHE_TTL_MS));
    }

    static McpSyncClient connect(ServerProcess s) {
        var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + s.port()).endpoint("/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(new ObjectMapper()))
                .httpRequestCustomizer((b, method, uri, body, ctx) -> b.header("Authorization", s.bearer())).build();
        McpSyncClient c = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(120))
                .clientInfo(new McpSchema.Implementation("core-tools-it", "1.0.0")).progressConsumer(PROGRESS::add).build();
        c.initialize();
        return c;
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (client != null) {
                client.closeGracefully();
            }
            if (server != null) {
                assertThat(server.stop()).isTrue();
                assertThat(server.log()).doesNotContain(SECRET).doesNotContain(MCP_SECRET).doesNotContain(server.token());
            }
            assertThat(sim.contractViolations()).as("requests outside the Proxmox VE 9.1 API contract").isEmpty();
        } finally {
            sim.close();
        }
    }

    // ---- helpers

    record Answer(boolean error, String text, Map<String, Object> data) {
    }

    static Answer call(McpSyncClient c, String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = c.callTool(McpSchema.CallToolRequest.builder().name(tool).arguments(args)
                .progressToken(tool + "-" + System.nanoTime()).build());
        String text = r.content().isEmpty() ? "" : ((McpSchema.TextContent) r.content().get(0)).text();
        @SuppressWarnings("unchecked")
        Map<String, Object> data = r.structuredContent() instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        return new Answer(Boolean.TRUE.equals(r.isError()), text, data);
    }

    static Answer ok(String tool, Map<String, Object> args) {
        Answer a = call(client, tool, args);
        assertThat(a.error()).as("%s %s failed: %s", tool, args, a.text()).isFalse();
        assertThat(a.data()).as("%s returns structured content", tool).isNotNull();
        return a;
    }

    static Answer fails(String tool, Map<String, Object> args) {
        Answer a = call(client, tool, args);
        assertThat(a.error()).as("%s %s should fail, answered: %s", tool, args, a.text()).isTrue();
        return a;
    }

    static long number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    // ---- tests

    @Test
    @SuppressWarnings("unchecked")
    void listsEveryCoreTool() {
        List<String> names = new ArrayList<>();
        for (McpSchema.Tool t : client.listTools().tools()) {
            names.add(t.name());
        }
        assertThat(names).contains("proxmox_vm_list", "proxmox_vm_get_info", "proxmox_vm_create", "proxmox_vm_start",
                "proxmox_vm_stop", "proxmox_vm_shutdown", "proxmox_vm_reboot", "proxmox_vm_delete", "proxmox_ct_list",
                "proxmox_ct_get_info", "proxmox_ct_create", "proxmox_ct_start", "proxmox_ct_stop", "proxmox_ct_shutdown",
                "proxmox_ct_delete", "proxmox_storage_list", "proxmox_cluster_status", "proxmox_cluster_nodes",
                "proxmox_cluster_get_node_info", "proxmox_system_version", "proxmox_test_connection",
                "proxmox_task_status", "proxmox_task_list", "proxmox_task_log", "proxmox_task_stop",
                "proxmox_approval_status", "proxmox_snapshot_list", "proxmox_snapshot_create",
                "proxmox_snapshot_rollback", "proxmox_snapshot_delete", "proxmox_storage_content",
                "proxmox_template_list", "proxmox_template_download", "proxmox_storage_download",
                "proxmox_volume_delete", "proxmox_backup_list", "proxmox_backup_create", "proxmox_backup_restore",
                "proxmox_backup_restore_over", "proxmox_backup_update", "proxmox_backup_jobs",
                "proxmox_backup_job_run", "proxmox_vm_clone", "proxmox_vm_migrate", "proxmox_vm_resize",
                "proxmox_vm_config", "proxmox_vm_template", "proxmox_vm_suspend", "proxmox_vm_resume",
                "proxmox_vm_agent_info", "proxmox_ct_clone", "proxmox_ct_migrate", "proxmox_ct_resize",
                "proxmox_ct_config", "proxmox_ct_template", "proxmox_api", "proxmox_api_describe", "proxmox_metrics", "proxmox_cluster_top", "proxmox_pool_list", "proxmox_pool_create", "proxmox_pool_members",
                "proxmox_pool_delete", "proxmox_ha_status", "proxmox_ha_set", "proxmox_ha_remove",
                "proxmox_firewall_rules", "proxmox_firewall_rule_add", "proxmox_firewall_rule_delete",
                "proxmox_firewall_options", "proxmox_access_list", "proxmox_user_set", "proxmox_token_set",
                "proxmox_group_set", "proxmox_role_set", "proxmox_acl_set", "proxmox_access_delete",
                "proxmox_permissions", "proxmox_network_list", "proxmox_network_set", "proxmox_network_delete",
                "proxmox_network_apply", "proxmox_sdn_list", "proxmox_ha_rule_set", "proxmox_cluster_log",
                "proxmox_replication_list", "proxmox_ceph_status", "proxmox_firewall_rule_update",
                "proxmox_firewall_objects", "proxmox_firewall_object_set");
        for (McpSchema.Tool t : client.listTools().tools()) {
            assertThat(t.annotations()).as("hints of %s", t.name()).isNotNull();
            assertThat(t.outputSchema()).as("output schema of %s", t.name()).isNotNull();
            if (t.name().endsWith("_list") || t.name().endsWith("_get_info") || t.name().startsWith("proxmox_cluster")) {
                assertThat(t.annotations().readOnlyHint()).as("%s is read-only", t.name()).isTrue();
            }
            if (t.name().endsWith("_delete") || t.name().matches("proxmox_(vm|ct)_stop")) {
                assertThat(t.annotations().destructiveHint()).as("%s is destructive", t.name()).isTrue();
            }
            if (t.name().equals("proxmox_task_stop")) {
                assertThat(t.annotations().destructiveHint()).as("stopping a task is a change").isFalse();
                assertThat(t.annotations().readOnlyHint()).as("left out at its default, false").isNull();
                assertThat((Map<String, Object>) t.inputSchema().get("properties")).containsKey("dry_run");
            }
        }
    }

    /**
     * What a model pays for the whole catalogue: the {@code tools/list} result as JSON, at most 1,000 characters per
     * tool on average (tools/list carries lean schemas, see WireSchemas; descriptions are terse, never missing), so
     * that no new tool makes it grow unnoticed. Figures are printed for the note.
     */
    @Test
    void theToolListStaysWithinItsBudget() throws Exception {
        McpSchema.ListToolsResult list = client.listTools();
        String json = new ObjectMapper().writeValueAsString(list);
        int tools = list.tools().size();
        double perTool = json.length() / (double) tools;
        ObjectMapper m = new ObjectMapper();
        long withoutOutput = 0;
        long modelSees = 0;
        for (McpSchema.Tool t : list.tools()) {
            withoutOutput += m.writeValueAsString(new McpSchema.Tool(t.name(), t.title(), t.description(),
                    t.inputSchema(), null, t.annotations(), t.meta())).length();
            modelSees += m.writeValueAsString(Map.of("name", t.name(), "description", t.description(), "input_schema",
                    t.inputSchema())).length();
        }
        System.out.printf("tools/list: %d tools, %d characters, %.0f per tool; %.0f without output schemas; %.0f of "
                + "name, description and input schema%n", tools, json.length(), perTool, withoutOutput / (double) tools,
                modelSees / (double) tools);
        for (McpSchema.Tool t : list.tools()) {
            assertThat(t.description()).as("description of %s", t.name()).isNotBlank().hasSizeLessThanOrEqualTo(130);
            assertThat(t.outputSchema()).as("output schema of %s", t.name()).isNotNull();
        }
        assertThat(perTool).as("characters per tool in tools/list").isLessThanOrEqualTo(BUDGET_PER_TOOL);
    }

    static final double BUDGET_PER_TOOL = 1_000;

    @Test
    @SuppressWarnings("unchecked")
    void aVmFromCreationToDeletionAsAUserChainsIt() {
        Answer created = ok("proxmox_vm_create", Map.of("name", "e2e-web", "node", "pve2", "cores", 2, "memory_mb", 2048,
                "disk_gb", 16, "iso", "nfs-shared:iso/virtio-win-0.1.271.iso", "tags", List.of("e2e")));
        long vmid = number(created.data(), "vmid");
        assertThat(created.data()).containsEntry("node", "pve2").containsEntry("status", "stopped");
        assertThat(created.text()).startsWith("VM " + vmid + " (e2e-web) exists on pve2");

        PROGRESS.clear();
        sim.setTaskTimeScale(1.0);
        Answer started = ok("proxmox_vm_start", Map.of("vmid", vmid));
        sim.setTaskTimeScale(0.05);
        assertThat(started.data()).containsEntry("status", "running").containsEntry("changed", true);
        assertThat(PROGRESS).as("progress while the start task runs").isNotEmpty()
                .allSatisfy(p -> {
                    assertThat(p.message()).startsWith("Starting VM " + vmid);
                    assertThat(p.total()).as("a task's duration is unknown: no made-up total").isNull();
                });

        Answer info = ok("proxmox_vm_get_info", Map.of("vmid", vmid));
        assertThat(info.data()).containsEntry("status", "running").containsEntry("node", "pve2");
        assertThat((List<Map<String, Object>>) info.data().get("disks")).extracting(d -> d.get("key")).contains("scsi0");

        String upid = (String) ((Map<String, Object>) started.data().get("task")).get("upid");
        Answer task = ok("proxmox_task_status", Map.of("upid", upid));
        assertThat(task.data()).containsEntry("status", "stopped").containsEntry("exit_status", "OK");

        Answer refused = fails("proxmox_vm_delete", Map.of("vmid", vmid));
        assertThat(refused.text()).contains("is running; a running VM is not deleted");
        assertThat(ok("proxmox_vm_shutdown", Map.of("vmid", vmid)).data()).containsEntry("status", "stopped");
        assertThat(ok("proxmox_vm_delete", Map.of("vmid", vmid)).data()).containsEntry("deleted", true);
        assertThat(fails("proxmox_vm_get_info", Map.of("vmid", vmid)).text()).contains("No VM with VMID " + vmid);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aContainerFromCreationToDeletion() {
        Answer created = ok("proxmox_ct_create", Map.of("hostname", "e2e-ct", "template", "alpine", "node", "pve3",
                "password", "e2e-root-pw", "start", true));
        long vmid = number(created.data(), "vmid");
        assertThat(created.data()).containsEntry("status", "running").containsEntry("node", "pve3");
        assertThat(created.text()).doesNotContain("e2e-root-pw");
        Answer listed = ok("proxmox_ct_list", Map.of("name", "e2e-*"));
        assertThat((List<Map<String, Object>>) listed.data().get("containers")).extracting(c -> c.get("vmid"))
                .containsExactly((int) vmid);
        assertThat(ok("proxmox_ct_get_info", Map.of("vmid", vmid)).data()).containsEntry("status", "running");
        assertThat(ok("proxmox_ct_stop", Map.of("vmid", vmid)).data()).containsEntry("status", "stopped");
        assertThat(ok("proxmox_ct_start", Map.of("vmid", vmid)).data()).containsEntry("status", "running");
        assertThat(ok("proxmox_ct_shutdown", Map.of("vmid", vmid)).data()).containsEntry("status", "stopped");
        assertThat(ok("proxmox_ct_delete", Map.of("vmid", vmid)).data()).containsEntry("deleted", true);
        assertThat(fails("proxmox_ct_get_info", Map.of("vmid", vmid)).text()).contains("No container with VMID " + vmid);
    }

    @Test
    void missingGuestsSayWhatWasSearched() {
        for (String tool : List.of("proxmox_vm_get_info", "proxmox_vm_start", "proxmox_vm_stop", "proxmox_vm_shutdown",
                "proxmox_vm_reboot", "proxmox_vm_delete")) {
            assertThat(fails(tool, Map.of("vmid", 4242)).text()).as(tool)
                    .contains("No VM with VMID 4242 exists in the cluster (searched the resources of all nodes)");
        }
        for (String tool : List.of("proxmox_ct_get_info", "proxmox_ct_start", "proxmox_ct_stop", "proxmox_ct_shutdown",
                "proxmox_ct_delete")) {
            assertThat(fails(tool, Map.of("vmid", 4242)).text()).as(tool).contains("No container with VMID 4242");
        }
        assertThat(fails("proxmox_vm_start", Map.of("vmid", 200)).text()).contains("VMID 200 is a container");
        assertThat(fails("proxmox_task_status", Map.of("upid",
                "UPID:pve1:00000001:00000002:00000003:qmstart:100:root@pam:")).text()).contains("no such task");
    }

    @Test
    @SuppressWarnings("unchecked")
    void offlineNodesAreReportedNotFatal() throws InterruptedException {
        sim.setNodeOnline("pve3", false);
        behindTheServersBack();
        try {
            Answer vms = ok("proxmox_vm_list", Map.of());
            assertThat((List<String>) vms.data().get("warnings")).anySatisfy(w -> assertThat(w).startsWith("Node pve3 is offline"));
            assertThat((List<Map<String, Object>>) vms.data().get("vms")).filteredOn(v -> "pve3".equals(v.get("node")))
                    .isNotEmpty().allSatisfy(v -> assertThat(v).containsEntry("status", "unknown"));
            assertThat(ok("proxmox_ct_list", Map.of()).data().get("warnings").toString()).contains("pve3 is offline");
            assertThat(ok("proxmox_storage_list", Map.of()).data().get("warnings").toString()).contains("pve3 is offline");
            assertThat(ok("proxmox_cluster_status", Map.of()).data()).containsEntry("nodes_online", 2)
                    .containsEntry("quorate", true);
            assertThat(ok("proxmox_cluster_nodes", Map.of()).text()).contains("pve3 offline");
            assertThat(fails("proxmox_vm_start", Map.of("vmid", 109)).text()).startsWith("Node pve3 is offline");
            assertThat(fails("proxmox_vm_get_info", Map.of("vmid", 104)).text()).startsWith("Node pve3 is offline");
            assertThat(fails("proxmox_ct_start", Map.of("vmid", 201)).text()).startsWith("Node pve3 is offline");
            assertThat(fails("proxmox_cluster_get_node_info", Map.of("node", "pve3")).text())
                    .startsWith("Node pve3 is offline");
            assertThat(fails("proxmox_vm_create", Map.of("name", "x", "node", "pve3")).text())
                    .isEqualTo("Node pve3 is offline. Online nodes: pve1, pve2.");
        } finally {
            sim.setNodeOnline("pve3", true);
            behindTheServersBack();
        }
    }

    /**
     * The simulator changed without the server's doing: its read cache shows that after its time to live (short
     * here, 2 s by default), as a change made in the Proxmox web interface would.
     */
    static void behindTheServersBack() throws InterruptedException {
        Thread.sleep(CACHE_TTL_MS + 100);
    }

    static final int CACHE_TTL_MS = 200;

    @Test
    void badArgumentsAreRefusedBeforeProxmoxIsAsked() {
        assertThat(fails("proxmox_vm_start", Map.of("vmid", 5)).text()).startsWith("Invalid arguments for proxmox_vm_start")
                .contains("vmid");
        assertThat(fails("proxmox_vm_list", Map.of("status", "sleeping")).text()).contains("status");
        assertThat(fails("proxmox_vm_create", Map.of("name", "no spaces allowed")).text()).contains("name");
        assertThat(fails("proxmox_ct_create", Map.of("hostname", "ok")).text()).contains("template");
        assertThat(fails("proxmox_storage_list", Map.of("content", "movies")).text()).contains("content");
        assertThat(fails("proxmox_cluster_get_node_info", Map.of("node", "bad node!")).text()).contains("node");
        assertThat(fails("proxmox_vm_create", Map.of("name", "twice", "template", 9000, "iso",
                "local:iso/debian-13.1.0-amd64-netinst.iso")).text())
                .isEqualTo("Give either template (to clone) or iso (to install from), not both.");
        assertThat(fails("proxmox_ct_create", Map.of("hostname", "x", "template", "windows-95")).text())
                .contains("No container template on node");
    }

    @Test
    void failingTasksEndWithTheirLog() {
        sim.failTasks("qmstart", "103", "start failed: QEMU exited with code 1", 1);
        Answer start = fails("proxmox_vm_start", Map.of("vmid", 103));
        assertThat(start.text()).startsWith("Starting VM 103 (build02) failed: start failed: QEMU exited with code 1 (task UPID:");
        sim.failTasks("qmcreate", null, "unable to create VM: storage is busy", 1);
        Answer create = fails("proxmox_vm_create", Map.of("name", "doomed", "node", "pve1"));
        assertThat(create.text()).contains("failed: unable to create VM: storage is busy");
        sim.failTasks("vzstop", "200", "container did not stop", 1);
        assertThat(fails("proxmox_ct_stop", Map.of("vmid", 200)).text()).contains("failed: container did not stop");
        sim.setGuestLock(102, "backup");
        try {
            assertThat(fails("proxmox_vm_start", Map.of("vmid", 102)).text())
                    .startsWith("VM 102 (build01) is locked (backup)");
        } finally {
            sim.setGuestLock(102, null);
        }
        sim.setIgnoresShutdown(104, true);
        try {
            Answer timeout = fails("proxmox_vm_shutdown", Map.of("vmid", 104, "timeout", 2));
            assertThat(timeout.text()).startsWith("Shutting down VM 104 (monitoring) failed: VM quit/powerdown failed "
                    + "- got timeout (task UPID:");
        } finally {
            sim.setIgnoresShutdown(104, false);
        }
    }

    @Test
    void deleteRespectsProtection() {
        assertThat(fails("proxmox_vm_delete", Map.of("vmid", 101, "stop_first", true)).text())
                .startsWith("VM 101 (db01) is protected");
    }

    @Test
    void aLimitedTokenIsDeniedWithThePrivilegeAndPath() throws Exception {
        try (ServerProcess limited = ServerProcess.start("core-tools-limited", List.of("--data", limitedData.toString()),
                proxmox(AUDITOR, AUDITOR_SECRET))) {
            McpSyncClient auditor = connect(limited);
            try {
                Answer list = call(auditor, "proxmox_vm_list", Map.of());
                assertThat(list.error()).isFalse();
                for (var c : List.of(
                        List.of("proxmox_vm_start", Map.of("vmid", 102), "/vms/102, VM.PowerMgmt"),
                        List.of("proxmox_vm_stop", Map.of("vmid", 100), "/vms/100, VM.PowerMgmt"),
                        List.of("proxmox_vm_delete", Map.of("vmid", 102), "/vms/102, VM.Allocate"),
                        List.of("proxmox_vm_create", Map.of("name", "nope", "node", "pve1"), "VM.Allocate"),
                        List.of("proxmox_ct_create", Map.of("hostname", "nope", "template", "alpine", "node", "pve1"),
                                "VM.Allocate"),
                        List.of("proxmox_ct_stop", Map.of("vmid", 200), "/vms/200, VM.PowerMgmt"))) {
                    @SuppressWarnings("unchecked")
                    Answer denied = call(auditor, (String) c.get(0), (Map<String, Object>) c.get(1));
                    assertThat(denied.error()).as("%s", c.get(0)).isTrue();
                    assertThat(denied.text()).as("%s", c.get(0)).contains("Proxmox VE refused", (String) c.get(2));
                }
                Answer connection = call(auditor, "proxmox_test_connection", Map.of());
                assertThat(connection.data()).containsEntry("principal", AUDITOR);
            } finally {
                auditor.closeGracefully();
            }
        }
    }

    /** Calls a tool over raw Streamable HTTP, cancels it after a while, and returns the answer it gets. */
    static com.fasterxml.jackson.databind.JsonNode callAndCancel(String tool, Map<String, Object> args, long afterMillis)
            throws Exception {
        ObjectMapper json = new ObjectMapper();
        java.net.http.HttpClient http = ServerProcess.HTTP;
        java.util.function.Function<String, java.net.http.HttpRequest.Builder> req = session -> {
            var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url())).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .header("Authorization", server.bearer());
            return session == null ? b : b.header("Mcp-Session-Id", session);
        };
        var init = http.send(req.apply(null).POST(java.net.http.HttpRequest.BodyPublishers.ofString(ServerProcess.INIT))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        http.send(req.apply(session).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        String call = json.writeValueAsString(Map.of("jsonrpc", "2.0", "id", "to-cancel", "method", "tools/call",
                "params", Map.of("name", tool, "arguments", args)));
        var answer = http.sendAsync(req.apply(session).POST(java.net.http.HttpRequest.BodyPublishers.ofString(call))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        Thread.sleep(afterMillis);
        http.send(req.apply(session).POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\","
                + "\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"to-cancel\",\"reason\":"
                + "\"the user changed their mind\"}}")).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        String last = null;
        for (String line : answer.get(60, java.util.concurrent.TimeUnit.SECONDS).body().split("\n")) {
            if (line.startsWith("data: ")) {
                last = line.substring(6);
            }
        }
        return json.readTree(last);
    }

    @Test
    @SuppressWarnings("unchecked")
    void cancellingACallStopsTheProxmoxTaskItStarted() throws Exception {
        sim.setTaskTimeScale(1.0);
        try {
            var clone = callAndCancel("proxmox_vm_create", Map.of("name", "cancel-me", "template", 9000), 1500);
            String text = clone.at("/result/content/0/text").asText(clone.toString());
            assertThat(clone.at("/result/isError").asBoolean()).as(text).isTrue();
            assertThat(text).contains("cancelled", "was stopped").containsPattern("UPID:pve\\d:[0-9A-F]+:");
            Answer none = ok("proxmox_vm_list", Map.of("name", "cancel-me", "templates", "include"));
            assertThat(none.data()).as("the stopped clone left no VM").containsEntry("total", 0);

            List<Map<String, Object>> running = (List<Map<String, Object>>) ok("proxmox_vm_list", Map.of("status",
                    "running", "node", "pve1")).data().get("vms");
            int vmid = running.stream().map(v -> ((Number) v.get("vmid")).intValue()).filter(v -> v != 106)
                    .findFirst().orElseThrow();
            var shutdown = callAndCancel("proxmox_vm_shutdown", Map.of("vmid", vmid), 1000);
            String said = shutdown.at("/result/content/0/text").asText(shutdown.toString());
            assertThat(said).contains("was stopped").contains("UPID:");
            String upid = said.replaceAll("(?s).*(UPID:[^ ]+:).*", "$1");
            Answer task = ok("proxmox_task_status", Map.of("upid", upid));
            assertThat(String.valueOf(task.data().get("exit_status"))).contains("interrupted");
            assertThat(ok("proxmox_vm_get_info", Map.of("vmid", vmid)).data()).as("the shutdown did not happen")
                    .containsEntry("status", "running");
        } finally {
            sim.setTaskTimeScale(0.05);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void clusterStorageAndSystemTools() {
        Answer status = ok("proxmox_cluster_status", Map.of());
        assertThat(status.data()).containsEntry("cluster_name", "demo").containsEntry("quorate", true);
        Answer nodes = ok("proxmox_cluster_nodes", Map.of());
        assertThat((List<Map<String, Object>>) nodes.data().get("nodes")).hasSize(3);
        Answer node = ok("proxmox_cluster_get_node_info", Map.of("node", "pve1"));
        assertThat(node.data()).containsEntry("node", "pve1").containsKey("memory");
        assertThat(fails("proxmox_cluster_get_node_info", Map.of("node", "pve9")).text())
                .isEqualTo("Node pve9 is not part of the cluster. Nodes: pve1, pve2, pve3.");
        Answer storage = ok("proxmox_storage_list", Map.of("content", "backup"));
        assertThat((List<Map<String, Object>>) storage.data().get("storages")).extracting(s -> s.get("storage"))
                .contains("pbs", "local", "nfs-shared");
        assertThat(ok("proxmox_system_version", Map.of()).data()).containsEntry("version", "9.1.1");
        assertThat(ok("proxmox_test_connection", Map.of()).data()).containsEntry("ok", true);
    }
}
