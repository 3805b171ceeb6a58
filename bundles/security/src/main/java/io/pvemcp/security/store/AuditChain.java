package io.pvemcp.security.store;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * An append-only, hash-chained audit trail: each entry carries its sequence number ({@code seq}, from 1), the hash
 * of the entry before it ({@code prev}) and its own ({@code hash}), so that an edited, deleted, inserted or reordered
 * entry is found by {@link #verify()}. Kept in files ({@link AuditTrail}, the default) or in a PostgreSQL table that
 * several replicas append to ({@link PostgresState#audit()}); both write and check entries alike.
 * <p>
 * An entry is durable when {@link #append} returns. Several writers, in one process or in several, append to one
 * sequence.
 *
 * @since 1.3
 */
public interface AuditChain extends Closeable {

    /**
     * Appends an entry.
     *
     * @param fields the entry's members, JSON-shaped; {@code seq}, {@code time} (unless given), {@code prev} and
     *        {@code hash} are added
     * @return the entry as written
     * @throws IOException if it cannot be written
     */
    Map<String, Object> append(Map<String, Object> fields) throws IOException;

    /**
     * Checks the whole trail.
     *
     * @return the result, naming the first broken or missing entry
     * @throws IOException if the trail cannot be read
     */
    AuditTrail.Verification verify() throws IOException;

    /**
     * @param count how many
     * @return the latest entries, newest last
     * @throws IOException if the trail cannot be read
     */
    List<Map<String, Object>> latest(int count) throws IOException;

    /** @return where the trail is, for messages (a folder, or a database without its credentials) */
    String where();
}
