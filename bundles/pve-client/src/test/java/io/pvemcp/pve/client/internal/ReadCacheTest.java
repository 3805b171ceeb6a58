package io.pvemcp.pve.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.pvemcp.api.Json;
import io.pvemcp.api.pve.ConnectionInfo;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.TaskResult;

import org.junit.jupiter.api.Test;

class ReadCacheTest {

    /** Answers every GET with a fresh, mutable list naming the request's number, as the parser would. */
    static final class Counting implements ProxmoxClient {
        final List<String> sent = new ArrayList<>();
        final List<CompletableFuture<Object>> pending = new ArrayList<>();
        boolean hold;
        boolean fail;

        @Override
        public synchronized CompletableFuture<Object> request(String method, String path, Map<String, ?> params) {
            sent.add(method + " " + path + " " + params);
            if (fail) {
                return CompletableFuture.failedFuture(new IllegalStateException("node offline"));
            }
            Map<String, Object> guest = new LinkedHashMap<>(Map.of("vmid", 100, "n", sent.size()));
            CompletableFuture<Object> f = new CompletableFuture<>();
            if (hold) {
                pending.add(f);
            } else {
                f.complete(new ArrayList<>(List.of(guest)));
            }
            return f;
        }

        @Override
        public CompletableFuture<TaskResult> awaitTask(String upid, Duration timeout, Consumer<TaskResult> progress) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public ConnectionInfo connection() {
            return new ConnectionInfo(true, "pve1", "pve1", 8006, "token", "root@pam!t", "verified");
        }
    }

    final Counting pve = new Counting();
    final ReadCache cache = new ReadCache(pve, Duration.ofMinutes(1));

    static int n(Object answer) {
        return ((Number) Json.map(Json.list(answer).get(0)).get("n")).intValue();
    }

    Object get(String path, Map<String, ?> params) {
        return cache.get(path, params).join();
    }

    @Test
    void aHotReadIsAskedOnceAndHandedOutReadOnly() {
        Object first = get("/cluster/resources", Map.of("type", "vm"));
        Object second = get("/cluster/resources", Map.of("type", "vm"));
        assertThat(n(second)).isEqualTo(n(first)).isEqualTo(1);
        assertThat(pve.sent).hasSize(1);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
        assertThatThrownBy(() -> Json.list(second).clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Json.map(Json.list(second).get(0)).put("n", 9))
                .isInstanceOf(UnsupportedOperationException.class);

        assertThat(n(get("/cluster/resources", Map.of("type", "node")))).as("other parameters").isEqualTo(2);
        assertThat(n(get("/nodes/{node}/qemu", Map.of("node", "pve1")))).as("not a cached path").isEqualTo(3);
        assertThat(n(get("/nodes/{node}/qemu", Map.of("node", "pve1")))).isEqualTo(4);
        assertThat(n(cache.uncached().get("/cluster/resources", Map.of("type", "vm")).join())).as("bypassed")
                .isEqualTo(5);
    }

    @Test
    void everyWriteAndTheEndOfATaskForgetWhatWasRead() {
        get("/cluster/resources", Map.of());
        cache.post("/nodes/{node}/qemu/{vmid}/status/start", Map.of("node", "pve1", "vmid", 100)).join();
        assertThat(n(get("/cluster/resources", Map.of()))).as("read again after a write").isEqualTo(3);
        assertThat(n(get("/cluster/resources", Map.of()))).isEqualTo(3);
        cache.awaitTask("UPID:pve1:1:2:3:qmstart:100:root@pam:", Duration.ofSeconds(1), null).join();
        assertThat(n(get("/cluster/resources", Map.of()))).as("read again after a task").isEqualTo(4);
    }

    @Test
    void aReadAnsweredAfterAWriteStartedIsNotReused() {
        pve.hold = true;
        CompletableFuture<Object> before = cache.get("/cluster/status", Map.of());
        pve.hold = false;
        cache.delete("/nodes/{node}/qemu/{vmid}", Map.of("node", "pve1", "vmid", 100)).join();
        pve.pending.get(0).complete(new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("n", 1)))));
        assertThat(n(before.join())).isEqualTo(1);
        assertThat(n(get("/cluster/status", Map.of()))).isEqualTo(3);
    }

    @Test
    void callersAskingAtOnceShareOneRequestAndFailuresAreNotKept() {
        pve.hold = true;
        CompletableFuture<Object> a = cache.get("/nodes", Map.of());
        CompletableFuture<Object> b = cache.get("/nodes", Map.of());
        assertThat(pve.sent).hasSize(1);
        a.cancel(true);
        pve.pending.get(0).complete(new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("n", 1)))));
        assertThat(n(b.join())).as("one caller cancelling does not cancel the other").isEqualTo(1);

        pve.hold = false;
        pve.fail = true;
        ReadCache other = new ReadCache(pve, Duration.ofMinutes(1));
        assertThat(other.get("/nodes", Map.of())).isCompletedExceptionally();
        pve.fail = false;
        assertThat(n(other.get("/nodes", Map.of()).join())).as("asked again after a failure").isEqualTo(3);
    }

    @Test
    void anAnswerLivesForTheTimeToLiveOnly() {
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        ReadCache brief = new ReadCache(pve, Duration.ofSeconds(2), nanos::get);
        brief.get("/nodes", Map.of()).join();
        nanos.addAndGet(Duration.ofMillis(1999).toNanos());
        brief.get("/nodes", Map.of()).join();
        assertThat(pve.sent).hasSize(1);
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        brief.get("/nodes", Map.of()).join();
        assertThat(pve.sent).hasSize(2);
    }
}
