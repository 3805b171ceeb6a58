package io.pvemcp.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Caller;

/**
 * One thing worth auditing: a tool call (or its refusal).
 *
 * @param time when it started
 * @param caller who made it
 * @param action what was done, e.g. {@code tools/call}
 * @param target what it was done to, e.g. the tool name
 * @param arguments the arguments as the client sent them; the log redacts secrets
 * @param outcome {@code ok}, {@code error}, {@code denied} or {@code cancelled}
 * @param message the error message, or {@code null}
 * @param durationMillis how long it took
 * @param tasks the Proxmox task ids (UPIDs) it started
 * @param confirmation who confirmed the call, how and when ({@code by}, {@code how}: {@code elicitation},
 *        {@code console} or {@code policy}, {@code at}), or {@code null} when it needed no confirmation (since 1.2)
 */
public record AuditEvent(Instant time, Caller caller, String action, String target, Map<String, Object> arguments,
        String outcome, String message, long durationMillis, List<String> tasks, Map<String, Object> confirmation) {

    /** An event without a confirmation. */
    public AuditEvent(Instant time, Caller caller, String action, String target, Map<String, Object> arguments,
            String outcome, String message, long durationMillis, List<String> tasks) {
        this(time, caller, action, target, arguments, outcome, message, durationMillis, tasks, null);
    }
}
