package io.pvemcp.pve.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.pvemcp.api.pve.ConnectionInfo;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.TaskResult;

import org.junit.jupiter.api.Test;

/**
 * Every layer the runtime puts around the client (request metrics, the read cache) passes a whole answer through,
 * with the attributes Proxmox puts beside {@code data}: a layer that fell back on the interface's default would drop
 * them without an error.
 */
class WholeAnswersTest {

    final List<String> sent = new ArrayList<>();
    final ProxmoxClient pve = new ProxmoxClient() {
        @Override
        public CompletableFuture<Object> request(String method, String path, Map<String, ?> params) {
            sent.add("request " + method + " " + path);
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletableFuture<Map<String, Object>> answer(String method, String path, Map<String, ?> params) {
            sent.add("answer " + method + " " + path);
            Map<String, Object> whole = new LinkedHashMap<>();
            whole.put("data", List.of(Map.of("iface", "vmbr9")));
            whole.put("changes", "+iface vmbr9 inet manual\n");
            return CompletableFuture.completedFuture(whole);
        }

        @Override
        public CompletableFuture<TaskResult> awaitTask(String upid, Duration timeout, Consumer<TaskResult> progress) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public ConnectionInfo connection() {
            return null;
        }
    };

    @Test
    void metricsAndTheReadCachePassTheAttributesThrough() {
        RequestMetrics metrics = new RequestMetrics(() -> null);
        ProxmoxClient runtime = new ReadCache(metrics.measure(pve), Duration.ofMinutes(1));
        Map<String, Object> whole = runtime.answer("GET", "/nodes/{node}/network", Map.of("node", "pve1")).join();
        assertThat(whole).containsEntry("changes", "+iface vmbr9 inet manual\n").containsKey("data");
        runtime.answer("PUT", "/nodes/{node}/network", Map.of("node", "pve1")).join();
        assertThat(sent).containsExactly("answer GET /nodes/{node}/network", "answer PUT /nodes/{node}/network");
        StringBuilder figures = new StringBuilder();
        metrics.collect(new io.pvemcp.api.metrics.MetricWriter() {
            @Override
            public void counter(String name, String help, Map<String, String> labels, double value) {
                figures.append(name).append(new java.util.TreeMap<>(labels)).append('=').append(value).append('\n');
            }

            @Override
            public void gauge(String name, String help, Map<String, String> labels, double value) {
            }

            @Override
            public void histogram(String name, String help, Map<String, String> labels,
                    io.pvemcp.api.metrics.Histogram.Snapshot snapshot) {
            }
        });
        assertThat(figures.toString()).as("whole answers are counted like any request")
                .contains("pvemcp_proxmox_requests_total{cluster=default, method=GET, status=200}=1.0");
    }
}
