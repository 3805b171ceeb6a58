package io.pvemcp.registry.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.pvemcp.registry.ToolRegistry.ContributionInfo;
import io.pvemcp.registry.ToolRegistry.Rejection;

import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One whiteboard table (tools, resources or prompts): accepts services whose metadata and content are valid,
 * rejects the others with a reason, and resolves name collisions by service ranking (then by the lower
 * service id, as OSGi does). A service that loses a collision is held back and promoted when the winner
 * leaves. Writers synchronise on the table; readers use the immutable snapshot of active entries.
 *
 * @param <T> the service type
 * @param <E> the accepted entry type
 */
final class Contributions<T, E extends Contributions.Entry<T>> {

    private static final Logger LOG = LoggerFactory.getLogger(Contributions.class);

    /** Reads a service into an entry, or refuses it. */
    @FunctionalInterface
    interface Reader<T, E> {
        /**
         * @throws Rejected if the service cannot be accepted; its message is the reason
         */
        E read(Source<T> source);
    }

    /** What a {@link Reader} gets: the service, its properties and where it comes from. */
    record Source<T>(T service, Map<String, Object> properties, ServiceReference<T> reference) {
    }

    /** A contribution was refused; the message says why. */
    static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Rejected(String reason) {
            super(reason);
        }
    }

    /** An accepted contribution. */
    abstract static class Entry<T> {
        final String key;
        final T service;
        final String bundle;
        final long bundleId;
        final long serviceId;
        final int ranking;
        ComponentServiceObjects<T> objects;

        Entry(String key, Source<T> source) {
            this.key = key;
            this.service = source.service();
            ServiceReference<T> ref = source.reference();
            this.bundle = ref.getBundle() == null ? "?" : ref.getBundle().getSymbolicName();
            this.bundleId = ref.getBundle() == null ? -1 : ref.getBundle().getBundleId();
            this.serviceId = (Long) ref.getProperty(Constants.SERVICE_ID);
            Object r = ref.getProperty(Constants.SERVICE_RANKING);
            this.ranking = r instanceof Integer i ? i : 0;
        }

        abstract ContributionInfo info();
    }

    private static final Comparator<Entry<?>> ORDER = Comparator.<Entry<?>>comparingInt(e -> -e.ranking)
            .thenComparingLong(e -> e.serviceId);

    private final String kind;
    private final String nameProperty;
    private final Reader<T, E> reader;
    private final Map<String, List<E>> byKey = new TreeMap<>();
    private final Map<Long, Rejection> invalid = new LinkedHashMap<>();
    private volatile Map<String, E> active = Map.of();

    /**
     * @param kind {@code tool}, {@code resource} or {@code prompt}, for reports
     * @param nameProperty the service property that names a contribution
     * @param reader reads and validates a service
     */
    Contributions(String kind, String nameProperty, Reader<T, E> reader) {
        this.kind = kind;
        this.nameProperty = nameProperty;
        this.reader = reader;
    }

    /**
     * Offers a service.
     *
     * @return {@code true} if the set of active entries changed
     */
    synchronized boolean add(ComponentServiceObjects<T> objects, Map<String, Object> properties) {
        ServiceReference<T> ref = objects.getServiceReference();
        long serviceId = (Long) properties.get(Constants.SERVICE_ID);
        String bundle = ref.getBundle() == null ? "?" : ref.getBundle().getSymbolicName();
        long bundleId = ref.getBundle() == null ? -1 : ref.getBundle().getBundleId();
        Object name = properties.get(nameProperty);
        T service;
        try {
            service = objects.getService();
        } catch (RuntimeException e) {
            return reject(serviceId, name, bundle, bundleId, "the service could not be obtained: " + e);
        }
        if (service == null) {
            return reject(serviceId, name, bundle, bundleId,
                    "the service could not be obtained (its component failed to activate; see the log)");
        }
        E entry;
        try {
            entry = reader.read(new Source<>(service, properties, ref));
        } catch (Rejected e) {
            unget(objects, service);
            return reject(serviceId, name, bundle, bundleId, e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            unget(objects, service);
            LOG.warn("Reading {} service {} of bundle {} failed", kind, serviceId, bundle, e);
            return reject(serviceId, name, bundle, bundleId, "reading it failed: " + e);
        }
        entry.objects = objects;
        invalid.remove(serviceId);
        List<E> candidates = byKey.computeIfAbsent(entry.key, k -> new ArrayList<>());
        candidates.add(entry);
        candidates.sort(ORDER);
        E winner = candidates.get(0);
        if (winner != entry) {
            LOG.warn("The {} '{}' of bundle {} (service {}) is held back: {} (service {}, ranking {}) provides it "
                    + "with a higher ranking", kind, entry.key, bundle, serviceId, winner.bundle, winner.serviceId,
                    winner.ranking);
            return false;
        }
        if (candidates.size() > 1) {
            E loser = candidates.get(1);
            LOG.info("The {} '{}' of bundle {} (service {}) replaces the one of {} (service {}) by ranking", kind,
                    entry.key, bundle, serviceId, loser.bundle, loser.serviceId);
        }
        snapshot();
        return true;
    }

    /**
     * Withdraws a service.
     *
     * @return {@code true} if the set of active entries changed
     */
    synchronized boolean remove(ComponentServiceObjects<T> objects, Map<String, Object> properties) {
        long serviceId = (Long) properties.get(Constants.SERVICE_ID);
        if (invalid.remove(serviceId) != null) {
            return false;
        }
        for (var it = byKey.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            List<E> candidates = e.getValue();
            for (int i = 0; i < candidates.size(); i++) {
                E entry = candidates.get(i);
                if (entry.serviceId == serviceId) {
                    candidates.remove(i);
                    unget(entry.objects, entry.service);
                    if (candidates.isEmpty()) {
                        it.remove();
                    }
                    if (i == 0) {
                        snapshot();
                        return true;
                    }
                    return false;
                }
            }
        }
        return false;
    }

    /** @return the active entry for a key, or {@code null} */
    E get(String key) {
        return active.get(key);
    }

    /** @return the active entries, sorted by key */
    List<E> active() {
        return List.copyOf(active.values());
    }

    /** @return what is served, for reports */
    List<ContributionInfo> infos() {
        List<ContributionInfo> out = new ArrayList<>();
        for (E e : active.values()) {
            out.add(e.info());
        }
        return out;
    }

    /** @return the refused and the held-back contributions, with reasons */
    synchronized List<Rejection> rejections() {
        List<Rejection> out = new ArrayList<>(invalid.values());
        for (List<E> candidates : byKey.values()) {
            E winner = candidates.get(0);
            for (int i = 1; i < candidates.size(); i++) {
                E e = candidates.get(i);
                out.add(new Rejection(kind, e.key, e.bundle, e.bundleId, e.serviceId, "the " + kind + " '" + e.key
                        + "' is already provided by bundle " + winner.bundle + " (service " + winner.serviceId
                        + ", ranking " + winner.ranking + "), which ranks higher; this one takes over if that one "
                        + "goes away"));
            }
        }
        return out;
    }

    /** Releases every service; used when the registry stops. */
    synchronized void clear() {
        for (List<E> candidates : byKey.values()) {
            for (E e : candidates) {
                unget(e.objects, e.service);
            }
        }
        byKey.clear();
        invalid.clear();
        active = Map.of();
    }

    private boolean reject(long serviceId, Object name, String bundle, long bundleId, String reason) {
        String n = name == null ? null : String.valueOf(name);
        invalid.put(serviceId, new Rejection(kind, n, bundle, bundleId, serviceId, reason));
        LOG.warn("Rejected {} {} of bundle {} (service {}): {}", kind, n == null ? "(unnamed)" : "'" + n + "'",
                bundle, serviceId, reason);
        return false;
    }

    private void snapshot() {
        Map<String, E> m = new TreeMap<>();
        for (var e : byKey.entrySet()) {
            m.put(e.getKey(), e.getValue().get(0));
        }
        active = Collections.unmodifiableMap(m);
    }

    private void unget(ComponentServiceObjects<T> objects, T service) {
        try {
            objects.ungetService(service);
        } catch (RuntimeException e) {
            LOG.debug("releasing a {} service failed", kind, e);
        }
    }
}
