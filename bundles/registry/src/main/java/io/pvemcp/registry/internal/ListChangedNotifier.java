package io.pvemcp.registry.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces list changes with one notification per kind and burst: a bundle that registers thirty tools at
 * once causes one {@code notifications/tools/list_changed}, not thirty.
 */
final class ListChangedNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(ListChangedNotifier.class);

    private final ScheduledExecutorService timer;
    private final long delayMillis;
    private final Consumer<String> send;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    ListChangedNotifier(ScheduledExecutorService timer, long delayMillis, Consumer<String> send) {
        this.timer = timer;
        this.delayMillis = delayMillis;
        this.send = send;
    }

    /** @param method the notification, e.g. {@code notifications/tools/list_changed} */
    void changed(String method) {
        if (pending.add(method)) {
            try {
                timer.schedule(() -> {
                    pending.remove(method);
                    try {
                        send.accept(method);
                    } catch (RuntimeException e) {
                        LOG.warn("sending {} failed", method, e);
                    }
                }, delayMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pending.remove(method);
            }
        }
    }
}
