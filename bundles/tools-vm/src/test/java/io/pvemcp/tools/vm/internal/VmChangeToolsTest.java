package io.pvemcp.tools.vm.internal;

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

class VmChangeToolsTest {

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
    void clonesFullOrLinked() throws Exception {
        ToolResult full = tools.call(new VmCloneTool(), Map.of("vmid", 100, "name", "web01-copy"));
        int copy = (Integer) full.structuredContent().get("vmid");
        assertThat(full.structuredContent()).containsEntry("name", "web01-copy").containsEntry("full", true)
                .containsEntry("node", "pve1").containsEntry("status", "stopped");
        assertThat(full.text()).contains("is a full clone of VM 100 (web01)", "proxmox_vm_start");
        assertThat((String) tools.config("pve1", "qemu", copy).get("scsi0")).startsWith("local-lvm:vm-" + copy + "-disk-0");

        Preview linked = tools.preview(new VmCloneTool(), Map.of("vmid", 9000, "name", "from-template"));
        assertThat(linked.summary()).contains("linked clone of VM 9000", "sharing the template's disks");
        ToolResult l = tools.call(new VmCloneTool(), Map.of("vmid", 9000, "name", "from-template"));
        assertThat(l.structuredContent()).containsEntry("full", false);
        assertThat(tools.refusal(Exception.class, new VmCloneTool(), Map.of("vmid", 100, "full", false)))
                .hasMessageContaining("A linked clone needs a template");
        assertThat(tools.refusal(Exception.class, new VmCloneTool(), Map.of("vmid", 100, "target_node", "pve2")))
                .hasMessageContaining("local storage");
    }

    @Test
    void migratesOfflineAndLive() throws Exception {
        Preview cold = tools.preview(new VmMigrateTool(), Map.of("vmid", 102, "target", "pve3"));
        assertThat(cold.summary()).isEqualTo("Move VM 102 (build01) from pve2 to pve3 while stopped.");
        ToolResult moved = tools.call(new VmMigrateTool(), Map.of("vmid", 102, "target", "pve3"));
        assertThat(moved.structuredContent()).containsEntry("node", "pve3").containsEntry("from", "pve2")
                .containsEntry("mode", "offline");

        Preview live = tools.preview(new VmMigrateTool(), Map.of("vmid", 100, "target", "pve2"));
        assertThat(live.summary()).contains("live: it keeps running", "local disks (local-lvm:vm-100-disk-0)");
        assertThat(live.requests().get(0).params()).containsEntry("online", 1).containsEntry("with-local-disks", 1);
        ToolResult hot = tools.call(new VmMigrateTool(), Map.of("vmid", 100, "target", "pve2"));
        assertThat(hot.structuredContent()).containsEntry("node", "pve2").containsEntry("status", "running")
                .containsEntry("mode", "online");
        assertThat(tools.config("pve2", "qemu", 100)).containsKey("scsi0");

        ToolResult toNfs = tools.call(new VmMigrateTool(), Map.of("vmid", 107, "target", "pve1", "target_storage",
                "nfs-shared"));
        assertThat(toNfs.structuredContent()).containsEntry("node", "pve1");
        assertThat((String) tools.config("pve1", "qemu", 107).get("scsi0")).startsWith("nfs-shared:107/vm-107-disk-0.qcow2");
        assertThat(tools.refusal(Exception.class, new VmMigrateTool(), Map.of("vmid", 102, "target", "pve1", "target_storage", "local-lvm")))
                .hasMessageContaining("has no local disks");
        assertThat(tools.refusal(Exception.class, new VmMigrateTool(), Map.of("vmid", 104, "target", "pve3")))
                .hasMessageContaining("already on pve3");
        assertThat(tools.refusal(Exception.class, new VmMigrateTool(), Map.of("vmid", 104, "target", "pve1", "offline", true)))
                .hasMessageContaining("is running and offline was asked");
        cluster.simulator().setNodeOnline("pve1", false);
        assertThat(tools.refusal(Exception.class, new VmMigrateTool(), Map.of("vmid", 104, "target", "pve1")))
                .hasMessageContaining("offline");
    }

    @Test
    void growsADiskAndNeverShrinksIt() throws Exception {
        ToolResult grown = tools.call(new VmResizeTool(), Map.of("vmid", 100, "size", "+10G"));
        assertThat(grown.structuredContent()).containsEntry("disk", "scsi0").containsEntry("old_size", "32.0 GiB")
                .containsEntry("new_size", "42.0 GiB");
        assertThat(grown.text()).contains("grew from 32.0 GiB to 42.0 GiB", "growpart");
        assertThat((String) tools.config("pve1", "qemu", 100).get("scsi0")).contains("size=42G");
        assertThat(tools.refusal(Exception.class, new VmResizeTool(), Map.of("vmid", 100, "size", "40G")))
                .hasMessageContaining("Proxmox cannot shrink a disk");
        assertThat(tools.refusal(Exception.class, new VmResizeTool(), Map.of("vmid", 100, "size", "+1G", "disk", "scsi7")))
                .hasMessageContaining("has no disk scsi7").hasMessageContaining("scsi0");
        assertThat(tools.preview(new VmResizeTool(), Map.of("vmid", 100, "size", "64G")).summary())
                .contains("from 42.0 GiB to 64.0 GiB", "cannot be shrunk again");
    }

    @Test
    @SuppressWarnings("unchecked")
    void changesSettingsWithADiffAndDetachesWhatWasAdded() throws Exception {
        Preview p = tools.preview(new VmConfigTool(), Map.of("vmid", 107, "cores", 4, "tags", List.of("staging")));
        assertThat(p.summary()).contains("cores 2 → 4", "tags staging;web → staging");
        ToolResult r = tools.call(new VmConfigTool(), Map.of("vmid", 107, "cores", 4, "memory_mb", 3072,
                "add_nic", Map.of("bridge", "vmbr1", "vlan", 30), "add_disk", Map.of("size_gb", 10),
                "ci_user", "ops", "ci_password", "s3cret-pass", "ip_config", "ip=10.0.20.7/24,gw=10.0.20.1",
                "startup_order", 2));
        List<Map<String, Object>> changes = (List<Map<String, Object>>) r.structuredContent().get("changes");
        assertThat(changes).extracting(c -> c.get("key")).contains("cores", "memory", "net1", "scsi1", "ciuser",
                "ipconfig0", "startup", "cipassword");
        assertThat(changes).filteredOn(c -> c.get("key").equals("cipassword")).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("new", "(hidden)"));
        assertThat(r.text()).contains("cores 2 → 4", "net1 added").doesNotContain("s3cret-pass");
        Map<String, Object> cfg = tools.config("pve3", "qemu", 107);
        assertThat((String) cfg.get("net1")).contains("bridge=vmbr1", "tag=30");
        assertThat((String) cfg.get("scsi1")).startsWith("local-lvm:vm-107-disk-");

        ToolResult same = tools.call(new VmConfigTool(), Map.of("vmid", 107, "cores", 4));
        assertThat(same.text()).contains("already has these settings");
        ToolResult detached = tools.call(new VmConfigTool(), Map.of("vmid", 107, "detach", List.of("net1", "scsi1")));
        assertThat(tools.config("pve3", "qemu", 107)).doesNotContainKeys("net1", "scsi1").containsKey("unused0");
        assertThat(detached.text()).contains("net1 removed", "scsi1 removed");
        assertThat(tools.refusal(Exception.class, new VmConfigTool(), Map.of("vmid", 107, "detach", List.of("net5"))))
                .hasMessageContaining("has no net5");

        ToolResult live = tools.call(new VmConfigTool(), Map.of("vmid", 100, "memory_mb", 6144));
        assertThat((List<String>) live.structuredContent().get("pending")).contains("memory");
        assertThat(live.text()).contains("Waiting for its next start");
        ToolResult cd = tools.call(new VmConfigTool(), Map.of("vmid", 100, "cdrom", "local:iso/debian-13.1.0-amd64-netinst.iso"));
        assertThat(cd.text()).contains("ide2");
    }

    @Test
    void templatesSuspendResumeAndTheAgent() throws Exception {
        assertThat(tools.refusal(Exception.class, new VmTemplateTool(), Map.of("vmid", 100))).hasMessageContaining("is running");
        assertThat(tools.preview(new VmTemplateTool(), Map.of("vmid", 107)).summary())
                .contains("never started again", "cannot be undone");
        assertThat(tools.call(new VmTemplateTool(), Map.of("vmid", 107)).structuredContent()).containsEntry("changed", true);
        assertThat(tools.call(new VmTemplateTool(), Map.of("vmid", 107)).structuredContent()).containsEntry("changed", false);

        assertThat(tools.call(new VmSuspendTool(), Map.of("vmid", 104)).structuredContent()).containsEntry("state", "paused");
        assertThat(tools.call(new VmSuspendTool(), Map.of("vmid", 104)).structuredContent()).containsEntry("changed", false);
        assertThat(tools.call(new VmResumeTool(), Map.of("vmid", 104)).structuredContent()).containsEntry("state", "running");
        assertThat(tools.call(new VmSuspendTool(), Map.of("vmid", 104, "to_disk", true)).structuredContent())
                .containsEntry("state", "hibernated");
        assertThat(tools.call(new VmResumeTool(), Map.of("vmid", 104)).structuredContent()).containsEntry("state", "running");

        ToolResult agent = tools.call(new VmAgentInfoTool(), Map.of("vmid", 100));
        assertThat(agent.text()).startsWith("VM 100 (web01) runs Debian GNU/Linux 13").contains("eth0", "/ (ext4)");
        assertThat((List<?>) agent.structuredContent().get("filesystems")).isNotEmpty();
        assertThat(tools.refusal(Exception.class, new VmAgentInfoTool(), Map.of("vmid", 106))).hasMessageContaining("qemu-guest-agent");
        assertThat(tools.refusal(Exception.class, new VmAgentInfoTool(), Map.of("vmid", 102))).hasMessageContaining("is stopped");
    }
}
