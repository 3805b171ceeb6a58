package io.pvemcp.pve.sim.internal.state;

import java.util.List;

/**
 * A storage of the simulated cluster.
 *
 * @param id the storage id
 * @param type {@code dir}, {@code lvmthin}, {@code nfs} or {@code pbs}
 * @param content the content types it holds
 * @param shared whether every node sees the same storage
 * @param total the capacity in bytes
 * @param used the bytes in use
 */
public record SimStorage(String id, String type, List<String> content, boolean shared, long total, long used) {
}
