package io.pvemcp.pve.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocketFactory;

import io.pvemcp.pve.sim.internal.tls.NodeCertificates;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/1.1 client against a scripted TLS server: each accepted connection serves the scripted answers in turn,
 * one per request, and records what it received; a script may end a connection or stay silent.
 */
class Http1ClientTest {

    static NodeCertificates certs;

    @BeforeAll
    static void certificates() throws Exception {
        certs = NodeCertificates.loadOrCreate(null, "pve-test", List.of(),
                List.of(InetAddress.getByName("127.0.0.1")));
    }

    /** What a scripted connection does for one request. */
    interface Step {
        /** @return whether to keep the connection open for the next request */
        boolean serve(String request, OutputStream out) throws IOException;
    }

    static Step answer(String raw) {
        return (request, out) -> {
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return true;
        };
    }

    /** Answers, then ends the connection. */
    static Step last(String raw) {
        return (request, out) -> {
            answer(raw).serve(request, out);
            return false;
        };
    }

    static final Step CLOSE = (request, out) -> false;

    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    /** How long the server lets each TLS handshake wait. */
    volatile long handshakeDelayMs;
    SSLServerSocket server;

    /** Serves each connection with the next list of steps. */
    void serve(Queue<List<Step>> perConnection) throws Exception {
        server = (SSLServerSocket) certs.sslContext().getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getByName("127.0.0.1"));
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    List<Step> steps = perConnection.poll();
                    Thread c = new Thread(() -> run(s, steps == null ? List.of() : steps));
                    c.setDaemon(true);
                    c.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private void run(Socket s, List<Step> steps) {
        try (s) {
            if (handshakeDelayMs > 0) {
                Thread.sleep(handshakeDelayMs);
            }
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (Step step : steps) {
                String request = readRequest(in);
                if (request == null) {
                    return;
                }
                requests.add(request);
                if (!step.serve(request, out)) {
                    return;
                }
            }
            while (in.read() >= 0) {
                // stay open until the client goes
            }
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String h = head.toString(StandardCharsets.ISO_8859_1);
            if (h.endsWith("\r\n\r\n")) {
                int at = h.toLowerCase().indexOf("content-length: ");
                if (at >= 0) {
                    int n = Integer.parseInt(h.substring(at + 16, h.indexOf("\r\n", at)).trim());
                    return h + new String(in.readNBytes(n), StandardCharsets.UTF_8);
                }
                return h;
            }
        }
        return null;
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    Http1Client client(long requestTimeoutMs) throws Exception {
        TestConfig c = new TestConfig();
        c.host = "127.0.0.1";
        c.port = server.getLocalPort();
        c.fingerprint = certs.fingerprint();
        SSLSocketFactory f = Tls.context(Settings.from(c), new AtomicReference<>()).getSocketFactory();
        return new Http1Client("127.0.0.1", server.getLocalPort(), f, 2000, requestTimeoutMs * 1_000_000);
    }

    static String body(Http1Client.Response r) {
        return new String(r.body(), 0, r.length(), StandardCharsets.UTF_8);
    }

    static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"data\":42}";

    @Test
    void keepsTheConnectionAliveBetweenRequests() throws Exception {
        serve(new ConcurrentLinkedQueue<>(List.of(List.of(answer(OK), answer(OK), answer(OK)))));
        try (Http1Client c = client(2000)) {
            for (int i = 0; i < 3; i++) {
                Http1Client.Response r = c.exchange("GET", "/api2/json/version?x=" + i,
                        new String[] {"Accept: application/json"}, null);
                assertThat(r.status()).isEqualTo(200);
                assertThat(body(r)).isEqualTo("{\"data\":42}");
            }
            assertThat(connections).hasValue(1);
            assertThat(c.idleConnections()).isEqualTo(1);
            assertThat(c.hasUsableConnection()).as("kept for the next request").isTrue();
        }
        assertThat(requests.get(2)).startsWith("GET /api2/json/version?x=2 HTTP/1.1\r\n")
                .contains("\r\nHost: 127.0.0.1:" + server.getLocalPort() + "\r\n", "\r\nAccept: application/json\r\n");
    }

    @Test
    void aRequestWaitsForTheConnectionOpenedAheadRatherThanOpeningAnother() throws Exception {
        handshakeDelayMs = 300;
        // one connection is scripted: a second one would get no answer
        serve(new ConcurrentLinkedQueue<>(List.of(List.of(answer(OK)))));
        try (Http1Client c = client(5000)) {
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread ahead = new Thread(() -> {
                try {
                    c.openAhead();
                } catch (IOException e) {
                    failed.set(e);
                }
            });
            ahead.start();
            while (connections.get() == 0) {
                Thread.sleep(5);
            }
            // the handshake of the connection opened ahead is still under way
            Http1Client.Response r = c.exchange("GET", "/api2/json/version", new String[0], null);
            assertThat(r.status()).isEqualTo(200);
            ahead.join(5000);
            assertThat(failed.get()).isNull();
            assertThat(connections).hasValue(1);
            assertThat(requests).hasSize(1);
            assertThat(c.hasUsableConnection()).isTrue();
        }
    }

    @Test
    void aConnectionOpenedAheadIsKeptForTheNextRequest() throws Exception {
        serve(new ConcurrentLinkedQueue<>(List.of(List.of(answer(OK)))));
        try (Http1Client c = client(2000)) {
            c.openAhead();
            assertThat(requests).as("nothing is sent ahead").isEmpty();
            assertThat(c.hasUsableConnection()).isTrue();
            assertThat(c.exchange("GET", "/api2/json/version", new String[0], null).status()).isEqualTo(200);
            assertThat(connections).hasValue(1);
        }
    }

    @Test
    void sendsABodyWithItsLength() throws Exception {
        serve(new ConcurrentLinkedQueue<>(List.of(List.of(answer(OK)))));
        try (Http1Client c = client(2000)) {
            c.exchange("POST", "/api2/json/nodes/pve1/qemu", new String[] {"Content-Type: "
                    + "application/x-www-form-urlencoded"}, "vmid=100&name=caf%C3%A9".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(requests.get(0)).contains("\r\nContent-Length: 23\r\n").endsWith("\r\n\r\nvmid=100&name=caf%C3%A9");
    }

    @Test
    void readsChunkedAnswersAndAnswersThatEndWithTheConnection() throws Exception {
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\n{\"dat\r\n6\r\na\":42}\r\n0\r\n"
                + "X-Trailer: 1\r\n\r\n";
        String untilEnd = "HTTP/1.0 200 OK\r\n\r\n{\"data\":43}";
        serve(new ConcurrentLinkedQueue<>(List.of(List.of(answer(chunked), last(untilEnd)), List.of(
                answer(OK)))));
        try (Http1Client c = client(2000)) {
            assertThat(body(c.exchange("GET", "/a", new String[0], null))).isEqualTo("{\"data\":42}");
            assertThat(body(c.exchange("GET", "/b", new String[0], null))).isEqualTo("{\"data\":43}");
            // the answer without a length ended its connection: the next request opens a new one
            assertThat(c.idleConnections()).isZero();
            assertThat(c.hasUsableConnection()).isFalse();
            assertThat(body(c.exchange("GET", "/c", new String[0], null))).isEqualTo("{\"data\":42}");
        }
        assertThat(connections).hasValue(2);
    }

    @Test
    void closesTheConnectionWhenTheNodeSaysSo() throws Exception {
        String closing = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}";
        serve(new ConcurrentLinkedQueue<>(List.of(List.of(answer(closing)), List.of(answer(OK)))));
        try (Http1Client c = client(2000)) {
            assertThat(c.exchange("GET", "/a", new String[0], null).status()).isEqualTo(400);
            assertThat(c.idleConnections()).isZero();
            assertThat(c.exchange("GET", "/b", new String[0], null).status()).isEqualTo(200);
        }
        assertThat(connections).hasValue(2);
    }

    @Test
    void sendsAGetOnceMoreWhenAKeptAliveConnectionWasClosedMeanwhile() throws Exception {
        // the first connection answers once, then the node closes it without a word when the next request arrives
        serve(new ConcurrentLinkedQueue<>(List.of(List.of(answer(OK), CLOSE), List.of(answer(OK)))));
        try (Http1Client c = client(2000)) {
            c.exchange("GET", "/a", new String[0], null);
            assertThat(c.exchange("GET", "/b", new String[0], null).status()).isEqualTo(200);
        }
        assertThat(connections).hasValue(2);
        assertThat(requests).hasSize(3);
        assertThat(requests.get(1)).startsWith("GET /b ");
        assertThat(requests.get(2)).startsWith("GET /b ");
    }

    @Test
    void neverSendsARequestThatChangesSomethingTwice() throws Exception {
        serve(new ConcurrentLinkedQueue<>(List.of(List.of(answer(OK), CLOSE), List.of(answer(OK)))));
        try (Http1Client c = client(2000)) {
            c.exchange("GET", "/a", new String[0], null);
            assertThatThrownBy(() -> c.exchange("POST", "/b", new String[0], new byte[0]))
                    .isInstanceOf(IOException.class);
        }
        assertThat(requests).hasSize(2);
        assertThat(connections).hasValue(1);
    }

    @Test
    void timesOutWhenTheNodeDoesNotAnswer() throws Exception {
        Step silent = (request, out) -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        };
        serve(new ConcurrentLinkedQueue<>(List.of(List.of(silent))));
        try (Http1Client c = client(300)) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> c.exchange("GET", "/slow", new String[0], null))
                    .isInstanceOfSatisfying(Http1Client.Timeout.class, t -> assertThat(t.connecting).isFalse());
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(250L, 2500L);
            assertThat(c.idleConnections()).isZero();
        }
        // a timed-out GET is not sent again
        assertThat(requests).hasSize(1);
    }

    @Test
    void timesOutWhenTheNodeTakesTheConnectionButNeverAnswersTheHandshake() throws Exception {
        try (java.net.ServerSocket mute = new java.net.ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            TestConfig cfg = new TestConfig();
            cfg.host = "127.0.0.1";
            cfg.port = mute.getLocalPort();
            cfg.fingerprint = certs.fingerprint();
            SSLSocketFactory f = Tls.context(Settings.from(cfg), new AtomicReference<>()).getSocketFactory();
            try (Http1Client c = new Http1Client("127.0.0.1", mute.getLocalPort(), f, 300, 5_000_000_000L)) {
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> c.exchange("GET", "/a", new String[0], null))
                        .isInstanceOfSatisfying(Http1Client.Timeout.class, t -> assertThat(t.connecting).isTrue());
                assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(250L, 2500L);
            }
        }
    }

    @Test
    void refusesWhatIsNotHttp() throws Exception {
        String garbage = "SSH-2.0-OpenSSH_9.2\r\n\r\n";
        String hugeHead = "HTTP/1.1 200 OK\r\nX: " + "a".repeat(70_000) + "\r\n\r\n";
        serve(new ConcurrentLinkedQueue<>(List.of(List.of(answer(garbage)), List.of(answer(hugeHead)))));
        try (Http1Client c = client(2000)) {
            assertThatThrownBy(() -> c.exchange("GET", "/a", new String[0], null)).isInstanceOf(IOException.class)
                    .hasMessageContaining("not HTTP/1.x");
            assertThatThrownBy(() -> c.exchange("GET", "/a", new String[0], null)).isInstanceOf(IOException.class)
                    .hasMessageContaining("longer than");
        }
    }

    @Test
    void verifiesTheHostNameAgainstTheCertificate() throws Exception {
        serve(new ConcurrentLinkedQueue<>(List.of(List.of(answer(OK)), List.of(answer(OK)))));
        java.nio.file.Path ca = java.nio.file.Files.createTempFile("ca", ".pem");
        try {
            java.nio.file.Files.writeString(ca, certs.caPem());
            TestConfig cfg = new TestConfig();
            cfg.host = "127.0.0.1";
            cfg.port = server.getLocalPort();
            cfg.caFile = ca.toString();
            AtomicReference<X509Certificate> seen = new AtomicReference<>();
            SSLSocketFactory f = Tls.context(Settings.from(cfg), seen).getSocketFactory();
            // the certificate covers pve-test and 127.0.0.1; the same node asked for as localhost is not trusted
            try (Http1Client right = new Http1Client("127.0.0.1", server.getLocalPort(), f, 2000, 2_000_000_000L)) {
                assertThat(right.exchange("GET", "/a", new String[0], null).status()).isEqualTo(200);
            }
            try (Http1Client wrong = new Http1Client("localhost", server.getLocalPort(), f, 2000, 2_000_000_000L)) {
                assertThatThrownBy(() -> wrong.exchange("GET", "/a", new String[0], null))
                        .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("localhost");
            }
            assertThat(seen.get().getSubjectX500Principal().getName()).contains("pve-test");
        } finally {
            java.nio.file.Files.delete(ca);
        }
    }
}
