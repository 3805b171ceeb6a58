package io.pvemcp.api.metrics;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Receives a {@link MetricSource}'s figures. Each call writes one sample; samples of one name with different labels
 * are written one after the other. Label values may be any text (they are escaped); a metric's help text is written
 * once, with its first sample.
 */
@ProviderType
public interface MetricWriter {

    /**
     * @param name e.g. {@code pvemcp_tool_calls_total}
     * @param help what it counts, one line
     * @param labels the sample's labels, e.g. {@code tool=proxmox_vm_list}; may be empty
     * @param value a count that only grows while the server runs
     */
    void counter(String name, String help, Map<String, String> labels, double value);

    /**
     * @param name e.g. {@code pvemcp_sessions}
     * @param help what it measures, one line
     * @param labels the sample's labels; may be empty
     * @param value the current value
     */
    void gauge(String name, String help, Map<String, String> labels, double value);

    /**
     * @param name e.g. {@code pvemcp_tool_call_duration_seconds}
     * @param help what it measures, one line
     * @param labels the sample's labels; may be empty
     * @param histogram the observations
     */
    void histogram(String name, String help, Map<String, String> labels, Histogram.Snapshot histogram);
}
