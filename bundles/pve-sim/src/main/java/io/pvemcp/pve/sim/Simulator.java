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

import io.pvemcp.pve.contract.ApiContract;
import io.pvemcp.pve.sim.internal.api.ApiHandler;
import io.pvemcp.pve.sim.internal.api.ApiServer;
import io.pvemcp.pve.sim.internal.api.CoreHandlers;
import io.pvemcp.pve.sim.internal.http.HttpServer;
import io.pvemcp.pve.sim.internal.state.Fixture;
import io.pvemcp.pve.sim.internal.state.Generator;
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
 * The simulator is thread-safe. By default it holds the demo cluster ({@code pve1} to {@code pve3}, VMs and
 * containers in various states, templates, ISO images, backups, pools, a limited user and token); a JSON fixture
 * or a generated large cluster can replace it. Long operations run as tasks whose duration is scaled by
 * {@link Builder#taskTimeScale(double)}: 0 (the default) ends them before the request returns, 1 takes as long
 * as a real node. Faults can be injected through this class or, from other processes, through the control API
 * at {@code /simulator} (see {@code docs/simulator.md}).
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

    /** @return the names of the cluster's nodes, in order */
    public List<String> nodeNames() {
        synchronized (state) {
            return state.nodes().stream().map(n -> n.name()).toList();
        }
    }

    /** @return the number of VMs and containers */
    public int guestCount() {
        synchronized (state) {
            return state.guests().size();
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
     * Slows down requests for one node, as a node under load or behind a slow link.
     *
     * @param node the node name
     * @param latency the extra time each of its requests takes
     */
    public void setNodeLatency(String node, Duration latency) {
        synchronized (state) {
            state.setNodeLatency(node, latency.toMillis());
        }
    }

    /** @param latency the extra time every request takes */
    public void setLatency(Duration latency) {
        synchronized (state) {
            state.faults().latencyMillis(latency.toMillis());
        }
    }

    /** @param lost whether the cluster has lost quorum (writes then fail with {@code no quorum?}) */
    public void setQuorumLost(boolean lost) {
        synchronized (state) {
            state.faults().quorumLost(lost);
        }
    }

    /**
     * Makes the next matching tasks fail with a message.
     *
     * @param type a task type such as {@code qmstart}, or {@code null} for any
     * @param id a task id such as a VMID, or {@code null} for any
     * @param message the error the task ends with
     * @param count how many tasks fail
     */
    public void failTasks(String type, String id, String message, int count) {
        synchronized (state) {
            state.faults().failTasks(type, id, message, count);
        }
    }

    /**
     * Sets or clears a guest's lock, as a backup or migration running elsewhere would.
     *
     * @param vmid the guest
     * @param lock e.g. {@code backup}, or {@code null} to unlock
     */
    public void setGuestLock(int vmid, String lock) {
        synchronized (state) {
            var g = state.guest(vmid).orElseThrow(() -> new IllegalArgumentException("no such guest: " + vmid));
            if (lock == null) {
                g.config().remove("lock");
            } else {
                g.config().put("lock", lock);
            }
        }
    }

    /**
     * @param vmid the guest
     * @param ignore whether its OS ignores shutdown requests, so that a shutdown runs into its timeout
     */
    public void setIgnoresShutdown(int vmid, boolean ignore) {
        synchronized (state) {
            state.guest(vmid).orElseThrow(() -> new IllegalArgumentException("no such guest: " + vmid))
                    .ignoresShutdown(ignore);
        }
    }

    /** @param scale task durations relative to a real node: 0 ends tasks at once, 1 takes seconds */
    public void setTaskTimeScale(double scale) {
        synchronized (state) {
            state.tasks().timeScale(scale);
        }
    }

    /** @param by how far to move the simulated clock forward (tickets expire after two hours) */
    public void advanceClock(Duration by) {
        state.clock().advance(by);
    }

    /**
     * @return requests so far that used a path, method or parameter the API contract does not have (a real node
     *         would have refused them too); tests of clients assert this is empty
     */
    public List<String> contractViolations() {
        synchronized (state) {
            return state.faults().contractViolations();
        }
    }

    /** Makes every ticket issued so far invalid, as if they had expired. */
    public void expireTickets() {
        synchronized (state) {
            state.access().expireTickets();
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
        synchronized (state) {
            state.shutdown();
        }
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
        private Path fixture;
        private int generatedNodes;
        private int generatedGuests;
        private double taskTimeScale;
        private Duration latency = Duration.ZERO;

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

        /**
         * @param file a JSON fixture describing the cluster, instead of the demo cluster
         * @return this
         */
        public Builder fixture(Path file) {
            this.fixture = Objects.requireNonNull(file, "file");
            this.generatedNodes = 0;
            return this;
        }

        /**
         * A generated cluster instead of the demo cluster, for scale tests and benchmarks.
         *
         * @param nodes how many nodes (1 to 1000)
         * @param guests how many guests (one in five a container)
         * @return this
         */
        public Builder largeCluster(int nodes, int guests) {
            if (nodes < 1 || nodes > 1000 || guests < 0 || guests > 1_000_000) {
                throw new IllegalArgumentException("a large cluster has 1 to 1000 nodes and 0 to 1000000 guests");
            }
            this.generatedNodes = nodes;
            this.generatedGuests = guests;
            this.fixture = null;
            return this;
        }

        /**
         * @param scale task durations relative to a real node: 0 (the default) ends tasks before the request returns,
         *        1 takes as long as a real node (seconds)
         * @return this
         */
        public Builder taskTimeScale(double scale) {
            if (scale < 0 || Double.isNaN(scale)) {
                throw new IllegalArgumentException("task time scale must be 0 or more: " + scale);
            }
            this.taskTimeScale = scale;
            return this;
        }

        /** @param latency extra time every request takes @return this */
        public Builder latency(Duration latency) {
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative");
            }
            this.latency = latency;
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
            SimState state = fixture != null ? Fixture.load(fixture, clusterName, rootPassword)
                    : generatedNodes > 0 ? Generator.large(clusterName, rootPassword, generatedNodes, generatedGuests)
                    : Fixture.demo(clusterName, rootPassword);
            state.tasks().timeScale(taskTimeScale);
            state.faults().latencyMillis(latency.toMillis());
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
