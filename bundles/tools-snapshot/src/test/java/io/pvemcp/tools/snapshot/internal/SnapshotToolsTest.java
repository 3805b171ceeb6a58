package io.pvemcp.tools.snapshot.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import io.pvemcp.api.Preview;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.testing.JsonSchemas;
import io.pvemcp.testing.RecordingToolCall;
import io.pvemcp.testing.SimulatedCluster;
import io.pvemcp.testing.ToolCalls;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SnapshotToolsTest {

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

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> snapshots(ToolResult r) {
        return (List<Map<String, Object>>) r.structuredContent().get("snapshots");
    }

    @Test
    void snapshotChangeRollbackRestoresTheConfiguration() throws Exception {
        ToolResult before = tools.call(new SnapshotListTool(), Map.of("vmid", 100));
        assertThat(snapshots(before)).extracting(s -> s.get("name")).containsExactly("before-upgrade");
        assertThat(before.structuredContent()).containsEntry("current_parent", "before-upgrade");

        ToolResult taken = tools.call(new SnapshotCreateTool(), Map.of("vmid", 100, "name", "pre-change", "description",
                "before cores change"));
        assertThat(taken.text()).startsWith("Took snapshot 'pre-change' of VM 100");
        assertThat(taken.structuredContent()).containsEntry("snapshot", "pre-change").containsEntry("ram", false);

        ToolResult tree = tools.call(new SnapshotListTool(), Map.of("vmid", 100));
        assertThat(snapshots(tree)).extracting(s -> s.get("name"), s -> s.get("depth"), s -> s.get("current"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("before-upgrade", 0, false),
                        org.assertj.core.groups.Tuple.tuple("pre-change", 1, true));
        assertThat(tree.text()).contains("has 2 snapshots", "  - pre-change (taken ", "before cores change",
                "← current state");

        cluster.client().put("/nodes/{node}/qemu/{vmid}/config", Map.of("node", "pve1", "vmid", 100, "cores", 6,
                "memory", 8192)).join();
        assertThat(tools.config("pve1", "qemu", 100)).containsEntry("cores", 6);

        Preview p = tools.preview(new SnapshotRollbackTool(), Map.of("vmid", 100, "name", "pre-change"));
        assertThat(p.summary()).contains("back to snapshot 'pre-change'", "Lost for good",
                "cores 6 → 2", "memory 8192 → 4096", "it is stopped", "take a snapshot first");
        assertThat(p.undoable()).isFalse();
        assertThat(p.interrupts()).isTrue();
        assertThat(p.requests()).singleElement().satisfies(r -> assertThat(r.path())
                .isEqualTo("/nodes/pve1/qemu/100/snapshot/pre-change/rollback"));
        assertThat(tools.config("pve1", "qemu", 100)).as("a preview changes nothing").containsEntry("cores", 6);

        ToolResult back = tools.call(new SnapshotRollbackTool(), Map.of("vmid", 100, "name", "pre-change"));
        assertThat(tools.config("pve1", "qemu", 100)).containsEntry("cores", 2).containsEntry("memory", "4096");
        assertThat(back.structuredContent()).containsEntry("status", "stopped");
        assertThat(back.text()).contains("is back at snapshot 'pre-change'", "cores 6 → 2");
        assertThat(back.structuredContent().get("restored")).asList().contains(Map.of("key", "cores", "old", "6",
                "new", "2"));

        ToolResult started = tools.call(new SnapshotRollbackTool(), Map.of("vmid", 100, "name", "before-upgrade",
                "start", true));
        assertThat(started.structuredContent()).containsEntry("status", "running");
    }

    @Test
    void ramSnapshotResumesTheRunningVm() throws Exception {
        ToolResult taken = tools.call(new SnapshotCreateTool(), Map.of("vmid", 104, "ram", true));
        String name = (String) taken.structuredContent().get("snapshot");
        assertThat(name).matches("snap-\\d{8}-\\d{6}");
        assertThat(taken.structuredContent()).containsEntry("ram", true);
        assertThat(snapshots(tools.call(new SnapshotListTool(), Map.of("vmid", 104)))).singleElement()
                .satisfies(s -> assertThat(s).containsEntry("ram", true));
        Preview p = tools.preview(new SnapshotRollbackTool(), Map.of("vmid", 104, "name", name));
        assertThat(p.summary()).contains("resumes from the snapshot's RAM");
        ToolResult back = tools.call(new SnapshotRollbackTool(), Map.of("vmid", 104, "name", name));
        assertThat(back.structuredContent()).containsEntry("status", "running");

        ToolResult stopped = tools.call(new SnapshotCreateTool(), Map.of("vmid", 107, "name", "cold", "ram", true));
        assertThat(stopped.structuredContent()).containsEntry("ram", false);
        assertThat(stopped.text()).contains("is not running, so there is no RAM to save");
    }

    @Test
    void deleteReparentsChildrenAndIsIdempotent() throws Exception {
        tools.call(new SnapshotCreateTool(), Map.of("vmid", 200, "name", "one"));
        tools.call(new SnapshotCreateTool(), Map.of("vmid", 200, "name", "two"));
        Preview p = tools.preview(new SnapshotDeleteTool(), Map.of("vmid", 200, "name", "one"));
        assertThat(p.summary()).startsWith("Delete snapshot 'one' of container 200").contains(
                "can no longer be rolled back to it", "Its children (two) then follow no snapshot.");
        assertThat(p.requests()).singleElement().satisfies(r -> assertThat(r.method()).isEqualTo("DELETE"));
        ToolResult deleted = tools.call(new SnapshotDeleteTool(), Map.of("vmid", 200, "name", "one"));
        assertThat(deleted.structuredContent()).containsEntry("deleted", true);
        ToolResult list = tools.call(new SnapshotListTool(), Map.of("vmid", 200));
        assertThat(snapshots(list)).singleElement().satisfies(s -> assertThat(s).containsEntry("name", "two")
                .doesNotContainKey("parent").containsEntry("current", true));
        ToolResult again = tools.call(new SnapshotDeleteTool(), Map.of("vmid", 200, "name", "one"));
        assertThat(again.structuredContent()).containsEntry("deleted", false);
        assertThat(again.text()).contains("has no snapshot 'one'", "Its snapshots: two.");
    }

    @Test
    void refusesWhatProxmoxWouldRefuseWithWhatToDo() throws Exception {
        assertThatThrownBy(() -> new SnapshotCreateTool().call(new RecordingToolCall(Map.of("vmid", 202),
                cluster.client()))).isInstanceOf(ToolException.class).hasMessageContaining("cannot take snapshots")
                .hasMessageContaining("Back it up instead");
        assertThatThrownBy(() -> new SnapshotCreateTool().call(new RecordingToolCall(Map.of("vmid", 200, "ram", true),
                cluster.client()))).hasMessageStartingWith("Containers have no RAM state");
        assertThatThrownBy(() -> new SnapshotCreateTool().call(new RecordingToolCall(Map.of("vmid", 100, "name",
                "before-upgrade"), cluster.client()))).hasMessageContaining("already has a snapshot 'before-upgrade'");
        assertThatThrownBy(() -> new SnapshotCreateTool().call(new RecordingToolCall(Map.of("vmid", 100, "name",
                "current"), cluster.client()))).hasMessageContaining("reserves");
        assertThatThrownBy(() -> new SnapshotRollbackTool().call(new RecordingToolCall(Map.of("vmid", 100, "name",
                "nope"), cluster.client()))).hasMessage("VM 100 (web01) has no snapshot 'nope'. Its snapshots: "
                        + "before-upgrade.");
        assertThatThrownBy(() -> new SnapshotListTool().call(new RecordingToolCall(Map.of("vmid", 4242),
                cluster.client()))).hasMessageContaining("4242");
        assertThat(JsonSchemas.problems(new SnapshotCreateTool().inputSchema(), Map.of("vmid", 100, "name",
                "has space"))).isNotEmpty();
    }
}
