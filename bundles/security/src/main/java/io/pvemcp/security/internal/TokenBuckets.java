package io.pvemcp.security.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets by key: each key may spend {@code burst} requests at once and regains {@code perMinute} per
 * minute. Thread-safe; idle full buckets are forgotten so the table stays small.
 */
final class TokenBuckets {

    private static final int MAX_KEYS = 10_000;

    private final double capacity;
    private final double perNano;
    private final LongSupplier nanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }
    }

    TokenBuckets(int perMinute, int burst, LongSupplier nanos) {
        this.capacity = Math.max(1, burst);
        this.perNano = Math.max(1, perMinute) / 60e9;
        this.nanos = nanos;
    }

    /**
     * Takes one token.
     *
     * @return 0 if granted, otherwise the seconds until a token is available (at least 1)
     */
    long take(String key) {
        return spend(key, true);
    }

    /** @return 0 if a token is available (without taking it), otherwise the seconds until one is */
    long peek(String key) {
        return spend(key, false);
    }

    private long spend(String key, boolean take) {
        long now = nanos.getAsLong();
        if (buckets.size() > MAX_KEYS) {
            forgetFull(now);
        }
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(capacity, now));
        synchronized (b) {
            b.tokens = Math.min(capacity, b.tokens + (now - b.updated) * perNano);
            b.updated = now;
            if (b.tokens >= 1) {
                if (take) {
                    b.tokens -= 1;
                }
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b.tokens) / perNano / 1e9));
        }
    }

    private void forgetFull(long now) {
        buckets.entrySet().removeIf(e -> {
            Bucket b = e.getValue();
            synchronized (b) {
                return b.tokens + (now - b.updated) * perNano >= capacity;
            }
        });
    }
}
