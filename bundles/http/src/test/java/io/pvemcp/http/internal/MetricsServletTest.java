package io.pvemcp.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.pvemcp.api.metrics.Histogram;
import io.pvemcp.api.metrics.MetricSource;

import org.junit.jupiter.api.Test;

class MetricsServletTest {

    @Test
    void writesThePrometheusTextFormatWithEachNameOnceAndWithoutAFailingSource() {
        Histogram h = new Histogram(0.01, 0.1);
        h.observe(0.005);
        h.observe(0.5);
        MetricSource tools = out -> {
            out.counter("pvemcp_tool_calls_total", "Tool calls", Map.of("tool", "proxmox_vm_list", "outcome", "ok"), 3);
            out.counter("pvemcp_tool_calls_total", "Tool calls", Map.of("tool", "a\"b\\c\nd", "outcome", "error"), 1);
            out.histogram("pvemcp_tool_call_duration_seconds", "Durations", Map.of("tool", "proxmox_vm_list"),
                    h.snapshot());
            out.gauge("pvemcp_sessions", "Open sessions", Map.of(), 2);
        };
        MetricSource broken = out -> {
            throw new IllegalStateException("boom");
        };
        MetricSource again = out -> {
            out.gauge("pvemcp_sessions", "A second source's sessions", Map.of(), 99);
            out.counter("bad name", "not a metric name", Map.of(), 1);
            out.counter("pvemcp_proxmox_requests_total", "Requests", Map.of("method", "GET", "status", "200"), 0.5);
        };
        String text = MetricsServlet.render(List.of(tools, broken, again));
        assertThat(text).isEqualTo("""
                # HELP pvemcp_tool_calls_total Tool calls
                # TYPE pvemcp_tool_calls_total counter
                pvemcp_tool_calls_total{outcome="ok",tool="proxmox_vm_list"} 3
                pvemcp_tool_calls_total{outcome="error",tool="a\\"b\\\\c\\nd"} 1
                # HELP pvemcp_tool_call_duration_seconds Durations
                # TYPE pvemcp_tool_call_duration_seconds histogram
                pvemcp_tool_call_duration_seconds_bucket{le="0.01",tool="proxmox_vm_list"} 1
                pvemcp_tool_call_duration_seconds_bucket{le="0.1",tool="proxmox_vm_list"} 1
                pvemcp_tool_call_duration_seconds_bucket{le="+Inf",tool="proxmox_vm_list"} 2
                pvemcp_tool_call_duration_seconds_sum{tool="proxmox_vm_list"} 0.505
                pvemcp_tool_call_duration_seconds_count{tool="proxmox_vm_list"} 2
                # HELP pvemcp_sessions Open sessions
                # TYPE pvemcp_sessions gauge
                pvemcp_sessions 2
                # HELP pvemcp_proxmox_requests_total Requests
                # TYPE pvemcp_proxmox_requests_total counter
                pvemcp_proxmox_requests_total{method="GET",status="200"} 0.5
                """);
    }
}
