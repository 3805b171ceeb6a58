package io.pvemcp.tools.ct.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.testing.JsonSchemas;
import io.pvemcp.testing.RecordingToolCall;
import io.pvemcp.testing.SimulatedCluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The container tools against the simulated demo cluster, with the real Proxmox client. */
class CtToolsTest {

    SimulatedCluster cluster;

    @BeforeEach
    void start() {
        cluster = SimulatedCluster.start();
    }

    @AfterEach
    void stop() {
        assertThat(cluster.simulator().contractViolations()).isEmpty();
        cluster.close();
    }

    ToolResult call(Tool tool, Map<String, Object> args) throws Exception {
        assertThat(JsonSchemas.problems(tool.inputSchema(), args)).as("arguments %s", args).isEmpty();
        ToolResult r = tool.call(new RecordingToolCall(args, cluster.client()));
        if (!r.isError()) {
            assertThat(JsonSchemas.problems(tool.outputSchema(), r.structuredContent())).as(r.text()).isEmpty();
        }
        return r;
    }

    Throwable failure(Tool tool, Map<String, Object> args) {
        try {
            ToolResult r = call(tool, args);
            throw new AssertionError("expected a failure, got " + r.text());
        } catch (CompletionException e) {
            return e.getCause();
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            return e;
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void listsAndDescribesContainers() throws Exception {
        ToolResult list = call(new CtListTool(), Map.of("sort", "name"));
        assertThat((List<Map<String, Object>>) list.structuredContent().get("containers")).extracting(c -> c.get("name"))
                .containsExactly("ci-runner", "dns01", "mail-relay", "nginx-dev", "proxy01");
        ToolResult info = call(new CtGetInfoTool(), Map.of("vmid", 203));
        Map<String, Object> s = info.structuredContent();
        assertThat((List<Map<String, Object>>) s.get("disks")).extracting(d -> d.get("mount_point"))
                .containsExactly("/", "/var/spool/postfix");
        assertThat((List<Map<String, Object>>) s.get("networks")).singleElement().satisfies(n -> assertThat(n)
                .containsEntry("name", "eth0").containsEntry("ip", "10.0.10.203/24").containsEntry("gateway", "10.0.10.1"));
        assertThat((List<String>) s.get("ip_addresses")).containsExactly("10.0.10.203");
        assertThat(info.text()).contains("Container 203 (mail-relay) on pve1: running");
        assertThat(failure(new CtGetInfoTool(), Map.of("vmid", 100)))
                .hasMessageContaining("VMID 100 is a VM (web01 on pve1), not a container.");
    }

    @Test
    void createsFromATemplateNameStartsAndDeletes() throws Exception {
        ToolResult created = call(new CtCreateTool(), Map.of("hostname", "dns02", "template", "debian-13",
                "node", "pve1", "password", "s3cret-root", "ip", "10.0.10.222/24", "gateway", "10.0.10.1",
                "start", true, "tags", List.of("dns")));
        Map<String, Object> s = created.structuredContent();
        assertThat(s).containsEntry("node", "pve1").containsEntry("status", "running").containsEntry("unprivileged", true)
                .containsEntry("template", "local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst");
        assertThat(created.text()).doesNotContain("s3cret-root");
        int vmid = ((Number) s.get("vmid")).intValue();
        assertThat(call(new CtStopTool(), Map.of("vmid", vmid)).structuredContent()).containsEntry("status", "stopped");
        assertThat(call(new CtStopTool(), Map.of("vmid", vmid)).structuredContent()).containsEntry("changed", false);
        assertThat(call(new CtStartTool(), Map.of("vmid", vmid)).structuredContent()).containsEntry("status", "running");
        assertThat(call(new CtRebootTool(), Map.of("vmid", vmid)).structuredContent()).containsEntry("status", "running");
        assertThat(call(new CtShutdownTool(), Map.of("vmid", vmid)).structuredContent()).containsEntry("status", "stopped");
        assertThat(call(new CtDeleteTool(), Map.of("vmid", vmid)).structuredContent()).containsEntry("deleted", true);
    }

    @Test
    void explainsWhatIsMissing() throws Exception {
        assertThat(failure(new CtCreateTool(), Map.of("hostname", "x", "template", "gentoo", "node", "pve1")))
                .isInstanceOf(ToolException.class).hasMessageContaining("No container template on node pve1 matches "
                        + "'gentoo'. Templates there: local:vztmpl/alpine-3.22");
        assertThat(failure(new CtCreateTool(), Map.of("hostname", "x", "template", "debian-13", "gateway", "10.0.0.1")))
                .hasMessage("A gateway goes with a static ip (such as 10.0.0.5/24), not with DHCP.");
        assertThat(failure(new CtCreateTool(), Map.of("hostname", "x", "template", "alpine", "storage", "pbs")))
                .hasMessageContaining("Storage pbs cannot hold container volumes");
        assertThat(failure(new CtDeleteTool(), Map.of("vmid", 200)))
                .hasMessageContaining("Container 200 (dns01) is running; a running container is not deleted");
        ToolResult stopped = call(new CtShutdownTool(), Map.of("vmid", 201));
        assertThat(stopped.text()).isEqualTo("Container 201 (proxy01) is already stopped on pve3; nothing to do.");
    }
}
