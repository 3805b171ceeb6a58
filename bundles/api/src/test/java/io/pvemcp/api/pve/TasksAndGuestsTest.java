package io.pvemcp.api.pve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class TasksAndGuestsTest {

    static final String UPID = "UPID:pve2:0000A1B2:00C0FFEE:65A1B2C3:qmstart:102:root@pam!mcp:";

    /** Answers {@code /cluster/resources} with a VM and a locked container; task polling is the client's. */
    static final class FakeCluster implements ProxmoxClient {

        @Override
        public CompletableFuture<Object> request(String method, String path, Map<String, ?> params) {
            if (path.equals("/cluster/resources")) {
                return CompletableFuture.completedFuture(List.of(
                        Map.of("vmid", 100, "type", "qemu", "node", "pve1", "name", "web01", "status", "running",
                                "template", 0),
                        Map.of("vmid", 200, "type", "lxc", "node", "pve3", "name", "dns01", "status", "stopped",
                                "template", 0, "lock", "backup")));
            }
            return CompletableFuture.failedFuture(new IllegalStateException(path));
        }

        @Override
        public CompletableFuture<TaskResult> awaitTask(String upid, Duration timeout,
                java.util.function.Consumer<TaskResult> progress) {
            throw new UnsupportedOperationException("the Proxmox client bundle follows tasks");
        }

        @Override
        public ConnectionInfo connection() {
            return null;
        }
    }

    @Test
    void parsesTaskIds() {
        Upid u = Upid.parse(UPID);
        assertThat(u.node()).isEqualTo("pve2");
        assertThat(u.type()).isEqualTo("qmstart");
        assertThat(u.id()).isEqualTo("102");
        assertThat(u.user()).isEqualTo("root@pam!mcp");
        assertThat(u.startTime()).isEqualTo(0x65A1B2C3L);
        assertThat(Upid.isUpid(UPID)).isTrue();
        assertThat(Upid.isUpid("OK")).isFalse();
        assertThatThrownBy(() -> Upid.parse("nope")).hasMessageContaining("is not a Proxmox task id");
    }

    @Test
    void locatesGuestsAndExplainsWhatWasSearched() {
        FakeCluster client = new FakeCluster();
        GuestRef vm = Guests.locate(client, 100, "qemu", null).join();
        assertThat(vm.node()).isEqualTo("pve1");
        assertThat(vm.path("/status/start")).isEqualTo("/nodes/{node}/qemu/{vmid}/status/start");
        assertThat(vm.params()).containsEntry("node", "pve1").containsEntry("vmid", 100);
        assertThat(Guests.locate(client, 200, null, "pve3").join().lock()).isEqualTo("backup");
        assertThatThrownBy(() -> Guests.locate(client, 200, "qemu", null).join()).hasCauseInstanceOf(
                ProxmoxException.class).hasMessageContaining("VMID 200 is a container (dns01 on pve3), not a VM.");
        assertThatThrownBy(() -> Guests.locate(client, 100, null, "pve2").join())
                .hasMessageContaining("lives on node pve1, not on pve2");
        assertThatThrownBy(() -> Guests.locate(client, 999, "qemu", null).join())
                .hasMessageContaining("No VM with VMID 999 exists in the cluster")
                .satisfies(e -> assertThat(((ProxmoxException) e.getCause()).kind()).isEqualTo(ProxmoxException.Kind.NOT_FOUND));
    }
}
