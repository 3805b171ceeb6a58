package io.pvemcp.pve.client;

import java.util.Map;

import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.pve.client.internal.ProxmoxClientComponent;

/** Creates Proxmox VE clients outside the OSGi runtime. */
public final class ProxmoxClients {

    private ProxmoxClients() {
    }

    /**
     * Creates a client from the settings of configuration {@code io.pvemcp.pve.client}: {@code host},
     * {@code port}, {@code token.id} and {@code token.secret}, or {@code username} and {@code password};
     * {@code verify.ssl}, {@code ca.file}, {@code fingerprint}; {@code connect.timeout.ms},
     * {@code request.timeout.ms}, {@code retries}. Values may be strings or numbers and booleans; missing settings
     * take their defaults.
     *
     * @param settings the settings
     * @return the client
     * @throws IllegalArgumentException if a setting is invalid; the message says which and why
     */
    public static ProxmoxClient create(Map<String, ?> settings) {
        return ProxmoxClientComponent.standalone(settings);
    }
}
