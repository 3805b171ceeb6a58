package io.pvemcp.pve.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixtureTest {

    @Test
    @SuppressWarnings("unchecked")
    void theDemoClusterHasGuestsInVariousStates() throws Exception {
        try (Simulator sim = Simulator.builder().port(0).apiToken("root@pam!t", "s").authFailureDelay(Duration.ZERO)
                .start()) {
            SimClient c = new SimClient(sim);
            var auth = SimClient.token("root@pam!t", "s");
            List<Map<String, Object>> vms = (List<Map<String, Object>>) c.get("/cluster/resources",
                    Map.of("type", "vm"), auth).data();
            assertThat(vms.stream().filter(v -> "qemu".equals(v.get("type"))).count()).isBetween(10L, 14L);
            assertThat(vms.stream().filter(v -> "lxc".equals(v.get("type"))).count()).isBetween(5L, 7L);
            assertThat(vms).extracting(v -> v.get("status")).contains("running", "stopped");
            assertThat(vms).filteredOn(v -> Integer.valueOf(1).equals(v.get("template"))).hasSizeGreaterThanOrEqualTo(2);
            assertThat(vms).filteredOn(v -> "production".equals(v.get("pool"))).isNotEmpty();
            assertThat(vms).filteredOn(v -> v.get("hastate") != null).isNotEmpty();
            assertThat(sim.nodeNames()).containsExactly("pve1", "pve2", "pve3");
            List<Map<String, Object>> net = (List<Map<String, Object>>) c.get("/nodes/pve1/network", Map.of(), auth).data();
            assertThat(net).extracting(i -> i.get("type")).contains("bridge", "bond", "eth", "vlan");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void loadsAFixtureFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lab.json");
        Files.writeString(file, """
                {"nodes": [{"name": "lab1", "cpus": 4, "memoryGiB": 16}],
                 "storages": [{"id": "local-lvm", "type": "lvmthin", "content": ["images", "rootdir"], "totalGiB": 200}],
                 "guests": [{"type": "qemu", "vmid": 500, "node": "lab1", "status": "running",
                             "config": {"name": "only-vm", "memory": "1024", "scsi0": "local-lvm:vm-500-disk-0,size=10G"}}],
                 "users": [{"userid": "lab@pve", "password": "lab-password"}],
                 "acls": [{"path": "/", "ugid": "lab@pve", "role": "PVEAuditor"}]}
                """);
        try (Simulator sim = Simulator.builder().port(0).fixture(file).clusterName("lab").authFailureDelay(Duration.ZERO)
                .start()) {
            SimClient c = new SimClient(sim);
            var lab = c.login("lab@pve", "lab-password");
            List<Map<String, Object>> resources = (List<Map<String, Object>>) c.get("/cluster/resources", Map.of(),
                    lab).data();
            assertThat(resources).extracting(r -> r.get("id")).contains("node/lab1", "qemu/500", "storage/lab1/local-lvm");
            assertThat(sim.clusterName()).isEqualTo("lab");
        }
    }

    @Test
    void refusesABrokenFixtureWithAClearError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"nodes\": [{\"name\": \"a\"}], \"guests\": [{\"vmid\": 100, \"node\": \"b\"}]}");
        assertThatThrownBy(() -> Simulator.builder().port(0).fixture(file).start())
                .hasMessageContaining("guest 100 is on unknown node b");
        Files.writeString(file, "{not json");
        assertThatThrownBy(() -> Simulator.builder().port(0).fixture(file).start()).isInstanceOf(IOException.class);
    }

    /** The scale the core tools must handle; prints how long generation and a full resource list take. */
    @Test
    @SuppressWarnings("unchecked")
    void generatesALargeCluster() throws Exception {
        long start = System.nanoTime();
        try (Simulator sim = Simulator.builder().port(0).largeCluster(50, 10_000).apiToken("root@pam!t", "s")
                .authFailureDelay(Duration.ZERO).start()) {
            long generated = System.nanoTime();
            SimClient c = new SimClient(sim);
            var auth = SimClient.token("root@pam!t", "s");
            var answer = c.get("/cluster/resources", Map.of("type", "vm"), auth);
            long listed = System.nanoTime();
            List<Map<String, Object>> vms = (List<Map<String, Object>>) answer.data();
            assertThat(vms).hasSize(10_000);
            assertThat(sim.nodeNames()).hasSize(50);
            assertThat(vms.stream().filter(v -> "lxc".equals(v.get("type"))).count()).isEqualTo(2000);
            List<Map<String, Object>> onNode = (List<Map<String, Object>>) c.get("/nodes/node007/qemu", Map.of(), auth)
                    .data();
            assertThat(onNode).hasSize((int) vms.stream().filter(v -> "node007".equals(v.get("node"))
                    && "qemu".equals(v.get("type"))).count()).isNotEmpty();
            System.out.printf("large cluster: 50 nodes, 10000 guests generated and started in %d ms; "
                    + "/cluster/resources?type=vm answered in %d ms (%d KiB)%n", (generated - start) / 1_000_000,
                    (listed - generated) / 1_000_000, answer.raw().body().length() / 1024);
        }
    }
}
