package io.pvemcp.pve.sim.internal.state;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Faults injected into the simulated cluster: slow answers, lost quorum and failing tasks. Offline nodes,
 * locked guests and guests that ignore shutdown live on the node and guest themselves. Guarded by the
 * {@link SimState} lock.
 */
public final class Faults {

    /** A rule that makes matching tasks fail. */
    static final class TaskFailure {
        final String type;
        final String id;
        final String message;
        int remaining;

        TaskFailure(String type, String id, String message, int remaining) {
            this.type = type;
            this.id = id;
            this.message = message;
            this.remaining = remaining;
        }
    }

    private final List<TaskFailure> taskFailures = new ArrayList<>();
    private final List<String> contractViolations = new ArrayList<>();
    long latencyMillis;
    boolean quorumLost;

    /** @return the extra latency of every request, in milliseconds */
    public long latencyMillis() {
        return latencyMillis;
    }

    /** @param millis the extra latency of every request */
    public void latencyMillis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("latency must be 0 or more: " + millis);
        }
        this.latencyMillis = millis;
    }

    /** @return whether the cluster has lost quorum */
    public boolean quorumLost() {
        return quorumLost;
    }

    /** @param lost whether the cluster has lost quorum */
    public void quorumLost(boolean lost) {
        this.quorumLost = lost;
    }

    /**
     * Makes the next matching tasks fail.
     *
     * @param type a task type such as {@code qmstart}, or {@code null} for any
     * @param id a task id such as a VMID, or {@code null} for any
     * @param message the error the task ends with
     * @param count how many tasks fail
     */
    public void failTasks(String type, String id, String message, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        taskFailures.add(new TaskFailure(type, id, message, count));
    }

    /** Forgets every task failure rule. */
    public void clearTaskFailures() {
        taskFailures.clear();
    }

    String takeTaskFailure(String type, String id) {
        Iterator<TaskFailure> it = taskFailures.iterator();
        while (it.hasNext()) {
            TaskFailure f = it.next();
            if ((f.type == null || f.type.equals(type)) && (f.id == null || f.id.equals(id))) {
                if (--f.remaining <= 0) {
                    it.remove();
                }
                return f.message;
            }
        }
        return null;
    }

    /**
     * Records a request that used a path, method or parameter the API contract does not have; tests of clients
     * assert there are none.
     *
     * @param violation e.g. {@code GET /nodes/pve1/bogus: no such method}
     */
    public void contractViolation(String violation) {
        if (contractViolations.size() < 1000) {
            contractViolations.add(violation);
        }
    }

    /** @return the recorded contract violations, oldest first */
    public List<String> contractViolations() {
        return List.copyOf(contractViolations);
    }

    /** @return the pending task failure rules, for reports */
    public List<Map<String, Object>> describeTaskFailures() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TaskFailure f : taskFailures) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", f.type);
            m.put("id", f.id);
            m.put("message", f.message);
            m.put("remaining", f.remaining);
            out.add(m);
        }
        return out;
    }
}
