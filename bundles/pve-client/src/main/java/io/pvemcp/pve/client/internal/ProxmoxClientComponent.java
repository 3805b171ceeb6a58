package io.pvemcp.pve.client.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.pvemcp.api.SecretValues;
import io.pvemcp.api.pve.ConnectionInfo;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.api.pve.TaskResult;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides the {@link ProxmoxClient} service from configuration {@code io.pvemcp.pve.client}: the default cluster
 * (named {@value #DEFAULT_NAME} unless its configuration names it). The service is registered even when nothing is
 * configured, so that tools can say how to configure it; its properties describe the connection and never hold a
 * secret. A configuration change swaps the client in place. Further clusters come from factory configurations,
 * see {@link NamedClusterComponent}.
 */
@Component(configurationPid = "io.pvemcp.pve.client", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
@Designate(ocd = ClientConfig.class)
public class ProxmoxClientComponent implements ProxmoxClient {

    /** The service property with the cluster's name. */
    public static final String CLUSTER = "pvemcp.pve.cluster";
    /** The service property set on the cluster that calls naming none go to, when it is not the default one. */
    public static final String DEFAULT = "pvemcp.pve.default";
    /** The service property set on the cluster of {@code io.pvemcp.pve.client}. */
    public static final String PRIMARY = "pvemcp.pve.primary";
    static final String DEFAULT_NAME = "default";
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private static final Logger LOG = LoggerFactory.getLogger(ProxmoxClientComponent.class);

    private volatile ProxmoxClient current;
    /** The client that holds the connections of {@link #current}, closed when it is replaced. */
    private volatile AutoCloseable connections;
    private final ServiceRegistration<ProxmoxClient> registration;
    private final SecretValues secrets;
    private final ClientMetrics allMetrics;
    private final String fallbackName;
    private volatile String name;
    private volatile boolean isDefault;

    @Activate
    public ProxmoxClientComponent(BundleContext context, ClientConfig config, @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY) SecretValues secrets,
            @Reference ClientMetrics metrics) {
        this(context, config, secrets, metrics, DEFAULT_NAME);
    }

    /** @param fallbackName the cluster's name when its configuration gives none */
    ProxmoxClientComponent(BundleContext context, ClientConfig config, SecretValues secrets, ClientMetrics metrics,
            String fallbackName) {
        this.secrets = secrets;
        this.allMetrics = metrics;
        this.fallbackName = fallbackName;
        this.name = name(config);
        this.isDefault = config.default_cluster();
        current = create(config, this.secrets, this.metrics);
        registration = context.registerService(ProxmoxClient.class, this, properties(current.connection()));
        allMetrics.add(name, this.metrics);
    }

    private final RequestMetrics metrics = new RequestMetrics(() -> current);

    private String name(ClientConfig config) {
        String n = config.name() == null || config.name().isBlank() ? fallbackName : config.name().strip();
        if (!NAME.matcher(n).matches()) {
            LOG.error("The cluster name '{}' is not valid (letters, digits, '.', '_' and '-', up to 64 characters); "
                    + "using '{}'", n, fallbackName);
            return fallbackName;
        }
        return n;
    }

    @Modified
    void modified(ClientConfig config) {
        metrics.retire(current);
        AutoCloseable old = connections;
        String before = name;
        name = name(config);
        isDefault = config.default_cluster();
        current = create(config, secrets, metrics);
        registration.setProperties(properties(current.connection()));
        if (!before.equals(name)) {
            allMetrics.remove(before, metrics);
            allMetrics.add(name, metrics);
        }
        close(old);
    }

    private static void close(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing the connections to Proxmox VE failed", e);
            }
        }
    }

    @Deactivate
    void deactivate() {
        close(connections);
        allMetrics.remove(name, metrics);
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            LOG.debug("Proxmox client service already unregistered", e);
        }
    }

    /**
     * @param settings configuration properties, as {@link io.pvemcp.pve.client.ProxmoxClients#create} takes them
     * @return a client for them
     */
    public static ProxmoxClient standalone(Map<String, ?> settings) {
        return new PveClient(Settings.from(MapConfig.of(settings)));
    }

    private ProxmoxClient create(ClientConfig config, SecretValues secrets, RequestMetrics metrics) {
        try {
            Settings settings = Settings.from(config, value -> SecretValues.resolve(secrets, value));
            PveClient pve = new PveClient(settings);
            connections = pve;
            ProxmoxClient client = metrics.measure(pve);
            LOG.info("Proxmox VE connection{}: {}", DEFAULT_NAME.equals(name) ? "" : " of cluster " + name, settings);
            int ttl = Math.max(0, Math.min(60_000, config.cache_ttl_ms()));
            return ttl == 0 ? client : new ReadCache(client, Duration.ofMillis(ttl));
        } catch (IllegalArgumentException e) {
            LOG.error("The Proxmox VE connection is misconfigured: {}", e.getMessage());
            return new Misconfigured(e.getMessage());
        }
    }

    private Hashtable<String, Object> properties(ConnectionInfo info) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(CLUSTER, name);
        p.put(DEFAULT, isDefault);
        p.put(PRIMARY, !(this instanceof NamedClusterComponent));
        p.put("pvemcp.pve.configured", info.configured());
        p.put("pvemcp.pve.auth", info.authMethod());
        p.put("pvemcp.pve.tls", info.tlsMode());
        if (info.host() != null) {
            p.put("pvemcp.pve.host", info.host());
            p.put("pvemcp.pve.port", info.port());
        }
        if (info.principal() != null) {
            p.put("pvemcp.pve.principal", info.principal());
        }
        return p;
    }

    @Override
    public CompletableFuture<Object> request(String method, String path, Map<String, ?> params) {
        return current.request(method, path, params);
    }

    @Override
    public CompletableFuture<Map<String, Object>> answer(String method, String path, Map<String, ?> params) {
        return current.answer(method, path, params);
    }

    @Override
    public CompletableFuture<TaskResult> awaitTask(String upid, Duration timeout, Consumer<TaskResult> progress) {
        return current.awaitTask(upid, timeout, progress);
    }

    @Override
    public ConnectionInfo connection() {
        return current.connection();
    }

    @Override
    public ProxmoxClient uncached() {
        return current.uncached();
    }

    /** @return whether a kept-alive connection to the node is open (tests) */
    boolean connected() {
        return connections instanceof PveClient pve && pve.connected();
    }

    /**
     * Opens a connection ahead when none is open (with a password, logs in), and sends no request: the TLS handshake
     * is done by the time the first call comes, or that call waits for it rather than making its own.
     */
    @Override
    public void prepare() {
        if (!current.connection().configured() || !(connections instanceof PveClient pve) || pve.connected()) {
            return;
        }
        long start = System.nanoTime();
        try {
            pve.connectAhead();
            LOG.debug("Connected to Proxmox VE{} ahead in {} ms", DEFAULT_NAME.equals(name) ? "" : " (cluster " + name
                    + ")", (System.nanoTime() - start) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Connecting to Proxmox VE{} ahead failed: {}", DEFAULT_NAME.equals(name) ? ""
                    : " (cluster " + name + ")", e.getMessage());
        }
    }

    /** A client whose configuration is invalid: every request fails with the configuration problem. */
    private record Misconfigured(String problem) implements ProxmoxClient {
        @Override
        public CompletableFuture<Object> request(String method, String path, Map<String, ?> params) {
            return CompletableFuture.failedFuture(new ProxmoxException(ProxmoxException.Kind.NOT_CONFIGURED, 0,
                    "The Proxmox VE connection is misconfigured: " + problem, null, Map.of(), method, path, null));
        }

        @Override
        public CompletableFuture<TaskResult> awaitTask(String upid, Duration timeout, Consumer<TaskResult> progress) {
            return TaskWaiter.await(this, upid, timeout, progress);
        }

        @Override
        public ConnectionInfo connection() {
            return new ConnectionInfo(false, null, null, 0, "none", null, "verified");
        }
    }
}
