package io.pvemcp.pve.sim.internal.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * A worker task: a long operation identified by its UPID, with a log and an exit status, as Proxmox VE runs
 * them ({@code UPID:node:PID:PSTART:STARTTIME:TYPE:ID:USER:}). Guarded by the {@link SimState} lock.
 */
public final class SimTask {

    final String upid;
    final String node;
    final String type;
    final String id;
    /** The authid that started it: a user or a token id. */
    final String authid;
    final long pid;
    final long pstart;
    final long starttime;
    boolean running = true;
    String exitstatus;
    long endtime;
    int warnings;
    final List<String> log = new ArrayList<>();
    Tasks.Step finish;
    Tasks.Step abort;
    ScheduledFuture<?> scheduled;

    SimTask(String node, String type, String id, String authid, long pid, long pstart, long starttime) {
        this.node = node;
        this.type = type;
        this.id = id;
        this.authid = authid;
        this.pid = pid;
        this.pstart = pstart;
        this.starttime = starttime;
        this.upid = String.format(Locale.ROOT, "UPID:%s:%08X:%08X:%08X:%s:%s:%s:", node, pid, pstart, starttime, type,
                id, authid);
    }

    /** @return the UPID */
    public String upid() {
        return upid;
    }

    /** @return the node it runs on */
    public String node() {
        return node;
    }

    /** @return the task type, e.g. {@code qmstart} */
    public String type() {
        return type;
    }

    /** @return the task's object id, usually the VMID; may be empty */
    public String id() {
        return id;
    }

    /** @return the user or token that started it */
    public String authid() {
        return authid;
    }

    /** @return whether it still runs */
    public boolean running() {
        return running;
    }

    /** @return {@code OK}, {@code WARNINGS: n} or the error, once it ended; otherwise {@code null} */
    public String exitstatus() {
        return exitstatus;
    }

    /** @param line a line for the task log */
    public void log(String line) {
        log.add(line);
    }

    /** @param message a warning: it goes to the log, and the task ends with {@code WARNINGS: n} */
    public void warn(String message) {
        warnings++;
        log.add("WARN: " + message);
    }

    /** @return the lines of the log */
    public List<String> logLines() {
        return log;
    }

    /**
     * @param withStatus whether to include the exit status ({@code status} member) for ended tasks
     * @return the task as {@code /nodes/{node}/tasks} and the status call describe it
     */
    public Map<String, Object> describe(boolean withStatus) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("upid", upid);
        m.put("node", node);
        m.put("pid", pid);
        m.put("pstart", pstart);
        m.put("starttime", starttime);
        m.put("type", type);
        m.put("id", id);
        int bang = authid.indexOf('!');
        m.put("user", bang < 0 ? authid : authid.substring(0, bang));
        if (bang >= 0) {
            m.put("tokenid", authid.substring(bang + 1));
        }
        if (!running) {
            m.put("endtime", endtime);
        }
        if (withStatus) {
            m.put("status", running ? "RUNNING" : exitstatus);
        }
        return m;
    }
}
