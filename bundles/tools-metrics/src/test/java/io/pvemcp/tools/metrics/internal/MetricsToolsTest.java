package io.pvemcp.tools.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import io.pvemcp.api.Content;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.testing.SimulatedCluster;
import io.pvemcp.testing.ToolCalls;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsToolsTest {

    SimulatedCluster cluster;
    ToolCalls tools;

    @BeforeEach
    void start() {
        cluster = SimulatedCluster.start();
        tools = new ToolCalls(cluster.client());
    }

    @AfterEach
    void stop() {
        assertThat(cluster.simulator().contractViolations()).isEmpty();
        cluster.close();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    static BufferedImage png(ToolResult r) throws Exception {
        Content image = r.content().stream().filter(c -> c.type() == Content.Type.IMAGE).findFirst().orElseThrow();
        assertThat(image.mimeType()).isEqualTo("image/png");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(image.data())));
        assertThat(img).as("decodes as PNG").isNotNull();
        return img;
    }

    static int pixels(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void aNodesLastHourIsSummarisedAndDrawn() throws Exception {
        ToolResult r = tools.call(new MetricsTool(), Map.of("node", "pve1"));
        Map<String, Object> out = r.structuredContent();
        assertThat(out).containsEntry("target", "Node pve1").containsEntry("timeframe", "hour")
                .containsEntry("points", 70);
        Map<String, Object> cpu = map(map(out.get("series")).get("cpu_percent"));
        double min = ((Number) cpu.get("min")).doubleValue();
        double avg = ((Number) cpu.get("avg")).doubleValue();
        double max = ((Number) cpu.get("max")).doubleValue();
        assertThat(min).isLessThanOrEqualTo(avg).isPositive();
        assertThat(avg).isLessThanOrEqualTo(max);
        assertThat(max).isLessThanOrEqualTo(100);
        assertThat(map(out.get("series"))).containsKeys("memory_percent", "net_in_bytes_per_s", "loadavg");
        List<?> busiest = (List<?>) out.get("busiest");
        assertThat(busiest).hasSize(3);
        assertThat(((Number) map(busiest.get(0)).get("cpu_percent")).doubleValue()).isEqualTo(max);
        assertThat(r.text()).startsWith("Node pve1, last hour, average of 70 points: cpu avg ");

        BufferedImage img = png(r);
        assertThat(img.getWidth()).isEqualTo(Chart.WIDTH);
        assertThat(img.getHeight()).as("four panels").isGreaterThan(4 * 150);
        for (int colour : new int[] {Chart.COLOURS[0], Chart.COLOURS[1]}) {
            assertThat(pixels(img, colour)).as("series drawn in %06x", colour).isGreaterThan(500);
        }
        assertThat(pixels(img, 0x222222)).as("text and axes").isGreaterThan(1000);
    }

    @Test
    void aGuestOverAWeekAndAStorageWithoutItsNode() throws Exception {
        ToolResult vm = tools.call(new MetricsTool(), Map.of("vmid", 100, "timeframe", "week", "cf", "MAX"));
        assertThat(vm.structuredContent()).containsEntry("target", "VM 100 (web01) on pve1")
                .containsEntry("cf", "MAX");
        assertThat(map(vm.structuredContent().get("series"))).containsKeys("cpu_percent", "memory_percent",
                "net_in_bytes_per_s", "disk_write_bytes_per_s");
        assertThat(png(vm).getHeight()).isGreaterThan(4 * 150);

        ToolResult st = tools.call(new MetricsTool(), Map.of("storage", "nfs-shared", "chart", false));
        assertThat((String) st.structuredContent().get("target")).startsWith("Storage nfs-shared on pve");
        assertThat(map(st.structuredContent().get("series"))).containsOnlyKeys("usage_percent");
        assertThat(st.content()).as("no chart asked for").hasSize(1);

        assertThat(tools.refusal(ToolException.class, new MetricsTool(), Map.of("vmid", 100, "storage", "local"))
                .getMessage()).contains("name one thing");
        assertThat(tools.refusal(ToolException.class, new MetricsTool(), Map.of())).hasMessageContaining(
                "name one thing");
        assertThat(tools.refusal(Exception.class, new MetricsTool(), Map.of("vmid", 555)).getMessage())
                .contains("No guest with VMID 555");
    }

    @Test
    void aStoppedGuestHasNoDataAndNoChart() throws Exception {
        ToolResult stopped = tools.call(new MetricsTool(), Map.of("vmid", 102));
        assertThat(map(stopped.structuredContent().get("series"))).isEmpty();
        assertThat(stopped.text()).contains("no data");
        assertThat(stopped.content()).hasSize(1);
    }

    @Test
    void theTopOfTheClusterByCpuMemoryNetworkAndDisk() throws Exception {
        ToolResult cpu = tools.call(new ClusterTopTool(), Map.of());
        List<?> guests = (List<?>) cpu.structuredContent().get("guests");
        assertThat(guests).isNotEmpty().hasSizeLessThanOrEqualTo(5);
        double first = ((Number) map(guests.get(0)).get("cores_used")).doubleValue();
        for (Object g : guests) {
            assertThat(((Number) map(g).get("cores_used")).doubleValue()).isLessThanOrEqualTo(first);
        }
        assertThat((List<?>) cpu.structuredContent().get("nodes")).hasSize(3);
        assertThat(cpu.text()).startsWith("Top ").contains("running guests by cpu", "Nodes:");

        ToolResult mem = tools.call(new ClusterTopTool(), Map.of("by", "memory", "limit", 2));
        assertThat((List<?>) mem.structuredContent().get("guests")).hasSize(2);
        ToolResult net = tools.call(new ClusterTopTool(), Map.of("by", "network"));
        Map<String, Object> top = map(((List<?>) net.structuredContent().get("guests")).get(0));
        assertThat(((Number) top.get("net_bytes_per_s")).doubleValue()).isPositive();
        assertThat(net.structuredContent()).containsEntry("sampled_guests", net.structuredContent()
                .get("running_guests"));
        ToolResult disk = tools.call(new ClusterTopTool(), Map.of("by", "disk_io"));
        assertThat((List<?>) disk.structuredContent().get("nodes")).isEmpty();
        assertThat(((Number) map(((List<?>) disk.structuredContent().get("guests")).get(0))
                .get("disk_io_bytes_per_s")).doubleValue()).isPositive();
    }
}
