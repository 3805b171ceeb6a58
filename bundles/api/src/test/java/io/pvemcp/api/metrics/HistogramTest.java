package io.pvemcp.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HistogramTest {

    @Test
    void countsEachObservationInTheFirstBucketItFitsAndSumsThem() {
        Histogram h = new Histogram(0.01, 0.1, 1);
        h.observe(0.005);
        h.observe(0.01);
        h.observe(0.05);
        h.observeNanos(2_000_000_000L);
        Histogram.Snapshot s = h.snapshot();
        assertThat(s.counts()).containsExactly(2, 1, 0, 1);
        assertThat(s.count()).isEqualTo(4);
        assertThat(s.sum()).isCloseTo(2.065, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.bounds()).containsExactly(0.01, 0.1, 1);
    }

    @Test
    void boundsMustAscend() {
        assertThatThrownBy(() -> new Histogram(1, 1)).hasMessageContaining("ascend");
        assertThat(Histogram.latency().snapshot().counts()).hasSize(Histogram.LATENCY_SECONDS.length + 1);
    }
}
