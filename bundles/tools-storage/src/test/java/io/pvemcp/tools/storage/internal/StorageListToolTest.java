package io.pvemcp.tools.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.pvemcp.api.ToolResult;
import io.pvemcp.testing.JsonSchemas;
import io.pvemcp.testing.RecordingToolCall;
import io.pvemcp.testing.SimulatedCluster;

import org.junit.jupiter.api.Test;

class StorageListToolTest {

    @Test
    @SuppressWarnings("unchecked")
    void listsSharedStorageOnceAndLocalStoragePerNode() throws Exception {
        try (SimulatedCluster cluster = SimulatedCluster.start()) {
            StorageListTool tool = new StorageListTool();
            ToolResult all = tool.call(new RecordingToolCall(Map.of(), cluster.client()));
            assertThat(JsonSchemas.problems(tool.outputSchema(), all.structuredContent())).isEmpty();
            List<Map<String, Object>> storages = (List<Map<String, Object>>) all.structuredContent().get("storages");
            assertThat(storages).filteredOn(s -> "nfs-shared".equals(s.get("storage"))).singleElement()
                    .satisfies(s -> assertThat((List<String>) s.get("nodes")).containsExactly("pve1", "pve2", "pve3"));
            assertThat(storages).filteredOn(s -> "local-lvm".equals(s.get("storage"))).hasSize(3);
            assertThat(storages).filteredOn(s -> "pbs".equals(s.get("storage"))).singleElement()
                    .satisfies(s -> assertThat(s).containsEntry("server", "10.0.0.60").containsEntry("datastore", "main"));
            assertThat(storages).filteredOn(s -> !"pbs".equals(s.get("type"))).allSatisfy(s -> assertThat(s)
                    .doesNotContainKeys("server", "datastore"));
            assertThat(all.text()).contains("pbs (pbs datastore main on 10.0.0.60, shared");
            assertThat(storages).allSatisfy(s -> assertThat(((Number) s.get("free_bytes")).longValue()
                    + ((Number) s.get("used_bytes")).longValue()).isEqualTo(((Number) s.get("total_bytes")).longValue()));

            ToolResult images = tool.call(new RecordingToolCall(Map.of("node", "pve2", "content", "images",
                    "sort", "free"), cluster.client()));
            assertThat((List<Map<String, Object>>) images.structuredContent().get("storages"))
                    .extracting(s -> s.get("storage")).containsExactly("nfs-shared", "local-lvm");
            assertThat(images.text()).contains("nfs-shared (nfs, shared, seen from pve2");

            cluster.simulator().setNodeOnline("pve3", false);
            ToolResult offline = tool.call(new RecordingToolCall(Map.of("node", "pve3"), cluster.client()));
            assertThat((List<String>) offline.structuredContent().get("warnings")).singleElement().asString()
                    .startsWith("Node pve3 is offline");
            assertThat((List<Map<String, Object>>) offline.structuredContent().get("storages"))
                    .allSatisfy(s -> assertThat(s).containsEntry("status", "unknown").doesNotContainKey("total_bytes"));
            assertThat(cluster.simulator().contractViolations()).isEmpty();
        }
    }
}
