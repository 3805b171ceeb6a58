package io.pvemcp.tools.ct.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.pvemcp.api.Preview;
import io.pvemcp.api.ToolResult;
import io.pvemcp.testing.SimulatedCluster;
import io.pvemcp.testing.ToolCalls;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CtChangeToolsTest {

    SimulatedCluster cluster;
    ToolCalls tools;

    @BeforeEach
    void start() {
        cluster = SimulatedCluster.start();
        tools = new ToolCalls(cluster.client());
    }

    @AfterEach
    void stop() {
        assertThat(cluster.simulator().contractViolations()).isEmpty();
        cluster.close();
    }

    @Test
    void clonesMigratesWithARestartAndGrows() throws Exception {
        ToolResult clone = tools.call(new CtCloneTool(), Map.of("vmid", 201, "name", "dns02", "newid", 250));
        assertThat(clone.structuredContent()).containsEntry("vmid", 250).containsEntry("name", "dns02")
                .containsEntry("node", "pve3");
        assertThat(tools.config("pve3", "lxc", 250)).containsEntry("hostname", "dns02");
        ToolResult linked = tools.call(new CtCloneTool(), Map.of("vmid", 8000));
        assertThat(linked.structuredContent()).containsEntry("full", false);

        Preview restart = tools.preview(new CtMigrateTool(), Map.of("vmid", 202, "target", "pve3"));
        assertThat(restart.summary()).contains("shut down, moved and started again");
        assertThat(restart.interrupts()).isTrue();
        ToolResult moved = tools.call(new CtMigrateTool(), Map.of("vmid", 202, "target", "pve3"));
        assertThat(moved.structuredContent()).containsEntry("node", "pve3").containsEntry("mode", "restart")
                .containsEntry("status", "running");
        assertThat(tools.refusal(Exception.class, new CtMigrateTool(), Map.of("vmid", 202, "target", "pve3")))
                .hasMessageContaining("already on pve3");

        ToolResult grown = tools.call(new CtResizeTool(), Map.of("vmid", 200, "size", "+2G", "node", "pve1"));
        assertThat(grown.structuredContent()).containsEntry("disk", "rootfs").containsEntry("new_bytes", 10L << 30);
        assertThat(grown.text()).doesNotContain("growpart");
    }

    @Test
    @SuppressWarnings("unchecked")
    void changesSettingsAddsAndDetachesNicsAndMounts() throws Exception {
        ToolResult r = tools.call(new CtConfigTool(), Map.of("vmid", 201, "hostname", "dns-b", "swap_mb", 256,
                "add_nic", Map.of("bridge", "vmbr1", "ip", "10.0.30.5/24", "gateway", "10.0.30.1"),
                "add_mount", Map.of("path", "/srv/data", "size_gb", 4), "onboot", true));
        List<Map<String, Object>> changes = (List<Map<String, Object>>) r.structuredContent().get("changes");
        assertThat(changes).extracting(c -> c.get("key")).contains("hostname", "swap", "net1", "mp0", "onboot");
        Map<String, Object> cfg = tools.config("pve3", "lxc", 201);
        assertThat((String) cfg.get("net1")).contains("name=eth1", "bridge=vmbr1", "ip=10.0.30.5/24", "gw=10.0.30.1");
        assertThat((String) cfg.get("mp0")).startsWith("local-lvm:vm-201-disk-").contains("mp=/srv/data");

        tools.call(new CtConfigTool(), Map.of("vmid", 201, "detach", List.of("net1", "mp0")));
        assertThat(tools.config("pve3", "lxc", 201)).doesNotContainKeys("net1", "mp0").containsKey("unused0");
        assertThat(tools.refusal(Exception.class, new CtConfigTool(), Map.of("vmid", 201, "detach", List.of("rootfs"))))
                .hasMessageContaining("rootfs cannot be detached");

        assertThat(tools.refusal(Exception.class, new CtTemplateTool(), Map.of("vmid", 200))).hasMessageContaining("is running");
        assertThat(tools.call(new CtTemplateTool(), Map.of("vmid", 204)).structuredContent()).containsEntry("changed", true);
    }
}
