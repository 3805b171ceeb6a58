package io.pvemcp.api.pve;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The state of a Proxmox VE task as {@link ProxmoxClient#awaitTask} saw it last: still running (the wait timed
 * out), or stopped with an exit status. Proxmox reports {@code OK}, {@code WARNINGS: n} (the task did its work and
 * logged warnings: a success) or an error message.
 *
 * @param upid the task
 * @param running whether it still ran when the wait ended
 * @param exitStatus {@code OK}, {@code WARNINGS: n} or the error; {@code null} while running
 * @param elapsed how long the wait took
 * @param log the last lines of the task log (only once it stopped; empty while running)
 */
public record TaskResult(Upid upid, boolean running, String exitStatus, Duration elapsed, List<String> log) {

    /** @throws NullPointerException if a field other than {@code exitStatus} is {@code null} */
    public TaskResult {
        Objects.requireNonNull(upid, "upid");
        Objects.requireNonNull(elapsed, "elapsed");
        log = List.copyOf(log);
    }

    /** @return whether the task ended and did its work ({@code OK} or {@code WARNINGS: n}) */
    public boolean succeeded() {
        return !running && exitStatus != null && (exitStatus.equals("OK") || exitStatus.startsWith("WARNINGS"));
    }

    /** @return whether the task ended with an error */
    public boolean failed() {
        return !running && !succeeded();
    }

    /** @return the number of warnings of a task that ended with {@code WARNINGS: n}; 0 otherwise */
    public int warnings() {
        if (exitStatus != null && exitStatus.startsWith("WARNINGS:")) {
            try {
                return Integer.parseInt(exitStatus.substring(9).strip());
            } catch (NumberFormatException e) {
                return 1;
            }
        }
        return 0;
    }

    /**
     * @param lines how many lines
     * @return the last lines of the log, without the closing {@code TASK ...} line
     */
    public List<String> logTail(int lines) {
        List<String> body = log.isEmpty() || !log.get(log.size() - 1).startsWith("TASK ") ? log
                : log.subList(0, log.size() - 1);
        return body.subList(Math.max(0, body.size() - lines), body.size());
    }
}
