package io.pvemcp.pve.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

import io.pvemcp.api.metrics.Histogram;
import io.pvemcp.api.metrics.MetricWriter;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.api.pve.ProxmoxException.Kind;
import io.pvemcp.pve.sim.Simulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The client against the simulator, which checks every request against the Proxmox VE API contract. */
class PveClientTest {

    static final String SECRET = "0c9a4b52-6f2e-4a51-8d2c-4bd1e0a7f3aa";
    static Simulator sim;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        sim = Simulator.builder().port(0).dataDirectory(dir.resolve("sim")).rootPassword("root-password")
                .apiToken("root@pam!mcp", SECRET).authFailureDelay(Duration.ZERO).start();
        sim.addUser("alice@pve", "alice-password");
        sim.addToken("alice@pve!narrow", "narrow-secret", true);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static TestConfig pinned() {
        TestConfig c = new TestConfig();
        c.host = "127.0.0.1";
        c.port = sim.port();
        c.fingerprint = sim.fingerprint();
        return c;
    }

    static TestConfig token() {
        TestConfig c = pinned();
        c.tokenId = "root@pam!mcp";
        c.tokenSecret = SECRET;
        return c;
    }

    static PveClient client(TestConfig c) {
        return new PveClient(Settings.from(c));
    }

    static ProxmoxException failure(Runnable r) {
        Throwable t = catchThrowable(r::run);
        assertThat(t).isInstanceOf(CompletionException.class);
        assertThat(t.getCause()).isInstanceOf(ProxmoxException.class);
        return (ProxmoxException) t.getCause();
    }

    @Test
    @SuppressWarnings("unchecked")
    void readsWithAnApiToken() {
        PveClient c = client(token());
        Map<String, Object> v = (Map<String, Object>) c.get("/version", Map.of()).join();
        assertThat(v).containsEntry("version", "9.1.1").containsEntry("release", "9.1");
        List<Object> nodes = (List<Object>) c.get("/nodes", Map.of()).join();
        assertThat(nodes).hasSize(3);
        assertThat(c.connection().authMethod()).isEqualTo("token");
        assertThat(c.connection().principal()).isEqualTo("root@pam!mcp");
        assertThat(c.connection().toString()).doesNotContain(SECRET);
    }

    @Test
    void fillsPathParametersAndSendsTheRestAsQuery() {
        PveClient c = client(token());
        assertThat(c.get("/nodes/{node}/status", Map.of("node", "pve1")).join()).isInstanceOf(Map.class);
        assertThat((List<?>) c.get("/cluster/resources", Map.of("type", "vm")).join()).isNotEmpty()
                .allSatisfy(r -> assertThat(((Map<?, ?>) r).get("type")).isIn("qemu", "lxc"));
        ProxmoxException e = failure(() -> c.get("/nodes/{node}/status", Map.of()).join());
        assertThat(e.kind()).isEqualTo(Kind.INVALID_PARAMETERS);
        assertThat(e.getMessage()).contains("needs the parameter 'node'");
    }

    @Test
    @SuppressWarnings("unchecked")
    void logsInWithAPasswordAndRenewsTheTicketBeforeItExpires() {
        TestConfig cfg = pinned();
        cfg.username = "root@pam";
        cfg.password = "root-password";
        AtomicLong now = new AtomicLong(System.currentTimeMillis());
        PveClient c = new PveClient(Settings.from(cfg), now::get);
        assertThat((List<Object>) c.get("/nodes", Map.of()).join()).hasSize(3);
        PveClient.Ticket first = c.ticket(false).join();
        assertThat(first.value()).startsWith("PVE:root@pam:");
        assertThat(c.ticket(false).join()).isSameAs(first);

        now.addAndGet(PveClient.TICKET_RENEWAL_AGE.plusMinutes(1).toMillis());
        PveClient.Ticket renewed = c.ticket(false).join();
        assertThat(renewed).isNotSameAs(first);
        assertThat(renewed.issuedAt()).isEqualTo(now.get());
        assertThat((List<Object>) c.get("/nodes", Map.of()).join()).hasSize(3);

        // a write with a ticket carries the CSRF token: the node accepts it and starts a task
        Object upid = c.post("/nodes/{node}/qemu/{vmid}/status/start", Map.of("node", "pve2", "vmid", 102)).join();
        assertThat(upid).asString().startsWith("UPID:pve2:").contains(":qmstart:102:root@pam:");
    }

    @Test
    void explainsRejectedCredentialsWithoutRevealingThem() {
        TestConfig cfg = pinned();
        cfg.username = "root@pam";
        cfg.password = "not-the-password";
        ProxmoxException e = failure(() -> client(cfg).get("/version", Map.of()).join());
        assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(e.getMessage()).contains("PROXMOX_PASSWORD").doesNotContain("not-the-password");

        TestConfig tok = token();
        tok.tokenSecret = "wrong-secret-value";
        ProxmoxException t = failure(() -> client(tok).get("/version", Map.of()).join());
        assertThat(t.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(t.getMessage()).contains("invalid token value!", "PROXMOX_TOKEN_SECRET").doesNotContain("wrong-secret-value");
    }

    @Test
    void verifiesTlsByDefaultAndNamesTheCertificateItDidNotTrust() {
        TestConfig cfg = token();
        cfg.fingerprint = "";
        ProxmoxException e = failure(() -> client(cfg).get("/version", Map.of()).join());
        assertThat(e.kind()).isEqualTo(Kind.TLS);
        assertThat(e.getMessage()).contains(sim.fingerprint(), "PROXMOX_CA_FILE", "PROXMOX_FINGERPRINT");
    }

    @Test
    void trustsAPinnedFingerprintOnly() {
        assertThat(client(token()).get("/version", Map.of()).join()).isNotNull();
        TestConfig wrong = token();
        wrong.fingerprint = "00".repeat(32);
        ProxmoxException e = failure(() -> client(wrong).get("/version", Map.of()).join());
        assertThat(e.kind()).isEqualTo(Kind.TLS);
        assertThat(e.getMessage()).contains("pinned fingerprint");
    }

    @Test
    void trustsACaFileForItsCertifiedNamesAndRejectsOtherCas() throws Exception {
        TestConfig cfg = token();
        cfg.fingerprint = "";
        cfg.caFile = sim.caFile().orElseThrow().toString();
        assertThat(client(cfg).get("/version", Map.of()).join()).isNotNull();
        cfg.host = "localhost";
        assertThat(client(cfg).get("/version", Map.of()).join()).isNotNull();

        Path otherCa = dir.resolve("other-ca.pem");
        try (Simulator other = Simulator.builder().port(0).authFailureDelay(Duration.ZERO).start()) {
            Files.writeString(otherCa, other.caCertificatePem());
        }
        cfg.caFile = otherCa.toString();
        ProxmoxException e = failure(() -> client(cfg).get("/version", Map.of()).join());
        assertThat(e.kind()).isEqualTo(Kind.TLS);
        assertThat(e.getMessage()).contains("not signed by the CA");
    }

    @Test
    void setsUpTlsOnFirstUseSoThatACaFileMayAppearLater() throws Exception {
        Path ca = dir.resolve("later-ca.pem");
        TestConfig cfg = token();
        cfg.fingerprint = "";
        cfg.caFile = ca.toString();
        PveClient c = client(cfg);
        ProxmoxException missing = failure(() -> c.get("/version", Map.of()).join());
        assertThat(missing.kind()).isEqualTo(Kind.TLS);
        assertThat(missing.getMessage()).contains("does not exist", "PROXMOX_CA_FILE");
        Files.writeString(ca, sim.caCertificatePem());
        assertThat(c.get("/version", Map.of()).join()).isNotNull();
    }

    @Test
    void canSwitchVerificationOffWhenTold() {
        TestConfig cfg = token();
        cfg.fingerprint = "";
        cfg.verify = false;
        PveClient c = client(cfg);
        assertThat(c.connection().tlsMode()).isEqualTo("insecure");
        assertThat(c.get("/version", Map.of()).join()).isNotNull();
    }

    @Test
    void explainsUnreachableHosts() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        TestConfig cfg = token();
        cfg.port = closed;
        ProxmoxException e = failure(() -> client(cfg).get("/version", Map.of()).join());
        assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
        assertThat(e.getMessage()).contains("connection refused", "PROXMOX_HOST");
    }

    @Test
    void mapsProxmoxErrorsToKindsWithAdvice() {
        PveClient c = client(token());
        ProxmoxException unknownNode = failure(() -> c.get("/nodes/{node}/status", Map.of("node", "pve9")).join());
        assertThat(unknownNode.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(unknownNode.getMessage()).contains("not part of the cluster");

        ProxmoxException badParam = failure(() -> c.get("/cluster/resources", Map.of("type", "vms")).join());
        assertThat(badParam.kind()).isEqualTo(Kind.INVALID_PARAMETERS);
        assertThat(badParam.parameterErrors()).containsKey("type");
        assertThat(badParam.getMessage()).contains("type: value 'vms' does not have a value in the enumeration");

        sim.setNodeOnline("pve3", false);
        try {
            ProxmoxException offline = failure(() -> c.get("/nodes/{node}/status", Map.of("node", "pve3")).join());
            assertThat(offline.kind()).isEqualTo(Kind.NODE_UNREACHABLE);
            assertThat(offline.status()).isEqualTo(595);
        } finally {
            sim.setNodeOnline("pve3", true);
        }

        ProxmoxException unknown = failure(() -> c.get("/nodes/{node}/teleport", Map.of("node", "pve1")).join());
        assertThat(unknown.kind()).isEqualTo(Kind.NOT_IMPLEMENTED);
    }

    @Test
    void namesTheMissingPrivilege() {
        TestConfig cfg = pinned();
        cfg.tokenId = "alice@pve!narrow";
        cfg.tokenSecret = "narrow-secret";
        ProxmoxException e = failure(() -> client(cfg).get("/nodes/{node}/status", Map.of("node", "pve1")).join());
        assertThat(e.kind()).isEqualTo(Kind.PERMISSION);
        assertThat(e.getMessage()).contains("Grant alice@pve!narrow the privilege Sys.Audit on /nodes/pve1");
    }

    @Test
    void saysHowToConfigureWhenNothingIs() {
        PveClient c = client(new TestConfig());
        assertThat(c.connection().configured()).isFalse();
        ProxmoxException e = failure(() -> c.get("/version", Map.of()).join());
        assertThat(e.kind()).isEqualTo(Kind.NOT_CONFIGURED);
        assertThat(e.getMessage()).contains("PROXMOX_HOST", "--demo");
    }

    @Test
    void encodesParametersAsProxmoxExpects() {
        assertThat(PveClient.encode(Map.of("force", true))).isEqualTo("force=1");
        assertThat(PveClient.encode(Map.of("vms", List.of(100, 101)))).isEqualTo("vms=100&vms=101");
        var rest = new java.util.LinkedHashMap<String, Object>();
        assertThat(PveClient.fill("/nodes/{node}/tasks/{upid}/status",
                Map.of("node", "pve1", "upid", "UPID:pve1:00001234:0000ABCD:67000000:qmstart:100:root@pam:"), rest))
                .isEqualTo("/nodes/pve1/tasks/UPID%3Apve1%3A00001234%3A0000ABCD%3A67000000%3Aqmstart%3A100%3Aroot%40pam%3A/status");
        assertThat(rest).isEmpty();
    }

    /** A bundle context that takes the service registration and nothing else. */
    static BundleContext context() {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                PveClientTest.class.getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> null);
        return (BundleContext) Proxy.newProxyInstance(PveClientTest.class.getClassLoader(),
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
    void preparesByOpeningAConnectionAheadOnlyWhenNoneIsOpen() {
        ClientMetrics metrics = new ClientMetrics();
        ProxmoxClientComponent client = new ProxmoxClientComponent(context(), token(), null, metrics);
        try {
            client.prepare();
            assertThat(requests(metrics)).as("a connection is opened, no request is made").isEqualTo("{}");
            assertThat(client.connected()).isTrue();
            client.prepare();
            assertThat(client.get("/version", Map.of()).join()).isInstanceOf(Map.class);
            assertThat(requests(metrics)).isEqualTo("{GET 200=1.0}");
        } finally {
            client.deactivate();
        }
    }

    @Test
    void leavesFailuresOfPreparingToTheRequestsThatFollow() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        TestConfig cfg = new TestConfig();
        cfg.host = "127.0.0.1";
        cfg.port = closedPort;
        cfg.tokenId = "root@pam!mcp";
        cfg.tokenSecret = SECRET;
        cfg.verify = false;
        ClientMetrics metrics = new ClientMetrics();
        ProxmoxClientComponent client = new ProxmoxClientComponent(context(), cfg, null, metrics);
        try {
            client.prepare();
            assertThat(requests(metrics)).as("no request was made").isEqualTo("{}");
            assertThat(client.connected()).isFalse();
            ProxmoxException e = failure(() -> client.get("/version", Map.of()).join());
            assertThat(e.getMessage()).as("the request that follows reports it").contains("127.0.0.1");
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
