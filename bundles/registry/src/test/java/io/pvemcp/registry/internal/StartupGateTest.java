package io.pvemcp.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

class StartupGateTest {

    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final Scheduler workers = Schedulers.newSingle("gate-test-worker");

    @AfterEach
    void stop() {
        timer.shutdownNow();
        workers.dispose();
    }

    /** A bundle context whose framework says that the launcher will mark the end of the start. */
    static BundleContext marked() {
        BundleContext ctx = mock(BundleContext.class);
        when(ctx.getProperty(StartupGate.PROPERTY)).thenReturn("marked");
        return ctx;
    }

    /** @return the listener a gate made on this context registered for the launcher's mark */
    static ServiceListener markListener(BundleContext ctx) throws Exception {
        ArgumentCaptor<ServiceListener> listener = ArgumentCaptor.forClass(ServiceListener.class);
        verify(ctx).addServiceListener(listener.capture(), eq(StartupGate.COMPLETE));
        return listener.getValue();
    }

    @Test
    void withoutALauncherThatMarksTheStartTheGateIsOpen() {
        BundleContext ctx = mock(BundleContext.class);
        StartupGate gate = new StartupGate(ctx, timer, 60_000);
        assertThat(gate.isOpen()).isTrue();
        assertThat(gate.then(() -> Mono.just("now"), workers).block(Duration.ofMillis(100))).isEqualTo("now");
    }

    @Test
    void listsAndCallsWaitForTheLaunchersMarkAndRunOnTheRegistrysThreads() throws Exception {
        BundleContext ctx = marked();
        StartupGate gate = new StartupGate(ctx, timer, 60_000);
        ServiceListener listener = markListener(ctx);
        assertThat(gate.isOpen()).isFalse();

        AtomicReference<String> ranOn = new AtomicReference<>();
        var pending = gate.then(() -> Mono.fromCallable(() -> {
            ranOn.set(Thread.currentThread().getName());
            return "listed";
        }), workers).toFuture();
        Thread.sleep(200);
        assertThat(pending).as("waits while the tool bundles start").isNotDone();

        listener.serviceChanged(new ServiceEvent(ServiceEvent.REGISTERED, mock(ServiceReference.class)));
        assertThat(pending.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("listed");
        assertThat(gate.isOpen()).isTrue();
        assertThat(ranOn.get()).as("not on the thread that registered the mark").startsWith("gate-test-worker");
        // the gate opens, then stops listening: what waited may run in between
        verify(ctx, timeout(5_000)).removeServiceListener(listener);
    }

    @Test
    void aRegistryStartedAfterTheStartFindsTheMarkAndDoesNotWait() throws Exception {
        BundleContext ctx = marked();
        when(ctx.getServiceReferences((String) null, StartupGate.COMPLETE)).thenReturn(
                new ServiceReference<?>[] {mock(ServiceReference.class)});
        StartupGate gate = new StartupGate(ctx, timer, 60_000);
        assertThat(gate.isOpen()).isTrue();
    }

    @Test
    void aStartThatNeverCompletesOpensTheGateAfterTheLongestWait() throws Exception {
        BundleContext ctx = marked();
        StartupGate gate = new StartupGate(ctx, timer, 1_500);
        assertThat(gate.isOpen()).isFalse();
        gate.opened().get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(gate.isOpen()).isTrue();
        verify(ctx, timeout(5_000)).removeServiceListener(any(ServiceListener.class));
    }

    @Test
    void whatWaitsWhenTheRegistryStopsIsNotDone() throws Exception {
        BundleContext ctx = marked();
        StartupGate gate = new StartupGate(ctx, timer, 60_000);
        AtomicReference<String> done = new AtomicReference<>();
        var pending = gate.then(() -> Mono.fromRunnable(() -> done.set("listed")), workers).toFuture();
        gate.close();
        assertThat(pending).as("what waited fails").failsWithin(Duration.ofSeconds(5));
        assertThat(done.get()).as("and is not done: its client is gone with the server").isNull();
        assertThat(gate.isOpen()).isFalse();
    }

    @Test
    void aCallWaitsForItsToolOnlyNotForTheWholeStart() throws Exception {
        BundleContext ctx = marked();
        StartupGate gate = new StartupGate(ctx, timer, 60_000);
        AtomicBoolean registered = new AtomicBoolean();
        AtomicReference<String> ranOn = new AtomicReference<>();
        var pending = gate.then(registered::get, () -> Mono.fromCallable(() -> {
            ranOn.set(Thread.currentThread().getName());
            return "called";
        }), workers).toFuture();
        gate.changed();
        Thread.sleep(200);
        assertThat(pending).as("another tool came: still waits").isNotDone();

        registered.set(true);
        gate.changed();
        assertThat(pending.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("called");
        assertThat(gate.isOpen()).as("the start is not complete").isFalse();
        assertThat(ranOn.get()).as("not on the thread that registered the tool").startsWith("gate-test-worker");
        // a tool that is there is called at once
        assertThat(gate.then(() -> true, () -> Mono.just("now"), workers).block(Duration.ofMillis(100)))
                .isEqualTo("now");
    }

    @Test
    void aCallForAToolThatNeverComesWaitsForTheEndOfTheStartAndFailsWhenTheRegistryStops() throws Exception {
        BundleContext ctx = marked();
        StartupGate gate = new StartupGate(ctx, timer, 60_000);
        ServiceListener listener = markListener(ctx);
        var unknown = gate.openedOr(() -> false);
        listener.serviceChanged(new ServiceEvent(ServiceEvent.REGISTERED, mock(ServiceReference.class)));
        unknown.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(gate.isOpen()).isTrue();

        StartupGate stopping = new StartupGate(ctx, timer, 60_000);
        var orphan = stopping.openedOr(() -> false);
        stopping.close();
        assertThat(orphan).as("its client is gone with the server").failsWithin(Duration.ofSeconds(5));
    }
}
