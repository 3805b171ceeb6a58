package io.pvemcp.pve.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.pvemcp.api.pve.ConnectionInfo;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.TaskResult;

import org.junit.jupiter.api.Test;

/** How the Proxmox client follows a task: growing pauses, the log at the end, failures and timeouts as results. */
class TaskWaiterTest {

    static final String UPID = "UPID:pve2:0000A1B2:00C0FFEE:65A1B2C3:qmstart:102:root@pam!mcp:";

    /** Answers task status and log calls: running for a number of polls, then stopped. */
    static final class FakeTasks implements ProxmoxClient {
        final AtomicInteger polls = new AtomicInteger();
        final List<String> paths = new ArrayList<>();
        final int runningPolls;
        final String exit;

        FakeTasks(int runningPolls, String exit) {
            this.runningPolls = runningPolls;
            this.exit = exit;
        }

        @Override
        public CompletableFuture<Object> request(String method, String path, Map<String, ?> params) {
            paths.add(method + " " + path + " " + params.get("node"));
            if (path.endsWith("/status")) {
                boolean running = polls.incrementAndGet() <= runningPolls;
                return CompletableFuture.completedFuture(running ? Map.of("status", "running")
                        : Map.of("status", "stopped", "exitstatus", exit));
            }
            if (path.endsWith("/log")) {
                return CompletableFuture.completedFuture(List.of(Map.of("n", 1, "t", "starting"),
                        Map.of("n", 2, "t", "step two"), Map.of("n", 3, "t", "TASK " + exit)));
            }
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
            return TaskWaiter.await(this, upid, timeout, progress);
        }

        @Override
        public ConnectionInfo connection() {
            return null;
        }
    }

    @Test
    void waitsForATaskWithGrowingPausesAndReadsItsLog() {
        FakeTasks client = new FakeTasks(3, "WARNINGS: 2");
        List<TaskResult> seen = new ArrayList<>();
        TaskResult r = client.awaitTask(UPID, Duration.ofSeconds(30), seen::add).join();
        assertThat(r.running()).isFalse();
        assertThat(r.succeeded()).isTrue();
        assertThat(r.warnings()).isEqualTo(2);
        assertThat(r.logTail(5)).containsExactly("starting", "step two");
        assertThat(seen).hasSize(3).allMatch(TaskResult::running);
        assertThat(client.paths).allMatch(p -> p.endsWith(" pve2"));
    }

    @Test
    void reportsFailuresAndTimeoutsAsResults() {
        TaskResult failed = new FakeTasks(0, "VM is locked (backup)").awaitTask(UPID, Duration.ofSeconds(5), null)
                .join();
        assertThat(failed.failed()).isTrue();
        assertThat(failed.exitStatus()).isEqualTo("VM is locked (backup)");
        TaskResult still = new FakeTasks(1000, "OK").awaitTask(UPID, Duration.ofMillis(600), null).join();
        assertThat(still.running()).isTrue();
        assertThat(still.succeeded()).isFalse();
        assertThat(still.failed()).isFalse();
        assertThatThrownBy(() -> new FakeTasks(0, "OK").awaitTask("bad", Duration.ofSeconds(1), null).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(IllegalArgumentException.class);
    }
}
