package io.pvemcp.pve.client.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.pvemcp.api.metrics.MetricSource;
import io.pvemcp.api.metrics.MetricWriter;

import org.osgi.service.component.annotations.Component;

/**
 * The figures of every cluster's client as one source for /metrics, so that each family is written once with a
 * {@code cluster} label (two sources writing one family would have the second dropped).
 */
@Component(service = {MetricSource.class, ClientMetrics.class})
public final class ClientMetrics implements MetricSource {

    private final Map<String, RequestMetrics> clusters = new ConcurrentHashMap<>();

    void add(String cluster, RequestMetrics metrics) {
        clusters.put(cluster, metrics);
    }

    void remove(String cluster, RequestMetrics metrics) {
        clusters.remove(cluster, metrics);
    }

    @Override
    public void collect(MetricWriter out) {
        RequestMetrics.collect(out, new TreeMap<>(clusters));
    }
}
