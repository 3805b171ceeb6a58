package io.pvemcp.registry.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Holds what depends on the server's offer (lists, calls, reads) until the bundles of the start have started. The
 * launcher starts the transports before the tool bundles, so that {@code initialize} is answered while they start;
 * it sets the framework property {@value #PROPERTY} and, once the bundles of the start have started, registers a
 * service with the property {@code pvemcp.startup=complete}. A client's first {@code tools/list} waits for it and
 * sees every standard tool. A call waits only until its tool is there ({@link #then(BooleanSupplier, Supplier,
 * Scheduler)}): it needs no other. Without the framework property (another launcher, tests) the gate is open from the
 * start; past {@code maxWaitMillis} it opens anyway.
 */
final class StartupGate implements ServiceListener {

    /** The framework property that says a launcher will mark the end of the start ({@code marked}). */
    static final String PROPERTY = "pvemcp.startup";
    /** The service the launcher registers when the bundles of the start have started. */
    static final String COMPLETE = "(pvemcp.startup=complete)";
    private static final Logger LOG = LoggerFactory.getLogger(StartupGate.class);

    private final BundleContext context;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final ScheduledExecutorService timer;
    private final long maxWaitMillis;
    private final long started = System.nanoTime();
    /** What waits for the gate or, sooner, for a condition that a {@link #changed()} may fulfil. */
    private final List<Waiter> waiting = new ArrayList<>();

    private record Waiter(BooleanSupplier ready, CompletableFuture<Void> go) {
    }

    /** @return a gate that is open: nothing to wait for */
    static StartupGate none() {
        return new StartupGate();
    }

    private StartupGate() {
        this.context = null;
        this.timer = null;
        this.maxWaitMillis = 0;
        opened.complete(null);
    }

    StartupGate(BundleContext context, ScheduledExecutorService timer, long maxWaitMillis) {
        this.context = context;
        this.timer = timer;
        this.maxWaitMillis = maxWaitMillis;
        if (!"marked".equals(context.getProperty(PROPERTY))) {
            opened.complete(null);
            return;
        }
        try {
            context.addServiceListener(this, COMPLETE);
            // the mark may be there already (the registry restarted after the start)
            if (context.getServiceReferences((String) null, COMPLETE) != null) {
                open();
                return;
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        timer.schedule(() -> {
            if (!opened.isDone()) {
                LOG.warn("The start was not complete within {} ms; serving lists anyway", maxWaitMillis);
                open();
            }
        }, maxWaitMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        if (event.getType() == ServiceEvent.REGISTERED) {
            try {
                // off the registering thread (the launcher's): what waited runs on the registry's threads
                timer.execute(this::open);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                open();
            }
        }
    }

    private void open() {
        if (context == null) {
            return;
        }
        synchronized (waiting) {
            waiting.clear();
        }
        if (opened.complete(null)) {
            LOG.debug("the start is complete: serving lists ({} ms after the registry started)",
                    (System.nanoTime() - started) / 1_000_000);
        }
        try {
            context.removeServiceListener(this);
        } catch (IllegalStateException e) {
            // the bundle is stopping
        }
    }

    /** @return whether lists, and calls for any tool, are served now */
    boolean isOpen() {
        return opened.isDone() && !opened.isCompletedExceptionally();
    }

    /**
     * @param work what to do once the gate is open
     * @param scheduler where to do it when it had to wait
     * @return the work, at once when the gate is open, otherwise when it opens; an error if the registry stops
     *         first (what waited is not done: its client is gone with the server)
     */
    <T> Mono<T> then(Supplier<Mono<T>> work, Scheduler scheduler) {
        if (isOpen()) {
            return work.get();
        }
        return Mono.fromFuture(opened, false).publishOn(scheduler).then(Mono.defer(work));
    }

    /**
     * @param ready whether what the work needs is there already (the tool a call names)
     * @param work what to do once the gate is open or, sooner, once {@code ready} holds
     * @param scheduler where to do it when it had to wait
     * @return the work, at once when the gate is open or {@code ready} holds, otherwise when either comes true; an
     *         error if the registry stops first
     */
    <T> Mono<T> then(BooleanSupplier ready, Supplier<Mono<T>> work, Scheduler scheduler) {
        if (isOpen() || ready.getAsBoolean()) {
            return work.get();
        }
        return Mono.fromFuture(openedOr(ready), false).publishOn(scheduler).then(Mono.defer(work));
    }

    /** @return a stage that completes when the gate opens or, sooner, when {@code ready} holds after a change */
    CompletableFuture<Void> openedOr(BooleanSupplier ready) {
        CompletableFuture<Void> go = new CompletableFuture<>();
        synchronized (waiting) {
            waiting.add(new Waiter(ready, go));
        }
        // a change between the caller's check and the line above found nothing to wake
        if (ready.getAsBoolean()) {
            go.complete(null);
        }
        opened.whenComplete((v, e) -> {
            if (e == null) {
                go.complete(null);
            } else {
                go.completeExceptionally(e);
            }
        });
        return go;
    }

    /** What the gate's conditions look at has changed (a tool was registered): wakes what waited for it. */
    void changed() {
        if (opened.isDone()) {
            return;
        }
        List<CompletableFuture<Void>> wake = new ArrayList<>();
        synchronized (waiting) {
            waiting.removeIf(w -> {
                if (w.go().isDone()) {
                    return true;
                }
                if (w.ready().getAsBoolean()) {
                    wake.add(w.go());
                    return true;
                }
                return false;
            });
        }
        wake.forEach(go -> go.complete(null));
    }

    /** Waits for the gate (as long as it holds requests at most), for callers that cannot wait otherwise. */
    void await() {
        if (opened.isDone()) {
            return;
        }
        try {
            opened.get(maxWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // served as it is
        }
    }

    /** @return a stage that completes when the gate is open, exceptionally if the registry stops first */
    CompletableFuture<Void> opened() {
        return opened;
    }

    /** The registry stops: what still waits fails, and is not done. */
    void close() {
        if (context == null) {
            return;
        }
        try {
            context.removeServiceListener(this);
        } catch (IllegalStateException e) {
            // the bundle is stopping
        }
        opened.completeExceptionally(new IllegalStateException("the server stopped before it finished starting"));
    }
}
