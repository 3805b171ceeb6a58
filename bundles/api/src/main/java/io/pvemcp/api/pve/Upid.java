package io.pvemcp.api.pve;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Proxmox VE task id (UPID), as long-running calls return it:
 * {@code UPID:node:PID:PSTART:STARTTIME:TYPE:ID:USER:}, with {@code PID}, {@code PSTART} and {@code STARTTIME}
 * in hexadecimal. The node is where the task runs, and where its status and log are read
 * ({@code /nodes/{node}/tasks/{upid}/status}).
 *
 * @param value the UPID as Proxmox wrote it
 * @param node the node the task runs on
 * @param pid the worker's process id
 * @param startTime when the task started (seconds since the epoch)
 * @param type the task type, e.g. {@code qmstart}, {@code vzdump}
 * @param id the task's object, usually a VMID; may be empty
 * @param user who started it: {@code user@realm} or {@code user@realm!token}
 */
public record Upid(String value, String node, long pid, long startTime, String type, String id, String user) {

    private static final Pattern FORMAT = Pattern.compile(
            "UPID:([a-zA-Z0-9][a-zA-Z0-9\\-]*):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\\s]+):([^:\\s]*):([^:\\s]+):.*");

    /** @throws NullPointerException if a field is {@code null} */
    public Upid {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
    }

    /**
     * @param value a UPID
     * @return it, parsed
     * @throws IllegalArgumentException if it is not a UPID; the message shows the expected form
     */
    public static Upid parse(String value) {
        Matcher m = value == null ? null : FORMAT.matcher(value.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a Proxmox task id; a task id looks like "
                    + "UPID:pve1:0012ABCD:0034EF56:65A1B2C3:qmstart:100:root@pam:");
        }
        return new Upid(value.strip(), m.group(1), Long.parseLong(m.group(2), 16), Long.parseLong(m.group(4), 16),
                m.group(5), m.group(6), m.group(7));
    }

    /**
     * @param value a string
     * @return whether it is a UPID
     */
    public static boolean isUpid(Object value) {
        return value instanceof String s && FORMAT.matcher(s.strip()).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
