package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/**
 * The project's benchmark ({@code bench.mjs}, docs/performance.md) runs end to end in its quick form, so that it does
 * not rot: every row is measured and every figure is there. Its figures are printed, never asserted: speed is what
 * the full benchmark reports, not what a test on a shared CI machine can judge.
 */
class BenchIT {

    @Test
    void theQuickBenchmarkMeasuresEveryPathAndReportsEveryFigure() throws Exception {
        Files.createDirectories(ServerProcess.OUT);
        Path json = ServerProcess.OUT.resolve("bench-quick.json").toAbsolutePath();
        DemoServerIT.Result r = DemoServerIT.node(List.of("bench.mjs", "--quick", "--dist",
                DistributionIT.DIST.toAbsolutePath().toString(), "--json", json.toString()), Map.of());
        System.out.println(r.output());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("| floor (direct HTTPS GET) |", "| stdio |", "| Streamable HTTP + bearer |",
                "MCP overhead over the floor");

        JsonNode result = new ObjectMapper().readTree(json.toFile());
        assertThat(result.at("/floor/steady/p50_ms").asDouble()).isPositive();
        assertThat(result.at("/floor/calls_per_s_in_flight").asDouble()).isPositive();
        for (String path : List.of("stdio", "http")) {
            JsonNode row = result.path(path);
            assertThat(row.isObject()).as(path).isTrue();
            for (String figure : List.of("start_to_initialize_ms", "start_to_first_call_ms", "cpu_ms_per_call",
                    "calls_per_s_in_flight", "rss_after_start_mib", "peak_rss_mib", "ratio_p50")) {
                assertThat(row.path(figure).asDouble()).as("%s %s", path, figure).isPositive();
            }
            assertThat(row.at("/steady/p99_ms").asDouble()).as(path).isGreaterThanOrEqualTo(row.at("/steady/p50_ms")
                    .asDouble());
            assertThat(row.path("start_to_first_call_ms").asDouble()).as(path)
                    .isGreaterThan(row.path("start_to_initialize_ms").asDouble());
            assertThat(row.path("peak_rss_mib").asDouble()).as(path)
                    .isGreaterThanOrEqualTo(row.path("rss_after_start_mib").asDouble());
        }
        JsonNode big = result.path("big");
        assertThat(big.path("guests_in_cluster").asInt()).isEqualTo(2000);
        assertThat(big.at("/default_limit/returned").asInt()).isEqualTo(50);
        assertThat(big.at("/limit_1000/returned").asInt()).isEqualTo(1000);
        assertThat(big.at("/limit_1000/result_chars").asInt()).isGreaterThan(big.at("/default_limit/result_chars")
                .asInt());
        assertThat(big.at("/default_limit/total").asInt()).isGreaterThan(1000);
    }
}
