package io.pvemcp.pve.client.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.pvemcp.api.pve.ConnectionInfo;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.TaskResult;

/**
 * A short-lived cache of the cluster-wide reads that nearly every tool makes ({@code /cluster/resources},
 * {@code /cluster/status}, {@code /nodes}). An answer is reused for the time to live; every write this server makes
 * (any request but a GET, when it is sent and again when it is answered) and the end of every task it waits for
 * forget all answers, so a caller that lists, acts and lists again sees its own change. Callers asking the same
 * while a request is on its way share it. Answers are handed out read-only (a caller that tried to change one would
 * change it for the others); {@link #uncached()} bypasses the cache. Changes made elsewhere (the Proxmox web
 * interface, another client) show after the time to live at most.
 */
final class ReadCache implements ProxmoxClient {

    static final Set<String> PATHS = Set.of("/cluster/resources", "/cluster/status", "/nodes");

    private final ProxmoxClient delegate;
    private final long ttlNanos;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    private record Entry(long generation, long expires, CompletableFuture<Object> answer) {
    }

    private final java.util.function.LongSupplier clock;

    ReadCache(ProxmoxClient delegate, Duration ttl) {
        this(delegate, ttl, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime} */
    ReadCache(ProxmoxClient delegate, Duration ttl, java.util.function.LongSupplier clock) {
        this.delegate = delegate;
        this.ttlNanos = ttl.toNanos();
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Map<String, Object>> answer(String method, String path, Map<String, ?> params) {
        if (!"GET".equals(method)) {
            forget();
            return delegate.answer(method, path, params).whenComplete((r, e) -> forget());
        }
        return delegate.answer(method, path, params);
    }

    @Override
    public CompletableFuture<Object> request(String method, String path, Map<String, ?> params) {
        if (!"GET".equals(method)) {
            forget();
            return delegate.request(method, path, params).whenComplete((r, e) -> forget());
        }
        if (!PATHS.contains(path)) {
            return delegate.request(method, path, params);
        }
        String key = path + new TreeMap<>(params);
        long now = clock.getAsLong();
        long gen = generation.get();
        Entry e = entries.get(key);
        if (e != null && e.generation == gen && now - e.expires < 0 && !e.answer.isCompletedExceptionally()) {
            hits.increment();
            return e.answer.copy();
        }
        misses.increment();
        CompletableFuture<Object> answer = delegate.request(method, path, params).thenApply(ReadCache::readOnly);
        Entry fresh = new Entry(gen, now + ttlNanos, answer);
        entries.put(key, fresh);
        answer.whenComplete((r, x) -> {
            if (x != null) {
                entries.remove(key, fresh);
            }
        });
        return answer.copy();
    }

    @Override
    public CompletableFuture<TaskResult> awaitTask(String upid, Duration timeout, Consumer<TaskResult> progress) {
        return delegate.awaitTask(upid, timeout, progress).whenComplete((r, e) -> forget());
    }

    @Override
    public ProxmoxClient uncached() {
        return delegate;
    }

    @Override
    public ConnectionInfo connection() {
        return delegate.connection();
    }

    /** @return answers served from the cache */
    long hits() {
        return hits.sum();
    }

    /** @return cacheable requests sent to Proxmox */
    long misses() {
        return misses.sum();
    }

    private void forget() {
        generation.incrementAndGet();
        entries.clear();
    }

    /** The parsed JSON, made read-only in place (it is fresh from the parser, nobody else holds it). */
    @SuppressWarnings("unchecked")
    static Object readOnly(Object value) {
        try {
            if (value instanceof Map<?, ?> m) {
                ((Map<Object, Object>) m).replaceAll((k, v) -> readOnly(v));
                return Collections.unmodifiableMap(m);
            }
            if (value instanceof List<?> l) {
                ((List<Object>) l).replaceAll(ReadCache::readOnly);
                return Collections.unmodifiableList(l);
            }
        } catch (UnsupportedOperationException alreadyReadOnly) {
            return value;
        }
        return value;
    }
}
