/**
 * Figures for the server's Prometheus endpoint ({@code /metrics}): a component registers a
 * {@link io.pvemcp.api.metrics.MetricSource} service and writes its counters, gauges and
 * {@link io.pvemcp.api.metrics.Histogram histograms} when asked.
 *
 * <h2>Versions</h2>
 * 1.0: {@code MetricSource}, {@code MetricWriter}, {@code Histogram}.
 */
@Export
@Version("1.0.0")
package io.pvemcp.api.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
