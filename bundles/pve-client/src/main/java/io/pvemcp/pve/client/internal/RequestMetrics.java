package io.pvemcp.pve.client.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.pvemcp.api.metrics.Histogram;
import io.pvemcp.api.metrics.MetricSource;
import io.pvemcp.api.metrics.MetricWriter;
import io.pvemcp.api.pve.ConnectionInfo;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.api.pve.TaskResult;

/**
 * What the Proxmox client did, for /metrics: requests by method and HTTP status, their durations, and the read
 * cache's hits and misses. Kept across configuration changes (each creates a new client).
 */
final class RequestMetrics implements MetricSource {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE");

    private final Map<String, Histogram> durations = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
    private final LongAdder earlierHits = new LongAdder();
    private final LongAdder earlierMisses = new LongAdder();
    private final Supplier<ProxmoxClient> current;

    /** @param current the client in use, whose read cache counts its hits */
    RequestMetrics(Supplier<ProxmoxClient> current) {
        this.current = current;
    }

    /** @return the client, each of its requests to Proxmox counted and timed */
    ProxmoxClient measure(ProxmoxClient client) {
        return new ProxmoxClient() {
            @Override
            public CompletableFuture<Object> request(String method, String path, Map<String, ?> params) {
                long t0 = System.nanoTime();
                return client.request(method, path, params).whenComplete((r, e) -> answered(method, e,
                        System.nanoTime() - t0));
            }

            @Override
            public CompletableFuture<Map<String, Object>> answer(String method, String path, Map<String, ?> params) {
                long t0 = System.nanoTime();
                return client.answer(method, path, params).whenComplete((r, e) -> answered(method, e,
                        System.nanoTime() - t0));
            }

            @Override
            public CompletableFuture<TaskResult> awaitTask(String upid, Duration timeout,
                    Consumer<TaskResult> progress) {
                return client.awaitTask(upid, timeout, progress);
            }

            @Override
            public ConnectionInfo connection() {
                return client.connection();
            }
        };
    }

    void answered(String method, Throwable failure, long nanos) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        int status = cause == null ? 200 : cause instanceof ProxmoxException p ? p.status() : 0;
        String m = METHODS.contains(method) ? method : "OTHER";
        answers.computeIfAbsent(m + " " + status, k -> new LongAdder()).increment();
        durations.computeIfAbsent(m, k -> Histogram.latency()).observeNanos(nanos);
    }

    /** @param replaced a client being replaced: its cache's figures are kept */
    void retire(ProxmoxClient replaced) {
        if (replaced instanceof ReadCache r) {
            earlierHits.add(r.hits());
            earlierMisses.add(r.misses());
        }
    }

    @Override
    public void collect(MetricWriter out) {
        collect(out, Map.of("default", this));
    }

    /**
     * Writes the figures of several clusters' clients, each sample labelled with its cluster, a family's samples
     * together (as the text format wants them).
     */
    static void collect(MetricWriter out, Map<String, RequestMetrics> byCluster) {
        byCluster.forEach((cluster, m) -> new TreeMap<>(m.answers).forEach((key, n) -> {
            String[] k = key.split(" ", 2);
            out.counter("pvemcp_proxmox_requests_total", "Requests to the Proxmox VE API by cluster, method and HTTP "
                    + "status (0: no answer: network, TLS or timeout)", Map.of("cluster", cluster, "method", k[0],
                            "status", k[1]), n.sum());
        }));
        byCluster.forEach((cluster, m) -> new TreeMap<>(m.durations).forEach((method, h) -> out.histogram(
                "pvemcp_proxmox_request_duration_seconds", "How long requests to the Proxmox VE API took",
                Map.of("cluster", cluster, "method", method), h.snapshot())));
        byCluster.forEach((cluster, m) -> out.counter("pvemcp_proxmox_cache_hits_total", "Cluster-wide reads "
                + "answered from the read cache", Map.of("cluster", cluster), m.earlierHits.sum() + m.cacheHits()));
        byCluster.forEach((cluster, m) -> out.counter("pvemcp_proxmox_cache_misses_total", "Cluster-wide reads the "
                + "read cache passed to Proxmox VE", Map.of("cluster", cluster), m.earlierMisses.sum()
                        + m.cacheMisses()));
    }

    private long cacheHits() {
        return current.get() instanceof ReadCache r ? r.hits() : 0;
    }

    private long cacheMisses() {
        return current.get() instanceof ReadCache r ? r.misses() : 0;
    }
}
