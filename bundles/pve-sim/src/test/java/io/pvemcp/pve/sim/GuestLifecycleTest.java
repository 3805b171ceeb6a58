package io.pvemcp.pve.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class GuestLifecycleTest extends SimTestSupport {

    @Test
    void createsStartsSnapshotsStopsAndDeletesAVm() throws Exception {
        assertThat(run("POST", "/nodes/pve1/qemu", "vmid", "150", "name", "web02", "memory", "2048", "cores", "2",
                "scsi0", "local-lvm:8", "net0", "virtio,bridge=vmbr0", "ostype", "l26")).isEqualTo("OK");
        Map<String, Object> config = map("/nodes/pve1/qemu/150/config");
        assertThat(config.get("scsi0")).isEqualTo("local-lvm:vm-150-disk-0,size=8G");
        assertThat((String) config.get("net0")).matches("virtio=BC:24:11:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2},bridge=vmbr0");
        assertThat(config.get("memory")).isEqualTo("2048");
        assertThat(config.get("cores")).isEqualTo(2);
        assertThat(config).containsKeys("digest", "smbios1", "vmgenid");
        assertThat(list("/nodes/pve1/storage/local-lvm/content", "vmid", "150"))
                .extracting(v -> v.get("volid"), v -> v.get("size"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("local-lvm:vm-150-disk-0", 8L << 30));

        assertThat(run("POST", "/nodes/pve1/qemu/150/status/start")).isEqualTo("OK");
        assertThat(map("/nodes/pve1/qemu/150/status/current")).containsEntry("status", "running")
                .containsEntry("qmpstatus", "running");
        assertThat(run("POST", "/nodes/pve1/qemu/150/status/start")).isEqualTo("VM 150 already running");

        assertThat(run("POST", "/nodes/pve1/qemu/150/snapshot", "snapname", "before-change",
                "description", "safe point")).isEqualTo("OK");
        assertThat(list("/nodes/pve1/qemu/150/snapshot")).extracting(s -> s.get("name"))
                .containsExactly("before-change", "current");
        var duplicate = call("POST", "/nodes/pve1/qemu/150/snapshot", "snapname", "before-change");
        assertThat(duplicate.status()).isEqualTo(500);
        assertThat(message(duplicate)).isEqualTo("snapshot name 'before-change' already used");

        assertThat(run("POST", "/nodes/pve1/qemu/150/status/stop")).isEqualTo("OK");
        assertThat(map("/nodes/pve1/qemu/150/status/current")).containsEntry("status", "stopped");
        var running = call("POST", "/nodes/pve1/qemu/150/status/reboot");
        assertThat(message(running)).isEqualTo("VM 150 not running");

        assertThat(run("DELETE", "/nodes/pve1/qemu/150")).isEqualTo("OK");
        var gone = call("GET", "/nodes/pve1/qemu/150/config");
        assertThat(gone.status()).isEqualTo(500);
        assertThat(message(gone)).isEqualTo("Configuration file 'nodes/pve1/qemu-server/150.conf' does not exist");
        assertThat(list("/nodes/pve1/storage/local-lvm/content", "vmid", "150")).isEmpty();
    }

    @Test
    void refusesWhatARealNodeRefuses() throws Exception {
        var exists = call("POST", "/nodes/pve1/qemu", "vmid", "100");
        assertThat(message(exists)).isEqualTo("unable to create VM 100 - VM 100 already exists on node 'pve1'");
        var noImages = call("POST", "/nodes/pve1/qemu", "vmid", "150", "scsi0", "local:8");
        assertThat(noImages.status()).isEqualTo(400);
        assertThat(message(noImages)).isEqualTo("Parameter verification failed.");
        assertThat(noImages.body().get("errors")).asString().contains("storage 'local' does not support vm images");
        var protectedVm = call("POST", "/nodes/pve1/qemu/101/status/stop");
        assertThat(protectedVm.status()).isEqualTo(200);
        var delete = call("DELETE", "/nodes/pve1/qemu/101", "purge", "1");
        assertThat(message(delete)).isEqualTo("can't remove VM 101 - protection mode enabled");
        var runningDelete = call("DELETE", "/nodes/pve1/qemu/100");
        assertThat(message(runningDelete)).isEqualTo("VM 100 is running - destroy failed");
        var wrongNode = call("GET", "/nodes/pve2/qemu/100/status/current");
        assertThat(message(wrongNode)).isEqualTo("Configuration file 'nodes/pve2/qemu-server/100.conf' does not exist");
        var template = run("POST", "/nodes/pve1/qemu/9000/status/start");
        assertThat(template).isEqualTo("you can't start a vm if it's a template");
        assertThat(run("PUT", "/nodes/pve1/qemu/100/resize", "disk", "scsi0", "size", "10G"))
                .as("a node finds out in the task").isEqualTo("shrinking disks is not supported");
        var paused = call("POST", "/nodes/pve1/qemu/106/status/shutdown");
        assertThat(message(paused)).isEqualTo("VM is paused - cannot shutdown");
        var skiplock = as(SimClient.token("auditor@pve!monitoring", "5e2c1b8a-7f14-4d0e-9b3a-6c9f2e1d4a70"),
                "POST", "/nodes/pve1/qemu/100/status/stop", "skiplock", "1");
        assertThat(skiplock.status()).isIn(400, 403);
    }

    @Test
    void containersCheckTheirStateBeforeTheTask() throws Exception {
        assertThat(run("POST", "/nodes/pve1/lxc", "vmid", "250", "hostname", "ct250",
                "ostemplate", "local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst", "rootfs", "local-lvm:2",
                "net0", "name=eth0,bridge=vmbr0,ip=dhcp", "unprivileged", "1", "start", "1")).isEqualTo("OK");
        Map<String, Object> config = map("/nodes/pve1/lxc/250/config");
        assertThat(config.get("rootfs")).isEqualTo("local-lvm:vm-250-disk-0,size=2G");
        assertThat(config.get("ostype")).isEqualTo("debian");
        assertThat(config.get("unprivileged")).isEqualTo(1);
        assertThat(map("/nodes/pve1/lxc/250/status/current")).containsEntry("status", "running");
        var again = call("POST", "/nodes/pve1/lxc/250/status/start");
        assertThat(again.status()).isEqualTo(500);
        assertThat(message(again)).isEqualTo("CT 250 already running");
        assertThat(run("POST", "/nodes/pve1/lxc/250/status/shutdown")).isEqualTo("OK");
        var stopped = call("POST", "/nodes/pve1/lxc/250/status/stop");
        assertThat(message(stopped)).isEqualTo("CT 250 not running");
        var defaultRootfs = call("POST", "/nodes/pve1/lxc", "vmid", "251",
                "ostemplate", "local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst");
        assertThat(defaultRootfs.status()).isEqualTo(400);
        assertThat(defaultRootfs.body().get("errors")).asString()
                .contains("storage 'local' does not support container directories");
        var missing = call("POST", "/nodes/pve1/lxc", "vmid", "252", "ostemplate", "local:vztmpl/nope.tar.zst",
                "rootfs", "local-lvm:2");
        assertThat(message(missing)).isEqualTo("volume 'local:vztmpl/nope.tar.zst' does not exist");
    }

    @Test
    void keepsChangesToARunningVmPendingUntilItRestarts() throws Exception {
        String digest = (String) map("/nodes/pve1/qemu/100/config").get("digest");
        ok("PUT", "/nodes/pve1/qemu/100/config", "memory", "8192", "description", "bigger", "digest", digest);
        assertThat(map("/nodes/pve1/qemu/100/config").get("memory")).isEqualTo("8192");
        assertThat(map("/nodes/pve1/qemu/100/config", "current", "1").get("memory")).isEqualTo("4096");
        assertThat(map("/nodes/pve1/qemu/100/config", "current", "1").get("description")).isEqualTo("bigger");
        assertThat(list("/nodes/pve1/qemu/100/pending")).filteredOn(p -> "memory".equals(p.get("key")))
                .singleElement().satisfies(p -> assertThat(p).containsEntry("value", "4096").containsEntry("pending", "8192"));
        var stale = call("PUT", "/nodes/pve1/qemu/100/config", "cores", "4", "digest", digest);
        assertThat(message(stale)).isEqualTo("checksum mismatch (file change by other user?)");
        assertThat(run("POST", "/nodes/pve1/qemu/100/status/reboot")).isEqualTo("OK");
        assertThat(map("/nodes/pve1/qemu/100/config", "current", "1").get("memory")).isEqualTo("8192");
        assertThat(list("/nodes/pve1/qemu/100/pending")).noneMatch(p -> p.containsKey("pending"));
    }

    @Test
    void removedDisksBecomeUnusedAndCanBeDestroyed() throws Exception {
        ok("PUT", "/nodes/pve2/qemu/102/config", "scsi1", "nfs-shared:2");
        String volume = "nfs-shared:102/vm-102-disk-1.qcow2";
        assertThat(map("/nodes/pve2/qemu/102/config").get("scsi1")).isEqualTo(volume + ",size=2G");
        ok("PUT", "/nodes/pve2/qemu/102/config", "delete", "scsi1");
        Map<String, Object> config = map("/nodes/pve2/qemu/102/config");
        assertThat(config).doesNotContainKey("scsi1").containsEntry("unused0", volume);
        assertThat(list("/nodes/pve2/storage/nfs-shared/content", "vmid", "102")).extracting(v -> v.get("volid"))
                .contains(volume);
        ok("PUT", "/nodes/pve2/qemu/102/config", "delete", "unused0");
        assertThat(list("/nodes/pve2/storage/nfs-shared/content", "vmid", "102")).extracting(v -> v.get("volid"))
                .doesNotContain(volume);
    }

    @Test
    void clonesTemplatesLinkedAndVmsFull() throws Exception {
        assertThat(run("POST", "/nodes/pve1/qemu/9000/clone", "newid", "160", "name", "from-template")).isEqualTo("OK");
        Map<String, Object> linked = map("/nodes/pve1/qemu/160/config");
        assertThat(linked.get("scsi0")).asString().startsWith("local-lvm:base-9000-disk-0/vm-160-disk-0");
        assertThat(linked).containsEntry("name", "from-template").doesNotContainKey("template");
        assertThat(list("/nodes/pve1/storage/local-lvm/content", "vmid", "160")).singleElement()
                .satisfies(v -> assertThat(v).containsEntry("parent", "base-9000-disk-0"));

        var linkedFromVm = call("POST", "/nodes/pve1/qemu/100/clone", "newid", "161", "full", "0");
        assertThat(message(linkedFromVm)).isEqualTo(
                "Linked clone feature is not supported for 'local-lvm:vm-100-disk-0' (scsi0)");
        assertThat(run("POST", "/nodes/pve1/qemu/100/clone", "newid", "161", "name", "web01-copy")).isEqualTo("OK");
        assertThat(map("/nodes/pve1/qemu/161/config").get("scsi0")).asString().startsWith("local-lvm:vm-161-disk-0,");
        assertThat(map("/nodes/pve1/qemu/161/config").get("net0")).isNotEqualTo(map("/nodes/pve1/qemu/100/config").get("net0"));

        var baseInUse = call("DELETE", "/nodes/pve1/qemu/9000");
        assertThat(message(baseInUse)).contains("still in use by linked clone");
        assertThat(run("POST", "/nodes/pve1/qemu/161/template")).isEqualTo("OK");
        assertThat(map("/nodes/pve1/qemu/161/config").get("scsi0")).asString().startsWith("local-lvm:base-161-disk-0,");
        var running = call("POST", "/nodes/pve3/qemu/104/template");
        assertThat(message(running)).isEqualTo("you can't convert a VM to template if VM is running");
    }

    @Test
    void migratesBetweenNodes() throws Exception {
        var online = call("POST", "/nodes/pve1/qemu/100/migrate", "target", "pve2");
        assertThat(message(online)).isEqualTo("can't migrate running VM without --online");
        var self = call("POST", "/nodes/pve2/qemu/102/migrate", "target", "pve2");
        assertThat(self.status()).isEqualTo(400);
        assertThat(self.errors()).containsEntry("target", "target is local node.\n");
        Map<String, Object> pre = map("/nodes/pve1/qemu/100/migrate");
        assertThat(pre.get("running")).isEqualTo(1);
        assertThat((List<?>) pre.get("local_disks")).hasSize(1);
        assertThat(pre.get("allowed_nodes")).asList().contains("pve2", "pve3");

        assertThat(run("POST", "/nodes/pve2/qemu/102/migrate", "target", "pve3")).isEqualTo("OK");
        assertThat(call("GET", "/nodes/pve2/qemu/102/config").status()).isEqualTo(500);
        assertThat(map("/nodes/pve3/qemu/102/config").get("name")).isEqualTo("build01");
        assertThat(run("POST", "/nodes/pve1/qemu/100/migrate", "target", "pve3", "online", "1",
                "with-local-disks", "1")).isEqualTo("OK");
        assertThat(map("/nodes/pve3/qemu/100/status/current")).containsEntry("status", "running");
        assertThat(list("/nodes/pve3/storage/local-lvm/content", "vmid", "100")).hasSize(1);
        assertThat(list("/nodes/pve1/storage/local-lvm/content", "vmid", "100")).isEmpty();

        sim.setNodeOnline("pve2", false);
        assertThat(run("POST", "/nodes/pve3/qemu/102/migrate", "target", "pve2"))
                .isEqualTo("Can't connect to destination address using public key");
        assertThat(map("/nodes/pve3/qemu/102/config")).doesNotContainKey("lock");
    }

    @Test
    void rollsBackToASnapshot() throws Exception {
        ok("PUT", "/nodes/pve1/qemu/100/config", "name", "renamed");
        assertThat(run("POST", "/nodes/pve1/qemu/100/snapshot/before-upgrade/rollback")).isEqualTo("OK");
        Map<String, Object> config = map("/nodes/pve1/qemu/100/config");
        assertThat(config.get("name")).isEqualTo("web01");
        assertThat(config.get("parent")).isEqualTo("before-upgrade");
        assertThat(map("/nodes/pve1/qemu/100/status/current")).containsEntry("status", "stopped");
        assertThat(run("DELETE", "/nodes/pve1/qemu/100/snapshot/before-upgrade")).isEqualTo("OK");
        assertThat(list("/nodes/pve1/qemu/100/snapshot")).extracting(s -> s.get("name")).containsExactly("current");
        var missing = call("DELETE", "/nodes/pve1/qemu/100/snapshot/nope");
        assertThat(message(missing)).isEqualTo("snapshot 'nope' does not exist");
    }

    @Test
    void shutdownRunsIntoItsTimeoutWhenTheGuestIgnoresIt() throws Exception {
        sim.setIgnoresShutdown(104, true);
        assertThat(run("POST", "/nodes/pve3/qemu/104/status/shutdown", "timeout", "5"))
                .isEqualTo("VM quit/powerdown failed - got timeout");
        assertThat(map("/nodes/pve3/qemu/104/status/current")).containsEntry("status", "running");
        String upid = (String) ok("POST", "/nodes/pve3/qemu/104/status/shutdown", "timeout", "5", "forceStop", "1");
        assertThat(waitTask(upid)).isEqualTo("WARNINGS: 1");
        assertThat(taskLog(upid)).contains("WARN: VM still running - terminating now with SIGTERM", "TASK WARNINGS: 1");
        assertThat(map("/nodes/pve3/qemu/104/status/current")).containsEntry("status", "stopped");
    }

    @Test
    void suspendsAndResumes() throws Exception {
        assertThat(run("POST", "/nodes/pve1/qemu/100/status/suspend")).isEqualTo("OK");
        assertThat(map("/nodes/pve1/qemu/100/status/current")).containsEntry("qmpstatus", "paused");
        assertThat(run("POST", "/nodes/pve1/qemu/100/status/resume")).isEqualTo("OK");
        assertThat(map("/nodes/pve1/qemu/100/status/current")).containsEntry("qmpstatus", "running");
        assertThat(run("POST", "/nodes/pve1/qemu/100/status/suspend", "todisk", "1")).isEqualTo("OK");
        Map<String, Object> hibernated = map("/nodes/pve1/qemu/100/status/current");
        assertThat(hibernated).containsEntry("status", "stopped").containsEntry("lock", "suspended");
        assertThat(run("POST", "/nodes/pve1/qemu/100/status/resume")).isEqualTo("OK");
        assertThat(map("/nodes/pve1/qemu/100/status/current")).containsEntry("status", "running")
                .doesNotContainKey("lock");
    }

    @Test
    void aLockedGuestRefusesChanges() throws Exception {
        sim.setGuestLock(103, "backup");
        assertThat(run("POST", "/nodes/pve2/qemu/103/status/start")).isEqualTo("VM is locked (backup)");
        var update = call("PUT", "/nodes/pve2/qemu/103/config", "cores", "2");
        assertThat(message(update)).isEqualTo("VM is locked (backup)");
        assertThat(list("/cluster/resources", "type", "vm")).filteredOn(r -> Integer.valueOf(103).equals(r.get("vmid")))
                .singleElement().satisfies(r -> assertThat(r).containsEntry("lock", "backup"));
        var asToken = call("PUT", "/nodes/pve2/qemu/103/config", "delete", "lock", "skiplock", "1");
        assertThat(asToken.status()).isEqualTo(400);
        assertThat(asToken.errors()).containsEntry("skiplock", "Only root may use this option.\n");
        Map<String, String> rootUser = client.login("root@pam", "root-password");
        assertThat(as(rootUser, "PUT", "/nodes/pve2/qemu/103/config", "delete", "lock", "skiplock", "1").status())
                .isEqualTo(200);
        assertThat(run("POST", "/nodes/pve2/qemu/103/status/start")).isEqualTo("OK");
    }

    @Test
    void answersTheGuestAgentOnlyWhenItRuns() throws Exception {
        Map<String, Object> ifaces = map("/nodes/pve1/qemu/100/agent/network-get-interfaces");
        assertThat(ifaces.toString()).contains("10.0.10.100", "bc:24:11:00:01:00");
        assertThat(map("/nodes/pve1/qemu/100/agent/get-osinfo").toString()).contains("Debian GNU/Linux");
        assertThat(message(call("GET", "/nodes/pve2/qemu/105/agent/get-osinfo")))
                .isEqualTo("QEMU guest agent is not running");
        assertThat(message(call("GET", "/nodes/pve2/qemu/102/agent/get-osinfo"))).isEqualTo("VM 102 is not running");
        assertThat(message(call("GET", "/nodes/pve1/qemu/106/agent/info"))).isEqualTo("No QEMU guest agent configured");
    }
}
