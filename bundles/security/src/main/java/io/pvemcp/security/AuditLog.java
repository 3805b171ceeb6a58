package io.pvemcp.security;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The audit log: every tool call, with who made it, what it asked, how it ended and which Proxmox tasks it
 * started, appended to a hash-chained JSON Lines file. Arguments are stored with their secrets redacted.
 */
@ProviderType
public interface AuditLog {

    /**
     * Records an event. Never throws: a failure to write is logged and reported by {@link #failure()}.
     *
     * @param event the event
     */
    void record(AuditEvent event);

    /**
     * @return why the log cannot be written, or {@code null} when it can; while it cannot, tools that change
     *         anything should not run
     */
    String failure();

    /**
     * @param count how many
     * @return the latest entries, newest last, as written
     */
    List<Map<String, Object>> latest(int count);
}
