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

    String started(String path, Map<String, Object> params) {
        return String.valueOf(cluster.client().post(path, params).join());
    }

    void waitEnded(String upid) {
        io.pvemcp.api.pve.Upid u = io.pvemcp.api.pve.Upid.parse(upid);
        cluster.client().awaitTask(upid, java.time.Duration.ofSeconds(60), null).join();
        assertThat(u.node()).isNotEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void listsTasksNewestFirstWithFiltersAndReadsTheirLogs() throws Exception {
        String start = started("/nodes/{node}/qemu/{vmid}/status/start", Map.of("node", "pve2", "vmid", 102));
        waitEnded(start);
        cluster.simulator().setIgnoresShutdown(104, true);
        String shutdown = started("/nodes/{node}/qemu/{vmid}/status/shutdown", Map.of("node", "pve3", "vmid", 104,
                "timeout", 1));
        waitEnded(shutdown);

        ToolResult all = call(new TaskListTool(), Map.of());
        List<Map<String, Object>> tasks = (List<Map<String, Object>>) all.structuredContent().get("tasks");
        assertThat(tasks).extracting(t -> t.get("upid")).contains(start, shutdown);
        assertThat(tasks).extracting(t -> String.valueOf(t.get("started_at"))).isSortedAccordingTo(
                java.util.Comparator.reverseOrder());
        ToolResult mine = call(new TaskListTool(), Map.of("vmid", 102, "type", "qmstart"));
        assertThat((List<Map<String, Object>>) mine.structuredContent().get("tasks")).singleElement()
                .satisfies(t -> assertThat(t).containsEntry("state", "ok").containsEntry("exit_status", "OK")
                        .containsEntry("node", "pve2").containsEntry("id", "102"));
        ToolResult failed = call(new TaskListTool(), Map.of("state", "failed", "since", "1h"));
        assertThat((List<Map<String, Object>>) failed.structuredContent().get("tasks")).extracting(t -> t.get("upid"))
                .containsExactly(shutdown);
        assertThat(failed.text()).contains("qmshutdown 104 on pve3");
        assertThatThrownBy(() -> new TaskListTool().call(new RecordingToolCall(Map.of("since", "yesterday"),
                cluster.client()))).hasMessageContaining("neither a span such as 30m");

        cluster.simulator().setNodeOnline("pve3", false);
        ToolResult partial = call(new TaskListTool(), Map.of());
        assertThat((List<String>) partial.structuredContent().get("warnings")).singleElement().asString()
                .contains("pve3 is offline");

        ToolResult page = call(new TaskLogTool(), Map.of("upid", start, "limit", 1));
        assertThat((List<String>) page.structuredContent().get("lines")).hasSize(1);
        assertThat(page.structuredContent()).containsEntry("next_start", 1);
        ToolResult rest = call(new TaskLogTool(), Map.of("upid", start, "start", 1, "limit", 500));
        assertThat(rest.structuredContent()).doesNotContainKey("next_start");
        assertThat((List<String>) rest.structuredContent().get("lines")).last().asString().startsWith("TASK OK");
    }

    @Test
    void stopsARunningTaskAndSaysWhatItInterrupts() throws Exception {
        cluster.simulator().setTaskTimeScale(1.0);
        String clone = started("/nodes/{node}/qemu/{vmid}/clone", Map.of("node", "pve1", "vmid", 9000, "newid", 150,
                "full", 1));
        TaskStopTool stop = new TaskStopTool();
        io.pvemcp.api.Preview plan = stop.preview(new RecordingToolCall(Map.of("upid", clone), cluster.client()));
        assertThat(plan.summary()).startsWith("Stop task qmclone of 9000 by root@pam!tools on pve1")
                .contains("the clone is interrupted");
        assertThat(plan.requests()).singleElement().satisfies(r -> assertThat(r.method()).isEqualTo("DELETE"));
        ToolResult stopped = call(stop, Map.of("upid", clone));
        assertThat(stopped.structuredContent()).containsEntry("stopped", true).containsEntry("state", "stopped");
        assertThat(String.valueOf(stopped.structuredContent().get("exit_status"))).contains("interrupted");
        ToolResult again = call(stop, Map.of("upid", clone));
        assertThat(again.structuredContent()).containsEntry("stopped", false);
        assertThat(again.text()).contains("had already ended");
        assertThat(stop.preview(new RecordingToolCall(Map.of("upid", clone), cluster.client())).requests()).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theClusterLogNewestFirstNarrowedByText() throws Exception {
        ToolResult all = call(new ClusterLogTool(), Map.of("limit", 5));
        assertThat((List<Map<String, Object>>) all.structuredContent().get("entries")).isNotEmpty().hasSizeLessThanOrEqualTo(5);
        ToolResult started = call(new ClusterLogTool(), Map.of("contains", "CLUSTER 'DEMO' STARTED"));
        assertThat((List<Map<String, Object>>) started.structuredContent().get("entries")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("user", "root@pam").containsKey("time"));
        assertThat(started.text()).startsWith("1 cluster log entries matching, newest first:");
    }

    @Test
    @SuppressWarnings("unchecked")
    void replicationJobsWithTheirStateAndTheFailingOneSaysWhy() throws Exception {
        ToolResult r = call(new ReplicationListTool(), Map.of());
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) r.structuredContent().get("jobs");
        assertThat(r.structuredContent()).containsEntry("failing", 1);
        assertThat(jobs).extracting(j -> j.get("id") + " " + j.get("source") + "→" + j.get("target") + " "
                + j.get("status")).containsExactly("101-0 pve1→pve2 ok", "201-0 pve3→pve1 failing");
        assertThat(jobs.get(1)).containsEntry("fail_count", 3).containsEntry("error",
                "missing replicate feature on volume 'local-lvm:vm-201-disk-0'");
        assertThat(r.text()).contains("- 101-0 (db01) pve1 → pve2, */15: ok, last sync ");
        cluster.simulator().setNodeOnline("pve3", false);
        ToolResult offline = call(new ReplicationListTool(), Map.of("vmid", 201));
        assertThat((List<Map<String, Object>>) offline.structuredContent().get("jobs")).singleElement()
                .satisfies(j -> assertThat(j).containsEntry("status", "unknown (source node pve3 is offline)"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void cephHealthNamesTheDownOsdAndAClusterWithoutCephSaysSo() throws Exception {
        ToolResult r = call(new CephStatusTool(), Map.of());
        assertThat(r.structuredContent()).containsEntry("configured", true).containsEntry("health", "HEALTH_WARN");
        assertThat((List<String>) r.structuredContent().get("checks")).contains("OSD_DOWN: 1 osds down");
        assertThat((Map<String, Object>) r.structuredContent().get("osds")).containsEntry("total", 6L)
                .containsEntry("up", 5L).containsEntry("down", List.of("osd.4 on pve3"));
        assertThat((List<Map<String, Object>>) r.structuredContent().get("pools")).extracting(p -> p.get("name"))
                .containsExactly(".mgr", "vm-pool");
        assertThat(r.text()).startsWith("Ceph: HEALTH_WARN").contains("Monitors: 3 of 3 in quorum",
                "- pool vm-pool: size 3/2, 128 PGs");
        cluster.close();
        cluster = SimulatedCluster.large(3, 10);
        ToolResult none = call(new CephStatusTool(), Map.of());
        assertThat(none.structuredContent()).containsEntry("configured", false);
        assertThat(none.text()).isEqualTo("Ceph is not configured on this cluster.");
    }
}
