package io.pvemcp.tools.backup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.pvemcp.api.Preview;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.testing.SimulatedCluster;
import io.pvemcp.testing.ToolCalls;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BackupToolsTest {

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
    static List<Map<String, Object>> list(ToolResult r, String key) {
        return (List<Map<String, Object>>) r.structuredContent().get(key);
    }

    String newestBackup(int vmid) throws Exception {
        return (String) list(tools.call(new BackupListTool(), Map.of("vmid", vmid)), "backups").get(0).get("volid");
    }

    @Test
    void listsBackupsOfEveryStorageNewestFirst() throws Exception {
        ToolResult web = tools.call(new BackupListTool(), Map.of("vmid", 100));
        assertThat(list(web, "backups")).hasSize(2).allSatisfy(b -> assertThat(b).containsEntry("type", "qemu")
                .containsEntry("guest", "web01").containsEntry("storage", "pbs").containsEntry("verified", "ok"));
        assertThat(web.text()).startsWith("2 backups of 100, newest first:").contains("VM 100 web01", "web01 nightly");
        ToolResult all = tools.call(new BackupListTool(), Map.of());
        assertThat(list(all, "backups")).extracting(b -> b.get("vmid")).contains(100L, 101L, 102L, 200L);
        assertThat(list(all, "backups")).filteredOn(b -> Long.valueOf(200).equals(b.get("vmid"))).singleElement()
                .satisfies(b -> assertThat(b).containsEntry("node", "pve1").containsEntry("type", "lxc"));
        assertThat(list(all, "backups")).filteredOn(b -> Long.valueOf(101).equals(b.get("vmid"))).first()
                .satisfies(b -> assertThat(b).containsEntry("protected", true));
    }

    @Test
    void backsUpAllContainersOneJobPerNode() throws Exception {
        Preview p = tools.preview(new BackupCreateTool(), Map.of("all", "containers", "storage", "nfs-shared"));
        assertThat(p.requests()).extracting(Preview.Request::path).containsExactly("/nodes/pve1/vzdump",
                "/nodes/pve2/vzdump", "/nodes/pve3/vzdump");
        assertThat(p.summary()).contains("Back up 5 guests", "snapshot mode (the guests keep running)")
                .doesNotContain("8000");
        assertThat(p.interrupts()).isFalse();
        assertThat(tools.preview(new BackupCreateTool(), Map.of("vmid", List.of(100), "mode", "stop")).interrupts())
                .isTrue();

        ToolResult r = tools.call(new BackupCreateTool(), Map.of("all", "containers", "storage", "nfs-shared", "notes",
                "{{guestname}} before upgrade"));
        assertThat(list(r, "guests")).hasSize(5).allSatisfy(g -> assertThat(g).containsEntry("status", "ok")
                .hasEntrySatisfying("volid", v -> assertThat((String) v).startsWith("nfs-shared:backup/vzdump-lxc-")));
        assertThat(list(r, "tasks")).hasSize(3);
        assertThat(r.text()).startsWith("Backed up 5 of 5 guests to nfs-shared.");
        assertThat(list(tools.call(new BackupListTool(), Map.of("vmid", 203)), "backups").get(0))
                .containsEntry("notes", "mail-relay before upgrade");

        assertThat(tools.refusal(ToolException.class, new BackupCreateTool(), Map.of("vmid", List.of(100), "storage", "local-lvm")))
                .hasMessageContaining("does not hold backups");
        assertThat(tools.refusal(ToolException.class, new BackupCreateTool(), Map.of("vmid", List.of(100), "all", "vms")))
                .hasMessageContaining("exactly one of");
        assertThat(tools.refusal(ToolException.class, new BackupCreateTool(), Map.of("vmid", List.of(4242))))
                .hasMessageContaining("no guest with VMID 4242");
    }

    @Test
    void backupDeleteRestoreBringsTheGuestBackWithItsConfigAndDisks() throws Exception {
        tools.call(new BackupCreateTool(), Map.of("vmid", List.of(204), "storage", "nfs-shared"));
        String archive = newestBackup(204);
        Map<String, Object> before = tools.config("pve3", "lxc", 204);
        Object upid = cluster.client().delete("/nodes/{node}/lxc/{vmid}", Map.of("node", "pve3", "vmid", 204)).join();
        cluster.client().awaitTask((String) upid, java.time.Duration.ofSeconds(30), s -> { }).join();

        Preview p = tools.preview(new BackupRestoreTool(), Map.of("archive", archive, "vmid", 204));
        assertThat(p.summary()).startsWith("Restore backup " + archive).contains("container 204 (",
                "as new container 204 on", "disks on local-lvm", "new MAC addresses");
        ToolResult r = tools.call(new BackupRestoreTool(), Map.of("archive", archive, "vmid", 204, "node", "pve3"));
        assertThat(r.structuredContent()).containsEntry("vmid", 204).containsEntry("node", "pve3")
                .containsEntry("status", "stopped");
        Map<String, Object> after = tools.config("pve3", "lxc", 204);
        for (String key : List.of("hostname", "cores", "memory", "ostype")) {
            assertThat(after.get(key)).as(key).isEqualTo(before.get(key));
        }
        assertThat((String) after.get("rootfs")).startsWith("local-lvm:vm-204-disk-").contains("size=32G");

        String pbs = newestBackup(100);
        assertThat(pbs).startsWith("pbs:backup/vm/100/");
        ToolResult fromPbs = tools.call(new BackupRestoreTool(), Map.of("archive", pbs, "vmid", 777));
        assertThat(fromPbs.structuredContent()).containsEntry("vmid", 777).containsEntry("node", "pve1")
                .containsEntry("name", "web01");
        assertThat(tools.config("pve1", "qemu", 777)).containsEntry("name", "web01").containsKey("scsi0");

        ToolResult copy = tools.call(new BackupRestoreTool(), Map.of("archive", archive));
        assertThat((Integer) copy.structuredContent().get("vmid")).isNotEqualTo(204);
        assertThat(tools.refusal(ToolException.class, new BackupRestoreTool(), Map.of("archive", archive, "vmid", 100)))
                .hasMessageContaining("VMID 100 is taken").hasMessageContaining("proxmox_backup_restore_over");
    }

    @Test
    void restoreOverAGuestSaysWhatIsLostAndRefusesARunningOne() throws Exception {
        String archive = newestBackup(102);
        cluster.client().put("/nodes/{node}/qemu/{vmid}/config", Map.of("node", "pve2", "vmid", 102, "cores", 12))
                .join();
        Preview p = tools.preview(new BackupRestoreOverTool(), Map.of("archive", archive, "vmid", 102));
        assertThat(p.summary()).startsWith("Replace VM 102").contains("Lost for good", "cores 12 → 8");
        assertThat(p.undoable()).isFalse();
        assertThat(p.requests().get(0).params()).containsEntry("force", 1).doesNotContainKey("unique");
        ToolResult r = tools.call(new BackupRestoreOverTool(), Map.of("archive", archive, "vmid", 102));
        assertThat(tools.config("pve2", "qemu", 102)).containsEntry("cores", 8);
        assertThat(r.text()).contains("is restored on pve2", "cores 12 → 8");

        assertThat(tools.refusal(ToolException.class, new BackupRestoreOverTool(), Map.of("archive", newestBackup(100), "vmid", 100)))
                .hasMessageContaining("is running").hasMessageContaining("proxmox_vm_shutdown");
        assertThat(tools.refusal(ToolException.class, new BackupRestoreOverTool(), Map.of("archive", archive, "vmid", 201)))
                .hasMessageContaining("holds a VM");
    }

    @Test
    void notesProtectionAndJobs() throws Exception {
        String archive = newestBackup(102);
        ToolResult prot = tools.call(new BackupUpdateTool(), Map.of("archive", archive, "protected", true, "notes", "keep"));
        assertThat(prot.structuredContent()).containsEntry("changed", true).containsEntry("protected", true);
        assertThat(list(tools.call(new BackupListTool(), Map.of("vmid", 102)), "backups").get(0))
                .containsEntry("protected", true).containsEntry("notes", "keep");
        assertThat(tools.call(new BackupUpdateTool(), Map.of("archive", archive, "protected", true)).structuredContent())
                .containsEntry("changed", false);

        ToolResult jobs = tools.call(new BackupJobsTool(), Map.of());
        assertThat(list(jobs, "jobs")).extracting(j -> j.get("id"), j -> j.get("enabled")).containsExactly(
                org.assertj.core.groups.Tuple.tuple("backup-prod-nightly", true),
                org.assertj.core.groups.Tuple.tuple("backup-infra-weekly", true),
                org.assertj.core.groups.Tuple.tuple("backup-ci-paused", false));
        assertThat(list(jobs, "not_backed_up")).extracting(g -> g.get("vmid")).contains(102L, 202L)
                .doesNotContain(100L, 200L);
        assertThat(jobs.text()).contains("3 backup jobs (2 enabled)", "VMIDs 100, 101, 108, 109 → pbs", "DISABLED",
                "Not in any enabled job: ");

        ToolResult run = tools.call(new BackupJobRunTool(), Map.of("id", "backup-infra-weekly"));
        assertThat(list(run, "guests")).extracting(g -> g.get("vmid")).containsExactlyInAnyOrder(200L, 201L, 203L);
        assertThat(list(run, "guests")).allSatisfy(g -> assertThat(g).containsEntry("status", "ok"));
        assertThat(tools.refusal(ToolException.class, new BackupJobRunTool(), Map.of("id", "nope"))).hasMessageContaining("no backup job 'nope'");
    }
}
