package io.pvemcp.pve.client.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.pvemcp.api.Json;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.TaskResult;
import io.pvemcp.api.pve.Upid;

/**
 * Follows one task for {@link ProxmoxClient#awaitTask}: polls its status with growing pauses (250 ms, then
 * 1.5 times longer each time, at most 2 s), and reads the log once it stops.
 */
final class TaskWaiter {

    private static final long FIRST_PAUSE_MS = 250;
    private static final long MAX_PAUSE_MS = 2000;
    private static final int LOG_LINES = 500;

    private final ProxmoxClient client;
    private final Upid upid;
    private final long deadline;
    private final long start = System.nanoTime();
    private final Consumer<TaskResult> progress;
    private final CompletableFuture<TaskResult> result = new CompletableFuture<>();

    private TaskWaiter(ProxmoxClient client, Upid upid, Duration timeout, Consumer<TaskResult> progress) {
        this.client = client;
        this.upid = upid;
        this.deadline = start + timeout.toNanos();
        this.progress = progress;
    }

    static CompletableFuture<TaskResult> await(ProxmoxClient client, String upid, Duration timeout,
            Consumer<TaskResult> progress) {
        Upid parsed;
        try {
            parsed = Upid.parse(upid);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (timeout.isNegative()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("timeout must not be negative"));
        }
        TaskWaiter w = new TaskWaiter(client, parsed, timeout, progress);
        w.poll(FIRST_PAUSE_MS);
        return w.result;
    }

    private Map<String, Object> params() {
        return Map.of("node", upid.node(), "upid", upid.value());
    }

    private void poll(long pause) {
        if (result.isDone()) {
            return;
        }
        client.get("/nodes/{node}/tasks/{upid}/status", params()).whenComplete((data, error) -> {
            if (result.isDone()) {
                return;
            }
            if (error != null) {
                result.completeExceptionally(error);
                return;
            }
            Map<String, Object> status = Json.map(data);
            if ("stopped".equals(status.get("status"))) {
                readLog(status.get("exitstatus") == null ? "unknown" : Json.string(status, "exitstatus"));
                return;
            }
            TaskResult snapshot = new TaskResult(upid, true, null, elapsed(), List.of());
            if (progress != null) {
                try {
                    progress.accept(snapshot);
                } catch (RuntimeException e) {
                    // a failing listener must not end the wait
                }
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                result.complete(snapshot);
                return;
            }
            long wait = Math.min(pause, left);
            Executor later = CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS);
            later.execute(() -> poll(Math.min(MAX_PAUSE_MS, pause * 3 / 2)));
        });
    }

    private void readLog(String exitStatus) {
        Map<String, Object> params = new java.util.LinkedHashMap<>(params());
        params.put("limit", LOG_LINES);
        client.get("/nodes/{node}/tasks/{upid}/log", params).whenComplete((data, error) -> {
            List<String> lines = new ArrayList<>();
            if (error == null) {
                for (Object o : Json.list(data)) {
                    Object t = Json.map(o).get("t");
                    if (t != null) {
                        lines.add(String.valueOf(t));
                    }
                }
            }
            result.complete(new TaskResult(upid, false, exitStatus, elapsed(), lines));
        });
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
