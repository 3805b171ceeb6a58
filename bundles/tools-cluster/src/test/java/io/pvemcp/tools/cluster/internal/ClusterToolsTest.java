package io.pvemcp.tools.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.testing.JsonSchemas;
import io.pvemcp.testing.RecordingToolCall;
import io.pvemcp.testing.SimulatedCluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterToolsTest {

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
        assertThat(JsonSchemas.problems(tool.inputSchema(), args)).isEmpty();
        ToolResult r = tool.call(new RecordingToolCall(args, cluster.client()));
        assertThat(JsonSchemas.problems(tool.outputSchema(), r.structuredContent())).as(r.text()).isEmpty();
        return r;
    }

    @Test
    @SuppressWarnings("unchecked")
    void reportsQuorumNodesAndGuests() throws Exception {
        ToolResult healthy = call(new ClusterStatusTool(), Map.of());
        assertThat(healthy.structuredContent()).containsEntry("cluster_name", "demo").containsEntry("quorate", true)
                .containsEntry("nodes_online", 3);
        assertThat((Map<String, Object>) healthy.structuredContent().get("containers")).containsEntry("total", 5)
                .containsEntry("templates", 1);
        assertThat(healthy.text()).startsWith("Cluster 'demo' is quorate: 3 of 3 nodes online (pve1, pve2, pve3).");
        cluster.simulator().setNodeOnline("pve2", false);
        cluster.simulator().setNodeOnline("pve3", false);
        ToolResult broken = call(new ClusterStatusTool(), Map.of());
        assertThat(broken.structuredContent()).containsEntry("quorate", false).containsEntry("nodes_online", 1);
        assertThat(broken.text()).contains("has NO quorum", "pve2 offline", "Proxmox refuses to change guests");
        ToolResult nodes = call(new ClusterNodesTool(), Map.of());
        assertThat((List<Map<String, Object>>) nodes.structuredContent().get("nodes")).extracting(n -> n.get("status"))
                .containsExactly("online", "offline", "offline");
        assertThat((List<String>) nodes.structuredContent().get("warnings")).hasSize(2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void describesANode() throws Exception {
        ToolResult r = call(new NodeInfoTool(), Map.of("node", "pve1"));
        Map<String, Object> s = r.structuredContent();
        assertThat(s).containsEntry("node", "pve1").containsEntry("cpus", 32L).containsEntry("boot_mode", "efi");
        assertThat((List<String>) s.get("bridges")).contains("vmbr0", "vmbr1");
        assertThat((Map<String, Object>) s.get("guests")).containsEntry("vms_total", 3).containsEntry("containers_total", 2);
        assertThat((List<Map<String, Object>>) s.get("storage")).extracting(st -> st.get("storage"))
                .contains("local", "local-lvm", "nfs-shared", "pbs");
        assertThat(r.text()).startsWith("Node pve1 is online");
        assertThatThrownBy(() -> new NodeInfoTool().call(new RecordingToolCall(Map.of("node", "pve7"), cluster.client())))
                .isInstanceOf(ToolException.class).hasMessage("Node pve7 is not part of the cluster. Nodes: pve1, pve2, pve3.");
        cluster.simulator().setNodeOnline("pve3", false);
        assertThatThrownBy(() -> new NodeInfoTool().call(new RecordingToolCall(Map.of("node", "pve3"), cluster.client())))
                .hasMessageStartingWith("Node pve3 is offline");
    }

    @Test
    @SuppressWarnings("unchecked")
    void followsTasks() throws Exception {
        String upid = (String) cluster.client().post("/nodes/{node}/qemu/{vmid}/status/start",
                Map.of("node", "pve2", "vmid", 102)).join();
        ToolResult done = call(new TaskStatusTool(), Map.of("upid", upid));
        assertThat(done.structuredContent()).containsEntry("status", "stopped").containsEntry("exit_status", "OK")
                .containsEntry("succeeded", true).containsEntry("type", "qmstart").containsEntry("id", "102");
        assertThat((List<String>) done.structuredContent().get("log")).last().isEqualTo("TASK OK");
        String failed = (String) cluster.client().post("/nodes/{node}/qemu/{vmid}/status/start",
                Map.of("node", "pve2", "vmid", 102)).join();
        ToolResult error = call(new TaskStatusTool(), Map.of("upid", failed));
        assertThat(error.text()).contains("FAILED: VM 102 already running");

        cluster.simulator().setTaskTimeScale(1.0);
        String slow = (String) cluster.client().post("/nodes/{node}/qemu/{vmid}/status/start",
                Map.of("node", "pve2", "vmid", 103)).join();
        ToolResult running = call(new TaskStatusTool(), Map.of("upid", slow));
        assertThat(running.structuredContent()).containsEntry("status", "running");
        RecordingToolCall waiting = new RecordingToolCall(Map.of("upid", slow, "wait_seconds", 30), cluster.client());
        ToolResult waited = new TaskStatusTool().call(waiting);
        assertThat(waited.structuredContent()).containsEntry("status", "stopped").containsEntry("exit_status", "OK");
        assertThat(waiting.progress).isNotEmpty();
        assertThatThrownBy(() -> new TaskStatusTool().call(new RecordingToolCall(Map.of("upid", "UPID:pve1:nope"),
                cluster.client()))).isInstanceOf(ToolException.class).hasMessageContaining("is not a Proxmox task id");
    }
}
