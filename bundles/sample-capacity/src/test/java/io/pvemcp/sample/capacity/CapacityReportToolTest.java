package io.pvemcp.sample.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.pvemcp.api.ToolResult;
import io.pvemcp.testing.JsonSchemas;
import io.pvemcp.testing.RecordingToolCall;
import io.pvemcp.testing.SimulatedCluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sample tool against the simulated cluster, the way docs/plugins.md shows it. */
class CapacityReportToolTest {

    SimulatedCluster cluster;
    final CapacityReportTool tool = new CapacityReportTool();

    @BeforeEach
    void start() {
        cluster = SimulatedCluster.start();
    }

    @AfterEach
    void stop() {
        assertThat(cluster.simulator().contractViolations()).as("every call is in the Proxmox VE API").isEmpty();
        cluster.close();
    }

    ToolResult call(Map<String, Object> args) throws Exception {
        assertThat(JsonSchemas.problems(tool.inputSchema(), args)).isEmpty();
        ToolResult r = tool.call(new RecordingToolCall(args, cluster.client()));
        assertThat(JsonSchemas.problems(tool.outputSchema(), r.structuredContent())).as(r.text()).isEmpty();
        return r;
    }

    @Test
    @SuppressWarnings("unchecked")
    void reportsEveryOnlineNodeAndWhereGuestsFit() throws Exception {
        ToolResult r = call(Map.of());
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) r.structuredContent().get("nodes");
        assertThat(nodes).extracting(n -> n.get("node")).containsExactly("pve1", "pve2", "pve3");
        long guests = nodes.stream().mapToLong(n -> ((Number) n.get("guests")).longValue()).sum();
        assertThat(guests).as("the demo cluster's guests without templates").isPositive();
        for (Map<String, Object> n : nodes) {
            assertThat(((Number) n.get("memory_promised_bytes")).longValue()).isNotNegative();
            assertThat(((Number) n.get("memory_total_bytes")).longValue()).isPositive();
        }
        assertThat(r.structuredContent().get("best_node")).isIn("pve1", "pve2", "pve3");
        assertThat(r.text()).contains("most room on");

        long smallFit = ((Number) nodes.get(0).get("more_guests_fit")).longValue();
        List<Map<String, Object>> big = (List<Map<String, Object>>) call(Map.of("memory_gib", 64)).structuredContent()
                .get("nodes");
        assertThat(((Number) big.get(0).get("more_guests_fit")).longValue()).as("bigger guests, fewer fit")
                .isLessThan(Math.max(1, smallFit));
    }

    @Test
    @SuppressWarnings("unchecked")
    void leavesOfflineNodesOut() throws Exception {
        cluster.simulator().setNodeOnline("pve3", false);
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) call(Map.of()).structuredContent().get("nodes");
        assertThat(nodes).extracting(n -> n.get("node")).containsExactly("pve1", "pve2");
    }
}
