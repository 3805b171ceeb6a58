package io.pvemcp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.pve.client.ProxmoxClients;
import io.pvemcp.pve.sim.Simulator;

/**
 * The demo cluster of the Proxmox VE simulator on a free port, with the real Proxmox client connected to it as
 * {@code root@pam!tools}. Tasks end at once unless a time scale is given.
 */
public final class SimulatedCluster implements AutoCloseable {

    /** The API token the client uses. */
    public static final String TOKEN = "root@pam!tools";
    private static final String SECRET = "7d1e4c2a-9b0f-4e63-8a15-3c2d6f9e0b4a";

    private final Simulator simulator;
    private final ProxmoxClient client;

    private SimulatedCluster(Simulator simulator) {
        this.simulator = simulator;
        this.client = client(TOKEN, SECRET);
    }

    /** @return a cluster whose tasks end before the request that started them returns */
    public static SimulatedCluster start() {
        return start(0);
    }

    /**
     * @param taskTimeScale task durations relative to a real node
     * @return a running cluster
     */
    public static SimulatedCluster start(double taskTimeScale) {
        try {
            return new SimulatedCluster(Simulator.builder().port(0).apiToken(TOKEN, SECRET)
                    .authFailureDelay(Duration.ZERO).taskTimeScale(taskTimeScale).start());
        } catch (IOException e) {
            throw new UncheckedIOException("the simulator did not start", e);
        }
    }

    /**
     * @param nodes nodes of a generated cluster
     * @param guests guests of a generated cluster
     * @return a large generated cluster (see the simulator's documentation) instead of the demo cluster
     */
    public static SimulatedCluster large(int nodes, int guests) {
        try {
            return new SimulatedCluster(Simulator.builder().port(0).apiToken(TOKEN, SECRET)
                    .authFailureDelay(Duration.ZERO).largeCluster(nodes, guests).start());
        } catch (IOException e) {
            throw new UncheckedIOException("the simulator did not start", e);
        }
    }

    /** @return the simulator, for fault injection */
    public Simulator simulator() {
        return simulator;
    }

    /** @return a client connected as {@code root@pam!tools} */
    public ProxmoxClient client() {
        return client;
    }

    /**
     * @param tokenId an API token id of the simulated cluster, e.g. {@code auditor@pve!monitoring}
     * @param secret its secret
     * @return a client connected with that token, trusting the simulator's certificate
     */
    public ProxmoxClient client(String tokenId, String secret) {
        return ProxmoxClients.create(Map.of("host", "127.0.0.1", "port", simulator.port(), "token.id", tokenId,
                "token.secret", secret, "fingerprint", simulator.fingerprint(), "retries", 0));
    }

    @Override
    public void close() {
        simulator.close();
    }
}
