package io.pvemcp.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import io.pvemcp.api.Caller;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.metrics.Histogram;
import io.pvemcp.api.metrics.MetricSource;
import io.pvemcp.api.metrics.MetricWriter;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics}: the figures of every {@link MetricSource} in the Prometheus text format (version 0.0.4), for a
 * caller with the {@link Scopes#METRICS} scope (or admin), admitted as every request is ({@link AdmissionFilter}).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(MetricsServlet.PATH)
@HttpWhiteboardServletName("metrics")
public final class MetricsServlet extends HttpServlet {

    static final String PATH = "/metrics";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServlet.class);
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private final transient List<MetricSource> sources = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSource(MetricSource source) {
        sources.add(source);
    }

    void removeSource(MetricSource source) {
        sources.remove(source);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Caller caller = AdmissionFilter.caller(req);
        if (caller == null) {
            resp.setHeader("Retry-After", "2");
            plain(resp, 503, "The server is starting; try again shortly.\n");
            return;
        }
        if (!caller.hasScope(Scopes.METRICS)) {
            plain(resp, 403, "This token may not read metrics: issue one with the scope " + Scopes.METRICS
                    + " (proxmox-mcp token create --name prometheus --scopes " + Scopes.METRICS + ").\n");
            return;
        }
        resp.setStatus(200);
        resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getOutputStream().write(render(sources).getBytes(StandardCharsets.UTF_8));
    }

    private static void plain(HttpServletResponse resp, int status, String text) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/plain; charset=utf-8");
        resp.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the sources' figures in the Prometheus text format */
    static String render(List<MetricSource> sources) {
        StringBuilder out = new StringBuilder(4096);
        Set<String> done = new HashSet<>();
        for (MetricSource s : sources) {
            Text w = new Text(done);
            try {
                s.collect(w);
            } catch (RuntimeException e) {
                LOG.warn("A metric source failed and is left out of this scrape: {}", e.toString());
                continue;
            }
            out.append(w.text);
            done.addAll(w.names);
        }
        return out.toString();
    }

    /** One source's samples; names another source wrote already are dropped, a name's HELP and TYPE come once. */
    private static final class Text implements MetricWriter {
        final StringBuilder text = new StringBuilder();
        final Set<String> names = new HashSet<>();
        private final Set<String> others;

        Text(Set<String> others) {
            this.others = others;
        }

        private boolean header(String name, String help, String type) {
            if (!NAME.matcher(name).matches() || others.contains(name)) {
                return false;
            }
            if (names.add(name)) {
                text.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\")
                        .replace("\n", "\\n")).append('\n');
                text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
            }
            return true;
        }

        @Override
        public void counter(String name, String help, Map<String, String> labels, double value) {
            if (header(name, help, "counter")) {
                sample(name, labels, null, value);
            }
        }

        @Override
        public void gauge(String name, String help, Map<String, String> labels, double value) {
            if (header(name, help, "gauge")) {
                sample(name, labels, null, value);
            }
        }

        @Override
        public void histogram(String name, String help, Map<String, String> labels, Histogram.Snapshot h) {
            if (!header(name, help, "histogram")) {
                return;
            }
            long cumulative = 0;
            for (int i = 0; i < h.bounds().length; i++) {
                cumulative += h.counts()[i];
                sample(name + "_bucket", labels, number(h.bounds()[i]), cumulative);
            }
            cumulative += h.counts()[h.bounds().length];
            sample(name + "_bucket", labels, "+Inf", cumulative);
            sample(name + "_sum", labels, null, h.sum());
            sample(name + "_count", labels, null, cumulative);
        }

        private void sample(String name, Map<String, String> labels, String le, double value) {
            text.append(name);
            Map<String, String> all = new TreeMap<>(labels);
            if (le != null) {
                all.put("le", le);
            }
            if (!all.isEmpty()) {
                text.append('{');
                boolean first = true;
                for (Map.Entry<String, String> e : all.entrySet()) {
                    if (!first) {
                        text.append(',');
                    }
                    first = false;
                    text.append(e.getKey()).append("=\"").append(String.valueOf(e.getValue()).replace("\\", "\\\\")
                            .replace("\"", "\\\"").replace("\n", "\\n")).append('"');
                }
                text.append('}');
            }
            text.append(' ').append(number(value)).append('\n');
        }

        private static String number(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
