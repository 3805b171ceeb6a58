package io.pvemcp.pve.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StorageBackupTest extends SimTestSupport {

    @Test
    void listsStoragesWithSpaceAndContentPerType() throws Exception {
        List<Map<String, Object>> storages = list("/nodes/pve1/storage");
        assertThat(storages).extracting(s -> s.get("storage")).containsExactly("local", "local-lvm", "nfs-shared", "pbs");
        assertThat(storages).allSatisfy(s -> assertThat(((Number) s.get("used")).longValue()
                + ((Number) s.get("avail")).longValue()).isEqualTo(((Number) s.get("total")).longValue()));
        assertThat(list("/nodes/pve1/storage", "content", "images")).extracting(s -> s.get("storage"))
                .containsExactly("local-lvm", "nfs-shared");
        assertThat(list("/nodes/pve1/storage/local/content", "content", "iso")).extracting(v -> v.get("volid"))
                .contains("local:iso/debian-13.1.0-amd64-netinst.iso");
        assertThat(list("/nodes/pve2/storage/local/content", "content", "iso")).extracting(v -> v.get("volid"))
                .doesNotContain("local:iso/ubuntu-24.04.3-live-server-amd64.iso");
        assertThat(list("/nodes/pve1/storage/local/content", "content", "vztmpl")).isNotEmpty()
                .allSatisfy(v -> assertThat(v.get("format")).isIn("tzst", "txz"));
        assertThat(list("/nodes/pve1/storage/pbs/content")).isNotEmpty()
                .allSatisfy(v -> assertThat((String) v.get("volid")).matches("pbs:backup/(vm|ct)/\\d+/\\d{4}-.*Z"));
        assertThat(list("/storage")).extracting(s -> s.get("type")).containsExactly("dir", "lvmthin", "nfs", "pbs");
    }

    @Test
    void allocatingDisksUsesSpace() throws Exception {
        long before = ((Number) map("/nodes/pve1/storage/local-lvm/status").get("used")).longValue();
        assertThat(run("POST", "/nodes/pve1/qemu", "vmid", "150", "scsi0", "local-lvm:100")).isEqualTo("OK");
        long after = ((Number) map("/nodes/pve1/storage/local-lvm/status").get("used")).longValue();
        assertThat(after - before).isEqualTo(100L << 30);
        long other = ((Number) map("/nodes/pve2/storage/local-lvm/status").get("used")).longValue();
        assertThat(run("PUT", "/nodes/pve1/qemu/150/resize", "disk", "scsi0", "size", "+20G")).isEqualTo("OK");
        assertThat(((Number) map("/nodes/pve1/storage/local-lvm/status").get("used")).longValue() - after)
                .isEqualTo(20L << 30);
        assertThat(((Number) map("/nodes/pve2/storage/local-lvm/status").get("used")).longValue()).isEqualTo(other);
        var tooBig = call("POST", "/nodes/pve1/qemu", "vmid", "151", "scsi0", "local-lvm:100000");
        assertThat(tooBig.status()).isEqualTo(200);
        assertThat(waitTask((String) tooBig.data())).startsWith("unable to allocate");
    }

    @Test
    void backsUpLocksWhileRunningAndRestores() throws Exception {
        sim.setTaskTimeScale(1.0);
        String upid = (String) ok("POST", "/nodes/pve1/vzdump", "vmid", "200", "storage", "local", "compress", "zstd",
                "notes-template", "{{guestname}} before upgrade");
        assertThat(map("/nodes/pve1/lxc/200/status/current")).containsEntry("lock", "backup");
        var locked = call("PUT", "/nodes/pve1/lxc/200/config", "memory", "1024");
        assertThat(message(locked)).isEqualTo("CT is locked (backup)");
        assertThat(waitTask(upid)).isEqualTo("OK");
        sim.setTaskTimeScale(0);
        assertThat(map("/nodes/pve1/lxc/200/status/current")).doesNotContainKey("lock");
        assertThat(taskLog(upid)).contains("INFO: Starting Backup of VM 200 (lxc)", "INFO: Backup job finished successfully");
        List<Map<String, Object>> backups = list("/nodes/pve1/storage/local/content", "content", "backup", "vmid", "200");
        Map<String, Object> newest = backups.stream().filter(b -> "dns01 before upgrade".equals(b.get("notes")))
                .findFirst().orElseThrow();
        assertThat((String) newest.get("volid")).matches("local:backup/vzdump-lxc-200-\\d{4}_\\d{2}_\\d{2}-\\d{2}_\\d{2}_\\d{2}\\.tar\\.zst");
        assertThat(newest).containsEntry("subtype", "lxc").containsEntry("format", "tar.zst");

        assertThat(run("POST", "/nodes/pve1/lxc", "vmid", "260", "ostemplate", (String) newest.get("volid"),
                "restore", "1", "storage", "local-lvm")).isEqualTo("OK");
        Map<String, Object> restored = map("/nodes/pve1/lxc/260/config");
        assertThat(restored).containsEntry("hostname", "dns01");
        assertThat((String) restored.get("rootfs")).startsWith("local-lvm:vm-260-disk-0");

        var overwrite = call("POST", "/nodes/pve1/lxc", "vmid", "260", "ostemplate", (String) newest.get("volid"),
                "restore", "1");
        assertThat(message(overwrite)).isEqualTo("unable to restore CT 260 - CT 260 already exists on node 'pve1'");
        assertThat(run("POST", "/nodes/pve1/lxc", "vmid", "260", "ostemplate", (String) newest.get("volid"),
                "restore", "1", "force", "1", "storage", "local-lvm")).isEqualTo("OK");
    }

    @Test
    void backsUpVmsToPbsAndSkipsGuestsOfOtherNodes() throws Exception {
        assertThat(ok("POST", "/nodes/pve1/vzdump", "vmid", "102")).isEqualTo("OK");
        String upid = (String) ok("POST", "/nodes/pve1/vzdump", "vmid", "100,102", "storage", "pbs", "mode", "snapshot");
        assertThat(waitTask(upid)).isEqualTo("OK");
        assertThat(taskLog(upid)).contains("INFO: skip external VMs: 102");
        assertThat(list("/nodes/pve1/storage/pbs/content", "vmid", "100")).hasSize(3);
        String backup = (String) list("/nodes/pve1/storage/pbs/content", "vmid", "100").get(0).get("volid");
        assertThat(run("POST", "/nodes/pve1/qemu", "vmid", "170", "archive", backup, "storage", "local-lvm"))
                .isEqualTo("OK");
        assertThat(map("/nodes/pve1/qemu/170/config")).containsEntry("name", "web01");
        var conflict = call("POST", "/nodes/pve1/qemu", "vmid", "171", "archive", backup, "scsi0", "local-lvm:4");
        assertThat(conflict.errors()).containsEntry("scsi0", "option conflicts with option 'archive'\n");
    }

    @Test
    void refusesToDeleteProtectedBackups() throws Exception {
        Map<String, Object> protectedBackup = list("/nodes/pve1/storage/pbs/content", "vmid", "101").get(0);
        assertThat(protectedBackup).containsEntry("protected", 1);
        String volid = (String) protectedBackup.get("volid");
        String upid = (String) ok("DELETE", "/nodes/pve1/storage/pbs/content/" + volid.replace("/", "%2F"));
        assertThat(waitTask(upid)).isEqualTo("volume '" + volid + "' is protected");
        ok("PUT", "/nodes/pve1/storage/pbs/content/" + volid.replace("/", "%2F"), "protected", "0");
        assertThat(run("DELETE", "/nodes/pve1/storage/pbs/content/" + volid.replace("/", "%2F"))).isEqualTo("OK");
        assertThat(list("/nodes/pve1/storage/pbs/content", "vmid", "101")).isEmpty();
    }
}
