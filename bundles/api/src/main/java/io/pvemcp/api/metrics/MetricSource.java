package io.pvemcp.api.metrics;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A component with figures to report: register it as an OSGi service and the server's {@code /metrics} endpoint
 * asks it for them at every scrape, in the Prometheus text format. Collecting must be cheap and must not block:
 * read counters the component keeps anyway (see {@link Histogram} for latencies), never ask Proxmox.
 *
 * <pre>
 * &#64;Component(service = MetricSource.class)
 * public final class MyMetrics implements MetricSource {
 *     private final LongAdder reports = new LongAdder();
 *     public void collect(MetricWriter out) {
 *         out.counter("pvemcp_capacity_reports_total", "Capacity reports made", Map.of(), reports.sum());
 *     }
 * }
 * </pre>
 *
 * Names follow the Prometheus conventions: {@code pvemcp_} first, {@code _total} for counters, base units
 * ({@code _seconds}, {@code _bytes}). A name belongs to one source; the endpoint drops a second source's samples of
 * a name it has already written, and a source that fails is left out of that scrape (and logged).
 */
@ConsumerType
public interface MetricSource {

    /** @param out where to write the figures */
    void collect(MetricWriter out);
}
