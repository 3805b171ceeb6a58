package io.pvemcp.tools.vm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.testing.JsonSchemas;
import io.pvemcp.testing.RecordingToolCall;
import io.pvemcp.testing.SimulatedCluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The VM tools against the simulated demo cluster, with the real Proxmox client. */
class VmToolsTest {

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

    static Throwable failure(ThrowingCall c) {
        try {
            c.run();
        } catch (Exception e) {
            return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        }
        throw new AssertionError("expected a failure");
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    @SuppressWarnings("unchecked")
    void listsFiltersSortsAndLimits() throws Exception {
        ToolResult all = call(new VmListTool(), Map.of());
        List<Map<String, Object>> vms = (List<Map<String, Object>>) all.structuredContent().get("vms");
        assertThat(vms).extracting(v -> v.get("vmid")).contains(100L, 101L, 109L).doesNotContain(9000L, 200L);
        assertThat(all.structuredContent()).containsEntry("omitted", 0).containsEntry("total", vms.size());
        assertThat(all.text()).contains("100 web01 [running, pve1, tags production,web]");

        ToolResult filtered = call(new VmListTool(), Map.of("node", "pve2", "status", "stopped", "name", "build*"));
        assertThat((List<Map<String, Object>>) filtered.structuredContent().get("vms")).extracting(v -> v.get("name"))
                .containsExactly("build01", "build02");
        ToolResult tagged = call(new VmListTool(), Map.of("tag", "k8s", "pool", "production"));
        assertThat((List<Map<String, Object>>) tagged.structuredContent().get("vms")).extracting(v -> v.get("vmid"))
                .containsExactly(108L, 109L);
        ToolResult exact = call(new VmListTool(), Map.of("tag", "prod"));
        assertThat((List<Map<String, Object>>) exact.structuredContent().get("vms")).as("a plain tag matches exactly, "
                + "not as a part of 'production'").isEmpty();
        ToolResult byName = call(new VmListTool(), Map.of("name", "web"));
        assertThat((List<Map<String, Object>>) byName.structuredContent().get("vms")).as("nor a name as a part of "
                + "'web01'").isEmpty();
        ToolResult limited = call(new VmListTool(), Map.of("sort", "memory", "limit", 2, "templates", "include"));
        assertThat(limited.structuredContent()).containsEntry("returned", 2);
        assertThat((Integer) limited.structuredContent().get("omitted")).isPositive();
        assertThat(limited.text()).contains("left out: narrow the filters or raise limit");
        ToolResult templates = call(new VmListTool(), Map.of("templates", "only"));
        assertThat((List<Map<String, Object>>) templates.structuredContent().get("vms")).extracting(v -> v.get("vmid"))
                .containsExactly(9000L, 9001L);

        cluster.simulator().setNodeOnline("pve3", false);
        ToolResult offline = call(new VmListTool(), Map.of("node", "pve3"));
        assertThat((List<String>) offline.structuredContent().get("warnings")).singleElement().asString()
                .startsWith("Node pve3 is offline");
        assertThat((List<Map<String, Object>>) offline.structuredContent().get("vms"))
                .allSatisfy(v -> assertThat(v).containsEntry("status", "unknown"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void describesStatusAndConfigurationTogether() throws Exception {
        ToolResult r = call(new VmGetInfoTool(), Map.of("vmid", 100));
        Map<String, Object> s = r.structuredContent();
        assertThat(s).containsEntry("node", "pve1").containsEntry("status", "running").containsEntry("name", "web01");
        assertThat((List<Map<String, Object>>) s.get("disks")).extracting(d -> d.get("key")).contains("scsi0", "ide2");
        assertThat((List<Map<String, Object>>) s.get("networks")).singleElement().satisfies(n -> assertThat(n)
                .containsEntry("model", "virtio").containsEntry("bridge", "vmbr0").containsEntry("firewall", true));
        assertThat((List<String>) s.get("ip_addresses")).containsExactly("10.0.10.100");
        assertThat((List<String>) s.get("snapshots")).containsExactly("before-upgrade");
        assertThat(r.text()).contains("VM 100 (web01) on pve1: running", "Addresses: 10.0.10.100",
                "Snapshots: before-upgrade");

        ToolResult pending = call(new VmGetInfoTool(), Map.of("vmid", 107));
        assertThat((List<Map<String, Object>>) pending.structuredContent().get("pending")).singleElement()
                .satisfies(p -> assertThat(p).containsEntry("key", "memory").containsEntry("pending", "4096"));
        ToolResult noAgent = call(new VmGetInfoTool(), Map.of("vmid", 105));
        assertThat((List<String>) noAgent.structuredContent().get("notes")).anySatisfy(n ->
                assertThat(n).contains("guest agent in the VM does not answer"));

        Throwable missing = failure(() -> call(new VmGetInfoTool(), Map.of("vmid", 999)));
        assertThat(missing).isInstanceOf(ProxmoxException.class).hasMessageContaining("No VM with VMID 999");
        Throwable container = failure(() -> call(new VmGetInfoTool(), Map.of("vmid", 200)));
        assertThat(container).hasMessageContaining("VMID 200 is a container (dns01 on pve1), not a VM.");
        Throwable wrongNode = failure(() -> call(new VmGetInfoTool(), Map.of("vmid", 100, "node", "pve2")));
        assertThat(wrongNode).hasMessageContaining("lives on node pve1, not on pve2");
    }

    @Test
    @SuppressWarnings("unchecked")
    void createsFromAnIsoAndFromATemplate() throws Exception {
        ToolResult iso = call(new VmCreateTool(), Map.of("name", "installer", "node", "pve1", "iso",
                "local:iso/debian-13.1.0-amd64-netinst.iso", "disk_gb", 20, "memory_mb", 4096, "tags",
                List.of("lab", "debian")));
        Map<String, Object> s = iso.structuredContent();
        assertThat(s).containsEntry("node", "pve1").containsEntry("status", "stopped").containsEntry("created_from", "iso")
                .containsEntry("memory_mb", 4096L);
        long vmid = ((Number) s.get("vmid")).longValue();
        assertThat((List<String>) s.get("disks")).contains("scsi0: local-lvm:vm-" + vmid + "-disk-0,iothread=1,size=20G",
                "ide2: local:iso/debian-13.1.0-amd64-netinst.iso,media=cdrom");

        ToolResult clone = call(new VmCreateTool(), Map.of("name", "app01", "template", 9000, "cores", 4,
                "disk_gb", 20, "ci_user", "deploy", "ssh_keys", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake deploy@ci",
                "ip_config", "ip=10.0.20.5/24,gw=10.0.20.1", "start", true));
        Map<String, Object> c = clone.structuredContent();
        assertThat(c).containsEntry("created_from", "template").containsEntry("template", 9000).containsEntry("cores", 4L)
                .containsEntry("status", "running").containsEntry("node", "pve1");
        assertThat((List<?>) c.get("tasks")).hasSize(3);
        long cloned = ((Number) c.get("vmid")).longValue();
        Map<String, Object> config = (Map<String, Object>) cluster.client().get("/nodes/pve1/qemu/{vmid}/config",
                Map.of("vmid", cloned)).join();
        assertThat(config).containsEntry("ciuser", "deploy").containsEntry("ipconfig0", "ip=10.0.20.5/24,gw=10.0.20.1");
        assertThat((String) config.get("sshkeys")).contains("ssh-ed25519%20AAAA");
        assertThat((String) config.get("scsi0")).contains("size=20G");
    }

    @Test
    void createRefusesBadPlacementsWithTheValidChoices() {
        assertThat(failure(() -> call(new VmCreateTool(), Map.of("name", "x", "vmid", 100))))
                .isInstanceOf(ToolException.class).hasMessage("VMID 100 is taken by VM web01 on pve1. Leave vmid out "
                        + "to use the next free one.");
        assertThat(failure(() -> call(new VmCreateTool(), Map.of("name", "x", "storage", "local"))))
                .hasMessageContaining("Storage local cannot hold VM disks").hasMessageContaining("local-lvm, nfs-shared");
        assertThat(failure(() -> call(new VmCreateTool(), Map.of("name", "x", "template", 100))))
                .hasMessageStartingWith("VM 100 (web01) is not a template.");
        assertThat(failure(() -> call(new VmCreateTool(), Map.of("name", "x", "node", "pve9"))))
                .hasMessage("Node pve9 is not part of the cluster. Nodes: pve1, pve2, pve3.");
        cluster.simulator().setNodeOnline("pve3", false);
        assertThat(failure(() -> call(new VmCreateTool(), Map.of("name", "x", "node", "pve3"))))
                .hasMessage("Node pve3 is offline. Online nodes: pve1, pve2.");
    }

    @Test
    void powerActionsFollowTheirTasks() throws Exception {
        ToolResult start = call(new VmStartTool(), Map.of("vmid", 102));
        assertThat(start.structuredContent()).containsEntry("status", "running").containsEntry("changed", true)
                .containsEntry("node", "pve2");
        ToolResult again = call(new VmStartTool(), Map.of("vmid", 102));
        assertThat(again.structuredContent()).containsEntry("changed", false);
        assertThat(again.text()).isEqualTo("VM 102 (build01) is already running on pve2; nothing to do.");
        assertThat(call(new VmRebootTool(), Map.of("vmid", 102)).structuredContent()).containsEntry("status", "running");
        assertThat(call(new VmShutdownTool(), Map.of("vmid", 102)).structuredContent()).containsEntry("status", "stopped");
        assertThat(failure(() -> call(new VmRebootTool(), Map.of("vmid", 102))))
                .hasMessageContaining("is not running, so it cannot be rebooted; start it with proxmox_vm_start");
        assertThat(failure(() -> call(new VmStartTool(), Map.of("vmid", 9000))))
                .hasMessageContaining("is a template and cannot be started");
        cluster.simulator().setGuestLock(103, "backup");
        assertThat(failure(() -> call(new VmStartTool(), Map.of("vmid", 103))))
                .hasMessageStartingWith("VM 103 (build02) is locked (backup): Proxmox refuses to start it");
        cluster.simulator().setGuestLock(103, null);
        cluster.simulator().failTasks("qmstart", "103", "start failed: QEMU exited with code 1", 1);
        ToolResult failed = call(new VmStartTool(), Map.of("vmid", 103));
        assertThat(failed.isError()).isTrue();
        assertThat(failed.text()).startsWith("Starting VM 103 (build02) failed: start failed: QEMU exited with code 1 (task UPID:");
        cluster.simulator().setNodeOnline("pve3", false);
        assertThat(failure(() -> call(new VmStopTool(), Map.of("vmid", 104))))
                .hasMessage("Node pve3 is offline, so VM 104 (monitoring) cannot be reached. Check the cluster with "
                        + "proxmox_cluster_status.");
    }

    @Test
    void shutdownFallsBackToStopWhenAsked() throws Exception {
        cluster.simulator().setIgnoresShutdown(100, true);
        ToolResult refused = call(new VmShutdownTool(), Map.of("vmid", 100, "timeout", 5));
        assertThat(refused.isError()).isTrue();
        assertThat(refused.text()).contains("VM quit/powerdown failed - got timeout");
        ToolResult forced = call(new VmShutdownTool(), Map.of("vmid", 100, "timeout", 5, "force_stop", true));
        assertThat(forced.structuredContent()).containsEntry("status", "stopped");
        assertThat(forced.text()).contains("The task finished with warnings", "terminating now with SIGTERM");
    }

    @Test
    void deleteRefusesRunningAndProtectedVms() throws Exception {
        assertThat(failure(() -> call(new VmDeleteTool(), Map.of("vmid", 104))))
                .hasMessageContaining("VM 104 (monitoring) is running; a running VM is not deleted.");
        assertThat(failure(() -> call(new VmDeleteTool(), Map.of("vmid", 101, "stop_first", true))))
                .hasMessageStartingWith("VM 101 (db01) is protected");
        ToolResult deleted = call(new VmDeleteTool(), Map.of("vmid", 104, "stop_first", true));
        assertThat(deleted.structuredContent()).containsEntry("deleted", true).containsEntry("stopped_first", true);
        assertThat(failure(() -> call(new VmGetInfoTool(), Map.of("vmid", 104)))).hasMessageContaining("No VM with VMID 104");
        ToolResult ha = call(new VmDeleteTool(), Map.of("vmid", 109));
        assertThat(ha.structuredContent()).containsEntry("deleted", true);
        assertThat(cluster.simulator().contractViolations()).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aListOfTenThousandGuestsStillFitsAModelsContext() throws Exception {
        try (SimulatedCluster large = SimulatedCluster.large(50, 10_000)) {
            ToolResult r = new VmListTool().call(new RecordingToolCall(Map.of("status", "running", "sort", "cpu"),
                    large.client()));
            Map<String, Object> s = r.structuredContent();
            assertThat((List<?>) s.get("vms")).hasSize(50);
            assertThat((Integer) s.get("total")).isBetween(5000, 6000);
            assertThat(s.get("omitted")).isEqualTo((Integer) s.get("total") - 50);
            int bytes = io.pvemcp.api.Json.write(s).length() + r.text().length();
            assertThat(bytes).as("structured content and text, in characters").isLessThan(40_000);
            System.out.printf("proxmox_vm_list on 10000 guests: %d matched, 50 returned, %d characters%n",
                    s.get("total"), bytes);
            ToolResult narrow = new VmListTool().call(new RecordingToolCall(Map.of("name", "*-cache-*", "node",
                    "node003", "limit", 1000), large.client()));
            assertThat((List<Map<String, Object>>) narrow.structuredContent().get("vms")).isNotEmpty()
                    .allSatisfy(v -> assertThat(v).containsEntry("node", "node003"));
        }
    }

    @Test
    void reportsProgressWhileWaiting() throws Exception {
        cluster.simulator().setTaskTimeScale(0.5);
        RecordingToolCall call = new RecordingToolCall(Map.of("vmid", 102), cluster.client());
        ToolResult r = new VmStartTool().call(call);
        assertThat(r.structuredContent()).containsEntry("status", "running");
        assertThat(call.progress).isNotEmpty().allSatisfy(p -> assertThat(p).startsWith("Starting VM 102 (build01)"));
    }
}
