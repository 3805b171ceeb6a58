package io.pvemcp.pve.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Where real Proxmox clients (Ansible's community.general modules and inventory on proxmoxer, the npm
 * {@code proxmox-api} client) found the simulator unlike a Proxmox VE 9.1 node, each checked against the node's own
 * code; one test per finding, each failing on the simulator before the fix.
 */
class RealClientFindingsTest extends SimTestSupport {

    @Test
    void nodesCarryTheirTypeAndIdAsPveManagerAddsThem() throws Exception {
        for (Map<String, Object> n : list("/nodes")) {
            assertThat(n).containsEntry("type", "node").containsEntry("id", "node/" + n.get("node"));
        }
        Map<String, String> auditor = client.login("auditor@pve", "demo-auditor-password");
        for (Object o : (List<?>) as(auditor, "GET", "/nodes").data()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> n = (Map<String, Object>) o;
            assertThat(n).containsEntry("type", "node").containsKey("id");
        }
    }

    @Test
    void aVolumeIdWithSlashesIsRoutedUnescapedAsProxmoxerSendsIt() throws Exception {
        String iso = "local:iso/debian-13.1.0-amd64-netinst.iso";
        Map<String, Object> info = map("/nodes/pve1/storage/local/content/" + iso);
        assertThat(info).containsEntry("format", "iso");
        SimClient.Answer deleted = call("DELETE", "/nodes/pve1/storage/local/content/" + iso);
        assertThat(deleted.status()).as(deleted.body().toString()).isEqualTo(200);
        if (deleted.data() instanceof String upid) {
            assertThat(waitTask(upid)).isEqualTo("OK");
        }
        assertThat(list("/nodes/pve1/storage/local/content", "content", "iso")).extracting(v -> v.get("volid"))
                .doesNotContain(iso);
        assertThat(sim.contractViolations()).isEmpty();
    }

    /** A stopped VM with a second disk: VM 150 with scsi0 (4G) and scsi1 (2G) on local-lvm. */
    String vmWithTwoDisks(int vmid) throws Exception {
        assertThat(run("POST", "/nodes/pve1/qemu", "vmid", Integer.toString(vmid), "name", "disks" + vmid, "scsi0",
                "local-lvm:4", "scsi1", "local-lvm:2")).isEqualTo("OK");
        return String.valueOf(map("/nodes/pve1/qemu/" + vmid + "/config").get("scsi1"));
    }

    @Test
    void disksMoveToAnotherStorageOrVmAndAreUnlinked() throws Exception {
        String scsi1 = vmWithTwoDisks(150);
        String oldVolume = scsi1.substring(0, scsi1.indexOf(','));
        assertThat(run("POST", "/nodes/pve1/qemu/150/move_disk", "disk", "scsi1", "storage", "nfs-shared"))
                .isEqualTo("OK");
        Map<String, Object> config = map("/nodes/pve1/qemu/150/config");
        assertThat(String.valueOf(config.get("scsi1"))).startsWith("nfs-shared:150/vm-150-disk-").contains("size=2G");
        assertThat(config).as("without delete the source stays as an unused disk").containsEntry("unused0", oldVolume);

        vmWithTwoDisks(151);
        assertThat(run("POST", "/nodes/pve1/qemu/150/move_disk", "disk", "unused0", "target-vmid", "151",
                "target-disk", "scsi2")).isEqualTo("OK");
        assertThat(map("/nodes/pve1/qemu/150/config")).doesNotContainKey("unused0");
        assertThat(String.valueOf(map("/nodes/pve1/qemu/151/config").get("scsi2"))).startsWith("local-lvm:vm-151-disk-")
                .contains("size=2G");
        assertThat(message(call("POST", "/nodes/pve1/qemu/150/move_disk", "disk", "scsi1")))
                .isEqualTo("either set 'storage' or 'target-vmid'");

        String moved = String.valueOf(map("/nodes/pve1/qemu/150/config").get("scsi1"));
        String movedVolume = moved.substring(0, moved.indexOf(','));
        ok("PUT", "/nodes/pve1/qemu/150/unlink", "idlist", "scsi1");
        assertThat(map("/nodes/pve1/qemu/150/config")).doesNotContainKey("scsi1").containsValue(movedVolume);
        ok("PUT", "/nodes/pve1/qemu/151/unlink", "idlist", "scsi2", "force", "1");
        assertThat(map("/nodes/pve1/qemu/151/config")).doesNotContainKey("scsi2").doesNotContainKey("unused0");
        assertThat(list("/nodes/pve1/storage/local-lvm/content", "vmid", "151")).hasSize(2);
    }

    @Test
    void changingADisksOptionsKeepsItsSize() throws Exception {
        String scsi1 = vmWithTwoDisks(152);
        String volume = scsi1.substring(0, scsi1.indexOf(','));
        assertThat(run("POST", "/nodes/pve1/qemu/152/config", "scsi1", volume + ",cache=none")).isEqualTo("OK");
        assertThat(String.valueOf(map("/nodes/pve1/qemu/152/config").get("scsi1"))).isEqualTo(volume
                + ",cache=none,size=2G");
        assertThat(run("PUT", "/nodes/pve1/qemu/152/resize", "disk", "scsi1", "size", "+1G")).isEqualTo("OK");
        assertThat(String.valueOf(map("/nodes/pve1/qemu/152/config").get("scsi1"))).contains("size=3G");
    }

    @Test
    void importFromCopiesAnExistingDisk() throws Exception {
        String scsi1 = vmWithTwoDisks(153);
        String source = scsi1.substring(0, scsi1.indexOf(','));
        assertThat(run("POST", "/nodes/pve1/qemu/153/config", "scsi3", "local-lvm:0,import-from=" + source))
                .isEqualTo("OK");
        String scsi3 = String.valueOf(map("/nodes/pve1/qemu/153/config").get("scsi3"));
        assertThat(scsi3).startsWith("local-lvm:vm-153-disk-").endsWith(",size=2G").doesNotContain("import-from");
        SimClient.Answer sized = call("POST", "/nodes/pve1/qemu/153/config", "scsi4", "local-lvm:5,import-from="
                + source);
        assertThat(sized.status()).isEqualTo(400);
        assertThat(sized.errors()).containsKey("scsi4").asString().contains("'import-from' requires special syntax");
    }

    @Test
    void onlyRootItselfSetsArgsNotItsApiToken() throws Exception {
        SimClient.Answer byToken = call("PUT", "/nodes/pve1/qemu/100/config", "args", "-no-reboot");
        assertThat(byToken.status()).isEqualTo(500);
        assertThat(message(byToken)).isEqualTo("only root can set 'args' config");
        SimClient.Answer createdByToken = call("POST", "/nodes/pve1/qemu", "vmid", "154", "args", "-no-reboot");
        assertThat(message(createdByToken)).isEqualTo("only root can set 'args' config");
        Map<String, String> rootTicket = client.login("root@pam", "root-password");
        assertThat(as(rootTicket, "PUT", "/nodes/pve1/qemu/100/config", "args", "-no-reboot").status()).isEqualTo(200);
    }

    @Test
    void whatClientsReadBeyondGuestsExists() throws Exception {
        List<Map<String, Object>> appliances = list("/nodes/pve1/aplinfo");
        assertThat(appliances).extracting(a -> a.get("template")).contains("debian-13-standard_13.1-2_amd64.tar.zst");
        String alpine = "alpine-3.22-default_20250617_amd64.tar.xz";
        assertThat(run("POST", "/nodes/pve1/aplinfo", "storage", "local", "template", alpine)).isEqualTo("OK");
        assertThat(list("/nodes/pve1/storage/local/content", "content", "vztmpl")).extracting(v -> v.get("volid"))
                .contains("local:vztmpl/" + alpine);
        assertThat(map("/access/domains/pam")).containsEntry("type", "pam");
        assertThat(message(call("GET", "/access/domains/nope"))).isEqualTo("domain 'nope' does not exist");
        assertThat(map("/cluster/options")).containsKey("keyboard");
        assertThat(list("/cluster/backup")).extracting(j -> j.get("id")).containsExactly("backup-prod-nightly",
                "backup-infra-weekly", "backup-ci-paused");
        assertThat(map("/cluster/backup/backup-ci-paused")).containsEntry("enabled", 0).doesNotContainKey("next-run");
        assertThat(message(call("GET", "/cluster/backup/nope"))).isEqualTo("Job 'nope' does not exist");
        assertThat(list("/cluster/backup-info/not-backed-up")).extracting(g -> g.get("vmid")).contains(102, 202, 204)
                .doesNotContain(100, 200, 9000);
        assertThat(list("/nodes/pve1/services")).extracting(s -> s.get("service")).contains("pveproxy", "corosync");
        assertThat(map("/nodes/pve1/services/pveproxy/state")).containsEntry("state", "running");
        assertThat(list("/nodes/pve1/syslog", "limit", "5")).isNotEmpty().allSatisfy(l -> assertThat(l)
                .containsKeys("n", "t"));
        assertThat(map("/nodes/pve1/hosts")).containsKeys("data", "digest");
        assertThat(map("/nodes/pve1/subscription")).containsEntry("status", "notfound");
        assertThat(sim.contractViolations()).isEmpty();
    }

    @Test
    void aSnapshotsConfigIsItsOwnSection() throws Exception {
        vmWithTwoDisks(155);
        ok("PUT", "/nodes/pve1/qemu/155/config", "cores", "2");
        assertThat(run("POST", "/nodes/pve1/qemu/155/snapshot", "snapname", "before", "description", "before the "
                + "upgrade")).isEqualTo("OK");
        ok("PUT", "/nodes/pve1/qemu/155/config", "cores", "4");
        Map<String, Object> snap = map("/nodes/pve1/qemu/155/snapshot/before/config");
        assertThat(snap).containsEntry("cores", 2).containsEntry("description", "before the upgrade")
                .containsKey("snaptime").doesNotContainKey("digest");
        assertThat(snap.get("snaptime")).isInstanceOf(Number.class);
        assertThat(list("/nodes/pve1/qemu/155/snapshot")).filteredOn(s -> "current".equals(s.get("name")))
                .singleElement().satisfies(s -> assertThat(s).containsKey("digest"));
    }

    @Test
    void valuesAreStoredInProxmoxCanonicalForms() throws Exception {
        vmWithTwoDisks(156);
        ok("PUT", "/nodes/pve1/qemu/156/config", "tags", "kit,Ansible;kit", "scsi2",
                "local-lvm:1,ssd=1,discard=on,cache=writeback,iothread=1");
        Map<String, Object> config = map("/nodes/pve1/qemu/156/config");
        assertThat(config).containsEntry("tags", "ansible;kit");
        assertThat(String.valueOf(config.get("scsi2"))).matches("local-lvm:vm-156-disk-\\d+,cache=writeback,"
                + "discard=on,iothread=1,size=1G,ssd=1");
        ok("PUT", "/nodes/pve1/lxc/200/config", "net1", "name=eth1,ip=dhcp,firewall=1,bridge=vmbr0", "cpulimit", "1");
        Map<String, Object> ct = map("/nodes/pve1/lxc/200/config");
        assertThat(String.valueOf(ct.get("net1"))).matches("name=eth1,bridge=vmbr0,firewall=1,hwaddr=[0-9A-F:]{17},"
                + "ip=dhcp,type=veth");
        assertThat(ct.get("cpulimit")).as("as stored, not 1.0").isEqualTo("1");
    }

    @Test
    void sizesAndByteCountersAre64Bit() throws Exception {
        assertThat(list("/nodes/pve1/storage/local/content", "content", "iso")).filteredOn(v -> String.valueOf(
                v.get("volid")).contains("ubuntu-24.04")).singleElement().satisfies(v -> assertThat(((Number) v
                        .get("size")).longValue()).isEqualTo(3104L << 20));
        List<String> negative = new ArrayList<>();
        List<String> paths = new ArrayList<>(List.of("/cluster/resources", "/nodes"));
        for (String node : List.of("pve1", "pve2", "pve3")) {
            paths.addAll(List.of("/nodes/" + node + "/status", "/nodes/" + node + "/qemu", "/nodes/" + node + "/lxc",
                    "/nodes/" + node + "/storage"));
            for (Map<String, Object> st : list("/nodes/" + node + "/storage")) {
                paths.add("/nodes/" + node + "/storage/" + st.get("storage") + "/content");
            }
        }
        for (String path : paths) {
            SimClient.Answer a = call("GET", path);
            if (a.status() == 200) {
                collectNegative(path, a.data(), negative);
            }
        }
        assertThat(negative).as("negative sizes or counters").isEmpty();
    }

    private static void collectNegative(String where, Object value, List<String> out) {
        if (value instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) {
                if (e.getValue() instanceof Number n && n.doubleValue() < 0) {
                    out.add(where + " " + e.getKey() + "=" + n);
                } else {
                    collectNegative(where, e.getValue(), out);
                }
            }
        } else if (value instanceof List<?> l) {
            l.forEach(o -> collectNegative(where, o, out));
        }
    }
}
