package io.pvemcp.pve.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import io.pvemcp.api.metrics.Histogram;
import io.pvemcp.api.metrics.MetricWriter;
import io.pvemcp.pve.sim.Simulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** {@code prepare()}: a connection opened ahead, through the path every request takes, and only when none is open. */
class PrepareTest {

    static Simulator sim;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        sim = Simulator.builder().port(0).dataDirectory(dir.resolve("sim")).rootPassword("root-password")
                .apiToken("root@pam!mcp", PveClientTest.SECRET).authFailureDelay(Duration.ZERO).start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    /** A bundle context that takes the service registration and nothing else. */
    static BundleContext context() {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                PrepareTest.class.getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> null);
        return (BundleContext) Proxy.newProxyInstance(PrepareTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (p, m, a) -> {
                    if (m.getName().equals("registerService")) {
                        return registration;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    static String requests(ClientMetrics metrics) {
        Map<String, Double> counted = new TreeMap<>();
        metrics.collect(new MetricWriter() {
            @Override
            public void counter(String name, String help, Map<String, String> labels, double value) {
                if (name.equals("pvemcp_proxmox_requests_total")) {
                    counted.put(labels.get("method") + " " + labels.get("status"), value);
                }
            }

            @Override
            public void gauge(String name, String help, Map<String, String> labels, double value) {
            }

            @Override
            public void histogram(String name, String help, Map<String, String> labels, Histogram.Snapshot s) {
            }
        });
        return counted.toString();
    }

    @Test
    void opensAConnectionAheadOnlyWhenNoneIsOpen() {
        TestConfig cfg = new TestConfig();
        cfg.host = "127.0.0.1";
        cfg.port = sim.port();
        cfg.fingerprint = sim.fingerprint();
        cfg.tokenId = "root@pam!mcp";
        cfg.tokenSecret = PveClientTest.SECRET;
        ClientMetrics metrics = new ClientMetrics();
        ProxmoxClientComponent client = new ProxmoxClientComponent(context(), cfg, null, metrics);
        try {
            client.prepare();
            assertThat(requests(metrics)).as("one GET /version, counted like any request").isEqualTo("{GET 200=1.0}");
            client.prepare();
            assertThat(requests(metrics)).as("a connection is open: nothing more to do").isEqualTo("{GET 200=1.0}");
            assertThat(client.get("/version", Map.of()).join()).isInstanceOf(Map.class);
            assertThat(requests(metrics)).isEqualTo("{GET 200=2.0}");
        } finally {
            client.deactivate();
        }
    }

    @Test
    void leavesFailuresToTheRequestsThatFollow() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        TestConfig cfg = new TestConfig();
        cfg.host = "127.0.0.1";
        cfg.port = closedPort;
        cfg.tokenId = "root@pam!mcp";
        cfg.tokenSecret = PveClientTest.SECRET;
        cfg.verify = false;
        ClientMetrics metrics = new ClientMetrics();
        ProxmoxClientComponent client = new ProxmoxClientComponent(context(), cfg, null, metrics);
        try {
            client.prepare();
            assertThat(requests(metrics)).as("the attempt is counted as a request without an answer")
                    .isEqualTo("{GET 0=1.0}");
        } finally {
            client.deactivate();
        }

        ClientMetrics none = new ClientMetrics();
        ProxmoxClientComponent unconfigured = new ProxmoxClientComponent(context(), new TestConfig(), null, none);
        try {
            unconfigured.prepare();
            assertThat(requests(none)).as("nothing configured, nothing sent").isEqualTo("{}");
        } finally {
            unconfigured.deactivate();
        }
    }
}
