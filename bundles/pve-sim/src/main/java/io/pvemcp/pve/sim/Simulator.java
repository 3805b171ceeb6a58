package io.pvemcp.pve.sim;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.pvemcp.pve.sim.contract.ApiContract;
import io.pvemcp.pve.sim.internal.api.ApiHandler;
import io.pvemcp.pve.sim.internal.api.ApiServer;
import io.pvemcp.pve.sim.internal.api.CoreHandlers;
import io.pvemcp.pve.sim.internal.http.HttpServer;
import io.pvemcp.pve.sim.internal.state.SimState;
import io.pvemcp.pve.sim.internal.tls.NodeCertificates;

/**
 * A simulated Proxmox VE 9.1 cluster, served over HTTPS like a real node: {@code /api2/json}, tickets and
 * API tokens, a certificate signed by its own cluster CA, every request checked against the API contract.
 * Embed it in tests or run it in demo mode:
 *
 * <pre>
 * try (Simulator sim = Simulator.builder().port(0).apiToken("root@pam!test", "secret").start()) {
 *     // https://127.0.0.1:{sim.port()}/api2/json, trust sim.caCertificatePem()
 * }
 * </pre>
 *
 * The simulator is thread-safe. Its seeded cluster ({@code pve1}, {@code pve2}, {@code pve3}, a few VMs,
 * containers and storages) is described in the project documentation.
 */
public final class Simulator implements AutoCloseable {

    private final SimState state;
    private final NodeCertificates certificates;
    private final HttpServer server;
    private final CompletableFuture<ApiContract> contract;
    private final String host;
    private final String rootPassword;
    private final Set<String> implemented;
    private final Path caFile;

    private Simulator(Builder b, SimState state, NodeCertificates certificates, HttpServer server,
            CompletableFuture<ApiContract> contract, Path caFile, Set<String> implemented) {
        this.state = state;
        this.certificates = certificates;
        this.server = server;
        this.contract = contract;
        this.host = b.host;
        this.rootPassword = b.rootPassword;
        this.caFile = caFile;
        this.implemented = Set.copyOf(implemented);
    }

    /** @return a builder with the defaults of a fresh node on loopback port 8006 */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the port the simulator listens on */
    public int port() {
        return server.port();
    }

    /** @return the address the simulator listens on */
    public String host() {
        return host;
    }

    /** @return the base URL, e.g. {@code https://127.0.0.1:8006} */
    public String baseUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "https://" + h + ":" + port();
    }

    /** @return the cluster CA certificate, PEM-encoded ({@code pve-root-ca.pem} on a real node) */
    public String caCertificatePem() {
        return certificates.caPem();
    }

    /** @return the CA certificate file in the data directory, if the simulator has one */
    public Optional<Path> caFile() {
        return Optional.ofNullable(caFile);
    }

    /** @return the SHA-256 fingerprint of the node certificate, {@code AB:CD:...} */
    public String fingerprint() {
        return certificates.fingerprint();
    }

    /** @return the password of {@code root@pam} */
    public String rootPassword() {
        return rootPassword;
    }

    /** @return the name of the simulated cluster */
    public String clusterName() {
        synchronized (state) {
            return state.clusterName();
        }
    }

    /** @return the methods the simulator implements, as {@code "GET /nodes/{node}/status"} */
    public Set<String> implementedMethods() {
        return implemented;
    }

    /** @return the API contract the simulator checks requests against */
    public ApiContract contract() {
        return contract.join();
    }

    /**
     * Makes a node reachable or unreachable. Requests for an unreachable node fail with HTTP 595, as they do
     * on a real cluster whose node is down.
     *
     * @param node the node name
     * @param online whether it is reachable
     */
    public void setNodeOnline(String node, boolean online) {
        synchronized (state) {
            state.setOnline(node, online);
        }
    }

    /**
     * Adds a user with a password.
     *
     * @param userid e.g. {@code alice@pve}
     * @param password the password
     */
    public void addUser(String userid, String password) {
        synchronized (state) {
            state.addUser(userid, password);
        }
    }

    /**
     * Adds an API token.
     *
     * @param tokenId e.g. {@code alice@pve!automation}
     * @param secret the token secret
     * @param privilegeSeparation whether the token has its own, narrower ACLs
     */
    public void addToken(String tokenId, String secret, boolean privilegeSeparation) {
        int bang = tokenId.indexOf('!');
        if (bang < 0) {
            throw new IllegalArgumentException("token id must look like user@realm!name: " + tokenId);
        }
        synchronized (state) {
            state.addToken(tokenId.substring(0, bang), tokenId.substring(bang + 1), secret, privilegeSeparation);
        }
    }

    /**
     * Grants a role on a path.
     *
     * @param path e.g. {@code /vms/100} or {@code /}
     * @param ugid a userid, a token id, or {@code @group}
     * @param role a built-in role, e.g. {@code PVEAuditor}
     * @param propagate whether the grant applies below the path
     */
    public void addAcl(String path, String ugid, String role, boolean propagate) {
        synchronized (state) {
            state.addAcl(path, ugid, role, propagate);
        }
    }

    @Override
    public void close() {
        server.close();
    }

    /** Configures and starts a {@link Simulator}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8006;
        private Path dataDirectory;
        private String clusterName = "demo";
        private String rootPassword;
        private final List<String[]> tokens = new ArrayList<>();
        private Duration authFailureDelay = Duration.ofSeconds(3);
        private final List<String> dnsNames = new ArrayList<>(List.of("localhost"));

        private Builder() {
        }

        /** @param host the address to listen on, default {@code 127.0.0.1} @return this */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** @param port the port, default 8006; 0 picks a free one @return this */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * @param dir where the node keeps its certificates ({@code pve-root-ca.pem}, {@code pve-ssl.pem});
         *        without one they are generated anew on every start
         * @return this
         */
        public Builder dataDirectory(Path dir) {
            this.dataDirectory = dir;
            return this;
        }

        /** @param name the cluster name, default {@code demo} @return this */
        public Builder clusterName(String name) {
            this.clusterName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** @param password the password of {@code root@pam}; random by default @return this */
        public Builder rootPassword(String password) {
            this.rootPassword = password;
            return this;
        }

        /**
         * Adds an API token without privilege separation (it acts with its user's rights).
         *
         * @param tokenId e.g. {@code root@pam!mcp}
         * @param secret the secret
         * @return this
         */
        public Builder apiToken(String tokenId, String secret) {
            if (!tokenId.contains("!")) {
                throw new IllegalArgumentException("token id must look like user@realm!name: " + tokenId);
            }
            tokens.add(new String[] {tokenId, Objects.requireNonNull(secret, "secret")});
            return this;
        }

        /**
         * @param delay how long a failed authentication is held back; real nodes wait 3 seconds, tests want 0
         * @return this
         */
        public Builder authFailureDelay(Duration delay) {
            this.authFailureDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /** @param name a further DNS name the node certificate must cover @return this */
        public Builder dnsName(String name) {
            dnsNames.add(name);
            return this;
        }

        /**
         * Starts the simulator.
         *
         * @return the running simulator
         * @throws IOException if the port cannot be bound or the data directory cannot be used
         */
        public Simulator start() throws IOException {
            if (rootPassword == null) {
                byte[] b = new byte[12];
                new SecureRandom().nextBytes(b);
                rootPassword = HexFormat.of().formatHex(b);
            }
            SimState state = SimState.demo(clusterName, rootPassword);
            for (String[] t : tokens) {
                int bang = t[0].indexOf('!');
                state.addToken(t[0].substring(0, bang), t[0].substring(bang + 1), t[1], false);
            }
            CompletableFuture<ApiContract> loading = CompletableFuture.supplyAsync(ApiContract::load);
            InetAddress bind = InetAddress.getByName(host);
            List<InetAddress> addresses = new ArrayList<>();
            addresses.add(InetAddress.getByName("127.0.0.1"));
            addresses.add(InetAddress.getByName("::1"));
            if (!bind.isAnyLocalAddress() && !addresses.contains(bind)) {
                addresses.add(bind);
            }
            NodeCertificates certs;
            try {
                certs = NodeCertificates.loadOrCreate(dataDirectory, state.localNode(), dnsNames, addresses);
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot create the node certificate: " + e.getMessage(), e);
            }
            Map<String, ApiHandler> handlers = new HashMap<>();
            CoreHandlers.register(handlers);
            ApiServer api = new ApiServer(loading, state, handlers, authFailureDelay);
            HttpServer server;
            try {
                server = HttpServer.start(bind, port, certs.sslContext(), api, "pve-sim");
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot set up TLS: " + e.getMessage(), e);
            }
            Path caFile = dataDirectory == null ? null : dataDirectory.resolve("pve-root-ca.pem");
            if (caFile != null && !Files.exists(caFile)) {
                caFile = null;
            }
            return new Simulator(this, state, certs, server, loading, caFile, handlers.keySet());
        }
    }
}
