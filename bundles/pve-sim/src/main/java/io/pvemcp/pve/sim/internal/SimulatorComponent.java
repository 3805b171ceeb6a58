package io.pvemcp.pve.sim.internal;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;

import io.pvemcp.pve.sim.Simulator;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the simulator when configuration {@code io.pvemcp.pve.sim} exists, and registers the running
 * instance as a service whose properties tell where it listens (never its secrets).
 */
@Component(configurationPid = "io.pvemcp.pve.sim", configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = SimulatorConfig.class)
public final class SimulatorComponent {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorComponent.class);

    private final BundleContext context;
    private final SimulatorConfig config;
    private final io.pvemcp.api.SecretValues secrets;
    private Simulator simulator;
    private ServiceRegistration<Simulator> registration;

    /**
     * Starts the simulator before anything that uses it: in demo mode the MCP endpoint opens later (higher start
     * level), so a client never reaches a demo whose Proxmox is not listening yet.
     */
    @Activate
    public SimulatorComponent(BundleContext context, SimulatorConfig config, @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY) io.pvemcp.api.SecretValues secrets) {
        this.context = context;
        this.config = config;
        this.secrets = secrets;
        start();
    }

    /** A setting the launcher kept out of Configuration Admin, resolved; {@code null} stays {@code null}. */
    private String secret(String value) {
        return value == null ? null : io.pvemcp.api.SecretValues.resolve(secrets, value);
    }

    private void start() {
        Simulator.Builder b = Simulator.builder().host(config.host()).port(config.port())
                .clusterName(config.cluster_name())
                .authFailureDelay(Duration.ofMillis(Math.max(0, config.auth_failure_delay_ms())));
        if (!config.data_dir().isBlank()) {
            b.dataDirectory(Path.of(config.data_dir()));
        }
        if (!config.root_password().isEmpty()) {
            b.rootPassword(secret(config.root_password()));
        }
        if (!config.token_id().isBlank()) {
            b.apiToken(config.token_id(), secret(config.token_secret()));
        }
        if (!config.fixture().isBlank()) {
            b.fixture(Path.of(config.fixture()));
        } else if (config.generated_nodes() > 0) {
            b.largeCluster(config.generated_nodes(), config.generated_guests());
        }
        b.taskTimeScale(Math.max(0, config.task_time_scale())).latency(Duration.ofMillis(Math.max(0, config.latency_ms())));
        Simulator started;
        try {
            started = b.start();
        } catch (BindException e) {
            LOG.error("The Proxmox VE simulator cannot listen on {}:{}: {}. Choose another port (--sim-port, or "
                    + "port in io.pvemcp.pve.sim) or stop the program that uses it.", config.host(), config.port(),
                    e.getMessage());
            return;
        } catch (IOException | RuntimeException e) {
            LOG.error("The Proxmox VE simulator cannot start: {}", String.valueOf(e), e);
            return;
        }
        for (String node : config.offline_nodes()) {
            for (String n : node.split(",")) {
                if (!n.isBlank()) {
                    try {
                        started.setNodeOnline(n.strip(), false);
                    } catch (IllegalArgumentException e) {
                        LOG.warn("offline.nodes names '{}', which is not a node of the simulated cluster", n.strip());
                    }
                }
            }
        }
        started.setQuorumLost(config.quorum_lost());
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("pvemcp.sim.url", started.baseUrl());
        props.put("pvemcp.sim.port", started.port());
        props.put("pvemcp.sim.fingerprint", started.fingerprint());
        props.put("pvemcp.sim.cluster", started.clusterName());
        props.put("pvemcp.sim.nodes", String.join(",", started.nodeNames()));
        props.put("pvemcp.sim.guests", started.guestCount());
        started.caFile().ifPresent(f -> props.put("pvemcp.sim.ca.file", f.toString()));
        synchronized (this) {
            simulator = started;
            try {
                registration = context.registerService(Simulator.class, started, props);
            } catch (IllegalStateException e) {
                started.close();
                simulator = null;
                return;
            }
        }
        LOG.info("Proxmox VE simulator (cluster '{}', Proxmox VE 9.1) listening on {}", started.clusterName(),
                started.baseUrl());
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException e) {
                    LOG.debug("simulator service already unregistered", e);
                }
            }
            if (simulator != null) {
                simulator.close();
            }
        }
    }
}
