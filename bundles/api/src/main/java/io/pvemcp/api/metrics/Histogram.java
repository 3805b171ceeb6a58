package io.pvemcp.api.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Observations in fixed buckets, as a Prometheus histogram reports them: thread-safe, without locks, cheap enough for
 * every call.
 */
public final class Histogram {

    /** Bucket bounds in seconds for calls that take from a millisecond to a minute. */
    public static final double[] LATENCY_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
        5, 10, 30, 60};

    private final double[] bounds;
    private final LongAdder[] counts;
    private final DoubleAdder sum = new DoubleAdder();

    /** @param bounds the upper bounds of the buckets, ascending (an infinite bucket follows) */
    public Histogram(double... bounds) {
        this.bounds = bounds.clone();
        for (int i = 1; i < bounds.length; i++) {
            if (!(bounds[i] > bounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must ascend: " + Arrays.toString(bounds));
            }
        }
        counts = new LongAdder[bounds.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** @return a histogram with the {@link #LATENCY_SECONDS} buckets */
    public static Histogram latency() {
        return new Histogram(LATENCY_SECONDS);
    }

    /** @param value an observation, e.g. seconds */
    public void observe(double value) {
        int i = Arrays.binarySearch(bounds, value);
        counts[i >= 0 ? i : -i - 1].increment();
        sum.add(value);
    }

    /** @param nanos a duration in nanoseconds, observed in seconds */
    public void observeNanos(long nanos) {
        observe(nanos / 1e9);
    }

    /** @return the counts now: per bucket (not cumulative), the last one above every bound */
    public Snapshot snapshot() {
        long[] c = new long[counts.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts[i].sum();
        }
        return new Snapshot(bounds.clone(), c, sum.sum());
    }

    /**
     * @param bounds the buckets' upper bounds
     * @param counts observations per bucket, one more than bounds (the last above every bound)
     * @param sum the sum of all observations
     */
    public record Snapshot(double[] bounds, long[] counts, double sum) {

        /** @return how many observations in all */
        public long count() {
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            return n;
        }
    }
}
