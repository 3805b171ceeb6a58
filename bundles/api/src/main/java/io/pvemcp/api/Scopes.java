package io.pvemcp.api;

import java.util.List;

/**
 * The permission scopes a {@link Tool} can require ({@link Tool#SCOPE}). A caller holds scopes (from its
 * bearer token); the registry shows and runs a tool only for callers that hold its scope.
 * {@link #ADMIN} implies every other scope; the others are independent of each other, so a token can be
 * allowed to power machines on and off ({@link #POWER}) without being allowed to create them ({@link #WRITE}), and
 * to create and change them without being allowed to delete them ({@link #DESTROY}, since 1.5).
 */
public final class Scopes {

    /** Read state: list, inspect, read logs and task status. */
    public static final String READ = "proxmox:read";
    /** Change the power state of guests: start, stop, shutdown, reboot, suspend, resume. */
    public static final String POWER = "proxmox:power";
    /** Create and change guests, disks, snapshots, backups. */
    public static final String WRITE = "proxmox:write";
    /**
     * Delete guests, disks, snapshots, backups; roll back; restore over an existing guest.
     *
     * @since 1.5
     */
    public static final String DESTROY = "proxmox:destroy";
    /** Everything, including cluster, node, storage, network and access administration. */
    public static final String ADMIN = "proxmox:admin";

    /** Every scope, from the least to the most powerful. */
    public static final List<String> ALL = List.of(READ, POWER, WRITE, DESTROY, ADMIN);

    /**
     * Read the server's own figures at {@code /metrics} (for a Prometheus scraper); grants nothing on Proxmox and
     * no tool. Not one of {@link #ALL}, which are the scopes of tools; {@link #ADMIN} implies it too.
     *
     * @since 2.2
     */
    public static final String METRICS = "mcp:metrics";

    private Scopes() {
    }

    /**
     * @param scope a scope name
     * @return {@code true} if the scope is one of {@link #ALL} or {@link #METRICS}
     */
    public static boolean isKnown(String scope) {
        return ALL.contains(scope) || METRICS.equals(scope);
    }
}
