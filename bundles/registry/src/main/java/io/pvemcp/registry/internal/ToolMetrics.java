package io.pvemcp.registry.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.pvemcp.api.metrics.Histogram;
import io.pvemcp.api.metrics.MetricWriter;

/** Tool calls by tool and outcome, and their durations, for /metrics. */
final class ToolMetrics {

    /** The label of calls to a tool that does not exist: their names are the caller's, not ours to count. */
    static final String UNKNOWN = "(unknown)";

    private record PerTool(Map<String, LongAdder> outcomes, Histogram duration) {
    }

    private final Map<String, PerTool> tools = new ConcurrentHashMap<>();

    void called(String tool, String outcome, long nanos) {
        PerTool t = tools.computeIfAbsent(tool, k -> new PerTool(new ConcurrentHashMap<>(), Histogram.latency()));
        t.outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
        t.duration.observeNanos(nanos);
    }

    void collect(MetricWriter out) {
        var sorted = new java.util.TreeMap<>(tools);
        sorted.forEach((tool, t) -> new java.util.TreeMap<>(t.outcomes).forEach((outcome, n) -> out.counter(
                "pvemcp_tool_calls_total", "Tool calls by tool and outcome (ok, error, denied, invalid, pending, ...)",
                Map.of("tool", tool, "outcome", outcome), n.sum())));
        sorted.forEach((tool, t) -> out.histogram("pvemcp_tool_call_duration_seconds",
                "How long tool calls took, from arrival to answer", Map.of("tool", tool), t.duration.snapshot()));
    }
}
