package io.pvemcp.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.pvemcp.api.Json;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.pve.client.ProxmoxClients;

/**
 * What {@code init} and {@code test-connection} need to know about a Proxmox VE node before any server runs: the
 * certificate it presents, and whether the configured credentials work.
 */
final class ProxmoxSetup {

    static final String PID = "io.pvemcp.pve.client";

    private ProxmoxSetup() {
    }

    /**
     * The certificate a node presented.
     *
     * @param fingerprint SHA-256 of the leaf, {@code AB:CD:...}
     * @param subject its subject
     * @param issuer its issuer
     * @param notAfter when it expires
     * @param trusted whether the system trust store accepts it (then no pin is needed)
     */
    record Presented(String fingerprint, String subject, String issuer, String notAfter, boolean trusted) {
    }

    /**
     * Connects and looks at the certificate, trusting nothing yet.
     *
     * @throws IOException if the node cannot be reached or speaks no TLS; the message says what to check
     */
    static Presented presented(String host, int port) throws IOException {
        X509Certificate[][] seen = new X509Certificate[1][];
        X509TrustManager recorder = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen[0] = chain;
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {recorder}, null);
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(host, port), 5000);
                plain.setSoTimeout(10_000);
                try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, false)) {
                    SSLParameters p = tls.getSSLParameters();
                    if (!host.matches("[0-9.]+|.*:.*")) {
                        p.setServerNames(List.of(new SNIHostName(host)));
                    }
                    tls.setSSLParameters(p);
                    tls.startHandshake();
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS is not available in this Java: " + e.getMessage(), e);
        } catch (java.net.ConnectException e) {
            throw new IOException("Nothing accepts connections at " + host + ":" + port + " (" + e.getMessage()
                    + "). Check the address and port (Proxmox VE listens on 8006) and that a firewall lets you through.");
        } catch (java.net.UnknownHostException e) {
            throw new IOException("The host name " + host + " is unknown. Check the spelling, or use the node's address.");
        } catch (java.net.SocketTimeoutException e) {
            throw new IOException(host + ":" + port + " did not answer within 5 s. Check the address and the firewall.");
        } catch (javax.net.ssl.SSLException e) {
            throw new IOException(host + ":" + port + " does not speak TLS (" + e.getMessage() + "). Is it the Proxmox "
                    + "VE web port (8006)?");
        }
        if (seen[0] == null || seen[0].length == 0) {
            throw new IOException(host + ":" + port + " presented no certificate");
        }
        X509Certificate leaf = seen[0][0];
        return new Presented(fingerprint(leaf), leaf.getSubjectX500Principal().getName(),
                leaf.getIssuerX500Principal().getName(), leaf.getNotAfter().toInstant().toString(),
                systemTrusts(seen[0]));
    }

    private static boolean systemTrusts(X509Certificate[] chain) {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init((KeyStore) null);
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    x.checkServerTrusted(chain, "RSA");
                    return true;
                }
            }
        } catch (GeneralSecurityException e) {
            return false;
        }
        return false;
    }

    static String fingerprint(X509Certificate cert) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(cert.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return {@code true} if two fingerprints name the same certificate, however they are written */
    static boolean sameFingerprint(String a, String b) {
        return a != null && b != null && a.replace(":", "").equalsIgnoreCase(b.replace(":", "").strip());
    }

    /**
     * Checks the settings against the node: the version, the nodes of the cluster.
     *
     * @return what the node said, for the report
     * @throws IOException with the client's message (what to fix) when the check fails
     */
    static Map<String, Object> check(Map<String, Object> settings) throws IOException {
        ProxmoxClient client;
        try {
            client = ProxmoxClients.create(settings);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", client.connection().baseUrl());
        try {
            Map<String, Object> version = Json.map(client.get("/version", Map.of()).get(20, TimeUnit.SECONDS));
            out.put("version", version.get("version"));
            List<Map<String, Object>> nodes = new ArrayList<>();
            for (Object o : Json.list(client.get("/nodes", Map.of()).get(20, TimeUnit.SECONDS))) {
                Map<String, Object> n = Json.map(o);
                nodes.add(Map.of("node", String.valueOf(n.get("node")), "status", String.valueOf(n.get("status"))));
            }
            out.put("nodes", nodes);
            return out;
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException(cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IOException("Proxmox VE at " + out.get("url") + " did not answer within 20 s.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
