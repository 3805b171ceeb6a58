package io.pvemcp.pve.sim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

/** A plain HTTPS client for tests, trusting only the simulator's CA. */
final class SimClient {

    static final ObjectMapper JSON = new ObjectMapper();

    final Simulator sim;
    final SSLContext ssl;
    final HttpClient http;

    SimClient(Simulator sim) throws Exception {
        this.sim = sim;
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(sim.caCertificatePem().getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        http = HttpClient.newBuilder().sslContext(ssl).build();
    }

    record Answer(int status, Map<String, Object> body, HttpResponse<String> raw) {
        Object data() {
            return body.get("data");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> errors() {
            return (Map<String, Object>) body.get("errors");
        }
    }

    Answer send(String method, String path, Map<String, String> form, Map<String, String> headers) throws Exception {
        String encoded = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        boolean hasBody = method.equals("POST") || method.equals("PUT");
        String uri = sim.baseUrl() + "/api2/json" + path + (!hasBody && !encoded.isEmpty() ? "?" + encoded : "");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri));
        headers.forEach(b::header);
        if (hasBody) {
            b.header("Content-Type", "application/x-www-form-urlencoded");
            b.method(method, HttpRequest.BodyPublishers.ofString(encoded));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        @SuppressWarnings("unchecked")
        Map<String, Object> body = r.body().isEmpty() ? new LinkedHashMap<>() : JSON.readValue(r.body(), Map.class);
        return new Answer(r.statusCode(), body, r);
    }

    Answer get(String path, Map<String, String> query, Map<String, String> headers) throws Exception {
        return send("GET", path, query, headers);
    }

    /** Sends raw bytes over TLS and returns the server's first answer: status line, headers and body. */
    String raw(String request) throws IOException {
        try (SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", sim.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                head.write(c);
                String h = head.toString(StandardCharsets.ISO_8859_1);
                if (h.endsWith("\r\n\r\n")) {
                    var m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(h);
                    int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
                    return h + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
                }
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Logs in with a password.
     *
     * @return the headers later requests need: the ticket cookie and the CSRF token
     */
    @SuppressWarnings("unchecked")
    Map<String, String> login(String user, String password) throws Exception {
        Answer a = send("POST", "/access/ticket", Map.of("username", user, "password", password), Map.of());
        if (a.status() != 200) {
            throw new AssertionError("login of " + user + " failed: " + a.status() + " " + a.body());
        }
        Map<String, Object> data = (Map<String, Object>) a.data();
        return Map.of("Cookie", "PVEAuthCookie=" + URLEncoder.encode(String.valueOf(data.get("ticket")),
                StandardCharsets.UTF_8), "CSRFPreventionToken", String.valueOf(data.get("CSRFPreventionToken")));
    }

    static Map<String, String> token(String tokenId, String secret) {
        return Map.of("Authorization", "PVEAPIToken=" + tokenId + "=" + secret);
    }
}
