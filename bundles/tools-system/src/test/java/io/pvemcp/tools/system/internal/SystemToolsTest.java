package io.pvemcp.tools.system.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.ConnectionInfo;
import io.pvemcp.api.pve.ProxmoxException.Kind;

import org.junit.jupiter.api.Test;

class SystemToolsTest {

    static final Map<String, Object> VERSION = Map.of("version", "9.1.1", "release", "9.1", "repoid", "42e1c9a5");

    @Test
    void versionOfTheClusterOrOfANode() throws Exception {
        SystemVersionTool tool = new SystemVersionTool();
        Fakes.Proxmox pve = new Fakes.Proxmox(Map.of("GET /version", VERSION, "GET /nodes/pve2/version", VERSION));
        ToolResult r = tool.call(new Fakes.Call(Map.of(), pve));
        assertThat(r.text()).isEqualTo("Proxmox VE 9.1.1 (release 9.1, repository 42e1c9a5).");
        assertThat(Fakes.problems(tool.outputSchema(), r.structuredContent())).isEmpty();

        ToolResult node = tool.call(new Fakes.Call(Map.of("node", "pve2"), pve));
        assertThat(node.structuredContent()).containsEntry("node", "pve2");
        assertThat(node.text()).endsWith("on node pve2.");
        assertThat(pve.requests).containsExactly("GET /version", "GET /nodes/pve2/version");
        assertThat(Fakes.problems(tool.inputSchema(), Map.of("node", "bad node"))).isNotEmpty();
    }

    @Test
    void connectionTestReportsVersionClusterAndPrivileges() throws Exception {
        TestConnectionTool tool = new TestConnectionTool();
        Fakes.Proxmox pve = new Fakes.Proxmox(Map.of(
                "GET /version", VERSION,
                "GET /cluster/status", List.of(
                        Map.of("type", "cluster", "name", "prod", "quorate", 1, "nodes", 2, "id", "cluster"),
                        Map.of("type", "node", "name", "pve1", "online", 1, "id", "node/pve1"),
                        Map.of("type", "node", "name", "pve2", "online", 0, "id", "node/pve2")),
                "GET /access/permissions", Map.of("/", Map.of("VM.Audit", 1, "Sys.Audit", 1))));
        Fakes.Call call = new Fakes.Call(Map.of(), pve);
        ToolResult r = tool.call(call);
        Map<String, Object> s = r.structuredContent();
        assertThat(s).containsEntry("ok", true).containsEntry("version", "9.1.1").containsEntry("principal", "root@pam!mcp");
        assertThat(s.get("pveCluster")).isEqualTo(Map.of("name", "prod", "quorate", true, "nodes", 2, "nodesOnline", 1));
        assertThat(s.get("privileges")).isEqualTo(List.of("Sys.Audit", "VM.Audit"));
        assertThat(r.text()).contains("Cluster 'prod' is quorate, 1 of 2 nodes online", "2 privileges");
        assertThat(call.progress).hasSize(4);
        assertThat(Fakes.problems(tool.outputSchema(), s)).isEmpty();
    }

    @Test
    void connectionTestNamesTheStageThatFailed() throws Exception {
        TestConnectionTool tool = new TestConnectionTool();
        for (var c : Map.of(Kind.TLS, "tls", Kind.AUTHENTICATION, "authentication", Kind.CONNECTION, "network",
                Kind.TIMEOUT, "network", Kind.PERMISSION, "authorization").entrySet()) {
            Fakes.Proxmox pve = new Fakes.Proxmox(Map.of("GET /version", Fakes.failure(c.getKey(), "what to fix")));
            ToolResult r = tool.call(new Fakes.Call(Map.of(), pve));
            assertThat(r.isError()).isFalse();
            assertThat(r.structuredContent()).containsEntry("ok", false).containsEntry("stage", c.getValue())
                    .containsEntry("error", "what to fix");
            assertThat(r.text()).startsWith("Connection FAILED at the " + c.getValue() + " stage: what to fix");
            assertThat(Fakes.problems(tool.outputSchema(), r.structuredContent())).isEmpty();
        }
    }

    @Test
    void connectionTestWarnsAboutInsecureTlsMissingPrivilegesAndUnreadableStatus() throws Exception {
        Fakes.Proxmox pve = new Fakes.Proxmox(Map.of("GET /version", VERSION,
                "GET /cluster/status", Fakes.failure(Kind.PERMISSION, "needs Sys.Audit"),
                "GET /access/permissions", Map.of()));
        pve.info = new ConnectionInfo(true, "https://pve1:8006/api2/json", "pve1", 8006, "ticket", "alice@pve", "insecure");
        ToolResult r = new TestConnectionTool().call(new Fakes.Call(Map.of(), pve));
        assertThat(r.structuredContent()).containsEntry("ok", true);
        assertThat((List<?>) r.structuredContent().get("warnings")).hasSize(3).anySatisfy(w ->
                assertThat(w.toString()).contains("verification is switched off")).anySatisfy(w ->
                assertThat(w.toString()).contains("needs Sys.Audit")).anySatisfy(w ->
                assertThat(w.toString()).contains("no privileges on '/'"));
    }

    @Test
    void connectionTestSaysHowToConfigure() throws Exception {
        Fakes.Proxmox pve = new Fakes.Proxmox(Map.of());
        pve.info = new ConnectionInfo(false, null, null, 8006, "none", null, "verified");
        ToolResult r = new TestConnectionTool().call(new Fakes.Call(Map.of(), pve));
        assertThat(r.structuredContent()).containsEntry("stage", "configuration");
        assertThat(r.text()).contains("PROXMOX_HOST");
        assertThat(pve.requests).isEmpty();
    }

    @Test
    void overviewCountsGuestsAndSharedStorageOnce() {
        Map<String, Object> overview = ClusterOverviewResource.overview(VERSION,
                List.of(Map.of("type", "cluster", "name", "prod", "quorate", 1)),
                List.of(Map.of("type", "node", "node", "pve2", "status", "online", "cpu", 0.5, "maxcpu", 8,
                                "mem", 50, "maxmem", 200, "uptime", 10),
                        Map.of("type", "node", "node", "pve1", "status", "offline"),
                        Map.of("type", "qemu", "vmid", 100, "status", "running"),
                        Map.of("type", "qemu", "vmid", 101, "status", "stopped"),
                        Map.of("type", "qemu", "vmid", 9000, "status", "stopped", "template", 1),
                        Map.of("type", "lxc", "vmid", 200, "status", "running"),
                        Map.of("type", "storage", "storage", "nfs", "shared", 1, "disk", 10, "maxdisk", 100),
                        Map.of("type", "storage", "storage", "nfs", "shared", 1, "disk", 10, "maxdisk", 100),
                        Map.of("type", "storage", "storage", "local", "shared", 0, "disk", 1, "maxdisk", 5)));
        assertThat(overview.get("cluster")).isEqualTo(Map.of("name", "prod", "quorate", true, "version", "9.1.1",
                "nodes", 2, "nodesOnline", 1L));
        assertThat(overview.get("guests")).isEqualTo(Map.of("qemu", Map.of("running", 1, "stopped", 1, "template", 1),
                "lxc", Map.of("running", 1)));
        assertThat(overview.get("storage")).isEqualTo(Map.of("usedBytes", 11L, "totalBytes", 105L));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) overview.get("nodes");
        assertThat(nodes).extracting(n -> n.get("node")).containsExactly("pve1", "pve2");
        assertThat(nodes.get(1)).containsEntry("cpuPercent", 50.0).containsEntry("memoryPercent", 25.0);
    }

    @Test
    void healthCheckPromptIsReadOnlyAndTakesAFocus() throws Exception {
        HealthCheckPrompt prompt = new HealthCheckPrompt();
        var request = new io.pvemcp.api.PromptRequest() {
            @Override
            public Map<String, String> arguments() {
                return Map.of("focus", "pve2");
            }

            @Override
            public io.pvemcp.api.Caller caller() {
                return io.pvemcp.api.Caller.ANONYMOUS;
            }

            @Override
            public io.pvemcp.api.pve.ProxmoxClient proxmox() {
                throw new AssertionError("the prompt needs no Proxmox access");
            }

            @Override
            public void log(io.pvemcp.api.LogLevel level, String message) {
            }

            @Override
            public io.pvemcp.api.Cancellation cancellation() {
                return null;
            }
        };
        var result = prompt.get(request);
        assertThat(result.messages()).singleElement().satisfies(m -> {
            assertThat(m.role()).isEqualTo("user");
            assertThat(m.text()).contains("Do not change anything", "proxmox_test_connection",
                    "proxmox://cluster/overview", "Look at this first: pve2");
        });
        assertThat(prompt.arguments()).singleElement().satisfies(a -> assertThat(a.required()).isFalse());
    }
}
