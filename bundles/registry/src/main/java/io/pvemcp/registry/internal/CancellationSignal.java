package io.pvemcp.registry.internal;

import java.util.ArrayList;
import java.util.List;

import io.pvemcp.api.Cancellation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cancellation of one request. Cancelling runs the registered actions and interrupts the worker thread,
 * but only while that thread still runs this request.
 */
final class CancellationSignal implements Cancellation {

    private static final Logger LOG = LoggerFactory.getLogger(CancellationSignal.class);

    private final List<Runnable> actions = new ArrayList<>();
    private boolean cancelled;
    private Thread worker;

    @Override
    public synchronized boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void onCancel(Runnable action) {
        boolean now;
        synchronized (this) {
            now = cancelled;
            if (!now) {
                actions.add(action);
            }
        }
        if (now) {
            run(action);
        }
    }

    void cancel() {
        List<Runnable> toRun;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = List.copyOf(actions);
            actions.clear();
            if (worker != null) {
                worker.interrupt();
            }
        }
        toRun.forEach(CancellationSignal::run);
    }

    /** Marks the current thread as running the request. */
    synchronized void enter() {
        worker = Thread.currentThread();
        if (cancelled) {
            worker.interrupt();
        }
    }

    /** Marks the request as finished on this thread and clears a pending interrupt meant for it. */
    void exit() {
        synchronized (this) {
            worker = null;
        }
        Thread.interrupted();
    }

    private static void run(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("a cancellation action failed", e);
        }
    }
}
