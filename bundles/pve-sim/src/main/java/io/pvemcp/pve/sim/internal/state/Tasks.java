package io.pvemcp.pve.sim.internal.state;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs worker tasks. A task has a first step, run at once while the request that started it is handled, and
 * a last step run when its (scaled) duration has passed; either may fail, which ends the task with that error
 * instead of failing the request, as on a real node. With a time scale of 0 every task ends before the request
 * that started it returns, which keeps tests free of waiting. Runs everything under the {@link SimState} lock.
 */
public final class Tasks {

    /** How many ended tasks are kept, cluster-wide. */
    private static final int KEEP = 5000;

    /** One step of a task; throws to fail the task with the exception's message. */
    @FunctionalInterface
    public interface Step {
        /** @param task the task, for its log */
        void run(SimTask task);
    }

    private final SimState state;
    private final Map<String, SimTask> tasks = new LinkedHashMap<>();
    private ScheduledExecutorService timer;
    private double timeScale;
    private long nextPid = 0x1000;

    Tasks(SimState state) {
        this.state = state;
    }

    /** @param scale task durations relative to a real node: 0 ends tasks at once, 1 takes seconds */
    public void timeScale(double scale) {
        if (scale < 0 || Double.isNaN(scale)) {
            throw new IllegalArgumentException("time scale must be 0 or more: " + scale);
        }
        this.timeScale = scale;
    }

    /** @return the time scale */
    public double timeScale() {
        return timeScale;
    }

    /**
     * Starts a task. Call with the state lock held.
     *
     * @param node the node it runs on
     * @param type the task type, e.g. {@code qmstart}
     * @param id the object id, usually the VMID, or empty
     * @param authid who started it
     * @param millis how long it takes on a real node
     * @param begin the first step, run now; may fail the task
     * @param finish the last step, run when the task ends; may fail it
     * @param abort undoes what {@code begin} did when the task fails or is stopped; may be {@code null}
     * @return the task
     */
    public SimTask start(String node, String type, String id, String authid, long millis, Step begin, Step finish,
            Step abort) {
        long now = state.clock().seconds();
        SimTask task = new SimTask(node, type, id == null ? "" : id, authid, nextPid++, 1_000_000 + nextPid * 7, now);
        tasks.put(task.upid, task);
        trim();
        state.clusterLog("root@pam", "starting task " + task.upid);
        task.abort = abort;
        task.finish = finish;
        try {
            if (begin != null) {
                begin.run(task);
            }
        } catch (RuntimeException e) {
            end(task, e.getMessage());
            return task;
        }
        long delay = Math.round(millis * timeScale);
        if (delay <= 0) {
            complete(task);
        } else {
            task.scheduled = timer().schedule(() -> {
                synchronized (state) {
                    if (task.running) {
                        complete(task);
                    }
                }
            }, delay, TimeUnit.MILLISECONDS);
        }
        return task;
    }

    private void complete(SimTask task) {
        String injected = state.faults().takeTaskFailure(task.type, task.id);
        if (injected != null) {
            fail(task, injected);
            return;
        }
        try {
            if (task.finish != null) {
                task.finish.run(task);
            }
            end(task, null);
        } catch (RuntimeException e) {
            fail(task, e.getMessage());
        }
    }

    private void fail(SimTask task, String message) {
        if (task.abort != null) {
            try {
                task.abort.run(task);
            } catch (RuntimeException e) {
                task.log("cleanup failed: " + e.getMessage());
            }
        }
        end(task, message);
    }

    private void end(SimTask task, String error) {
        task.running = false;
        task.endtime = state.clock().seconds();
        if (error != null) {
            String message = error.strip();
            task.exitstatus = message;
            task.log("TASK ERROR: " + message);
        } else if (task.warnings > 0) {
            task.exitstatus = "WARNINGS: " + task.warnings;
            task.log("TASK WARNINGS: " + task.warnings);
        } else {
            task.exitstatus = "OK";
            task.log("TASK OK");
        }
        state.clusterLog("root@pam", "end task " + task.upid + " " + task.exitstatus);
    }

    /**
     * Stops a running task, as {@code DELETE /nodes/{node}/tasks/{upid}} does. Call with the state lock held.
     *
     * @param task the task
     */
    public void stop(SimTask task) {
        if (!task.running) {
            return;
        }
        if (task.scheduled != null) {
            task.scheduled.cancel(false);
        }
        fail(task, "interrupted by signal");
    }

    /**
     * @param upid a UPID
     * @return the task, or {@code null}
     */
    public SimTask get(String upid) {
        return tasks.get(upid);
    }

    /** @return every known task, newest first */
    public List<SimTask> all() {
        List<SimTask> out = new ArrayList<>(tasks.values());
        java.util.Collections.reverse(out);
        return out;
    }

    /**
     * @param vmid a VMID
     * @return the running tasks of that guest
     */
    public List<SimTask> runningFor(int vmid) {
        List<SimTask> out = new ArrayList<>();
        for (SimTask t : tasks.values()) {
            if (t.running && t.id.equals(Integer.toString(vmid))) {
                out.add(t);
            }
        }
        return out;
    }

    private void trim() {
        if (tasks.size() <= KEEP) {
            return;
        }
        Iterator<SimTask> it = tasks.values().iterator();
        while (tasks.size() > KEEP && it.hasNext()) {
            if (!it.next().running) {
                it.remove();
            }
        }
    }

    private ScheduledExecutorService timer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "pve-sim-tasks");
                t.setDaemon(true);
                return t;
            });
        }
        return timer;
    }

    /** Stops the timer; running tasks stay as they are. */
    void shutdown() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
