package io.pvemcp.http.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.pvemcp.api.Json;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.registry.ToolRegistry;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code /healthz}: the process serves HTTP. {@code /readyz}: the MCP registry runs and the bundles of the start have
 * started (until then lists wait, and calls whose tool is not there yet), Proxmox VE answers
 * with the configured credentials, and the state database (when replicas share one) answers. Both answer JSON; {@code /readyz} answers 503 with the reason when not
 * ready. The Proxmox check is cached for a few seconds so that probes do not load the cluster.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/healthz", "/readyz"})
@HttpWhiteboardServletName("health")
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final long CACHE_MILLIS = 5000;

    private final transient ObjectMapper mapper = new ObjectMapper();

    /** Every cluster's client, with its service properties (its name). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile java.util.List<Map.Entry<Map<String, Object>, ProxmoxClient>> proxmox;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile ToolRegistry registry;

    /** The state database replicas share, when one is configured: part of readiness. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile io.pvemcp.security.store.SharedState state;

    private transient volatile Map<String, Object> lastState;
    private transient volatile long lastStateCheck;

    private transient volatile Map<String, Object> lastProxmox;
    private transient volatile long lastCheck;

    private transient volatile BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    /** @return the state database's check, cached for a second, or {@code null} without one */
    private Map<String, Object> stateCheck() {
        io.pvemcp.security.store.SharedState s = state;
        if (s == null) {
            return null;
        }
        Map<String, Object> cached = lastState;
        if (cached != null && System.currentTimeMillis() - lastStateCheck < 1000) {
            return cached;
        }
        String problem = s.check();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", problem == null);
        out.put("database", s.where());
        if (problem != null) {
            out.put("error", problem);
        }
        lastState = out;
        lastStateCheck = System.currentTimeMillis();
        return out;
    }

    /**
     * The bundles that should run and do not (a plugin in deploy/ that does not resolve, a stopped core bundle).
     * Reported, not part of readiness: a broken plugin must not take the server out of a load balancer.
     */
    private Map<String, Object> bundles() {
        Map<String, Object> out = new LinkedHashMap<>();
        BundleContext ctx = context;
        if (ctx == null) {
            return out;
        }
        int active = 0;
        java.util.List<String> notRunning = new java.util.ArrayList<>();
        for (Bundle b : ctx.getBundles()) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            if (b.getState() == Bundle.ACTIVE) {
                active++;
            } else {
                notRunning.add(b.getSymbolicName() == null ? b.getLocation() : b.getSymbolicName());
            }
        }
        out.put("ok", notRunning.isEmpty());
        out.put("active", active);
        out.put("notRunning", notRunning);
        return out;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        int status = 200;
        if ("/healthz".equals(req.getServletPath())) {
            body.put("status", "alive");
        } else {
            Map<String, Object> checks = new LinkedHashMap<>();
            ToolRegistry r = registry;
            Map<String, Object> reg = new LinkedHashMap<>();
            boolean started = r != null && r.started();
            reg.put("ok", started);
            if (r != null) {
                reg.put("started", started);
                reg.put("tools", r.tools().size());
                reg.put("sessions", r.sessions().size());
                if (!started) {
                    reg.put("error", "the tool bundles are still starting");
                }
            } else {
                reg.put("error", "the MCP registry is not running");
            }
            checks.put("registry", reg);
            checks.put("bundles", bundles());
            Map<String, Object> clusters = proxmoxCheck();
            // the default cluster as before; with several, each by name: ready while any answers (one cluster down
            // is not cured by taking this server out of its load balancer)
            Map<String, Object> pve = clusters.isEmpty() ? Map.of("ok", false, "error",
                    "the Proxmox client is not running") : (Map<String, Object>) clusters.values().iterator().next();
            checks.put("proxmox", pve);
            if (clusters.size() > 1) {
                checks.put("clusters", clusters);
            }
            Map<String, Object> db = stateCheck();
            if (db != null) {
                checks.put("state", db);
            }
            // without its state database a replica would refuse every credential: out of the load balancer
            boolean ready = started && clusters.values().stream().anyMatch(c -> Boolean.TRUE.equals(
                    ((Map<?, ?>) c).get("ok"))) && (db == null || Boolean.TRUE.equals(db.get("ok")));
            status = ready ? 200 : 503;
            body.put("status", ready ? "ready" : "not ready");
            body.put("checks", checks);
        }
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getOutputStream().write(mapper.writeValueAsBytes(body));
    }

    /** @return each cluster's health by name, the default cluster first (cached for a few seconds) */
    private Map<String, Object> proxmoxCheck() {
        long now = System.currentTimeMillis();
        Map<String, Object> cached = lastProxmox;
        if (cached != null && now - lastCheck < CACHE_MILLIS) {
            return cached;
        }
        var all = proxmox;
        java.util.List<Map.Entry<Map<String, Object>, ProxmoxClient>> clients = new java.util.ArrayList<>(
                all == null ? java.util.List.of() : all);
        boolean named = clients.stream().anyMatch(e -> !primary(e.getKey()));
        if (named) {
            clients.removeIf(e -> primary(e.getKey()) && !e.getValue().connection().configured());
        }
        // the primary (io.pvemcp.pve.client) first, then by name
        clients.sort(java.util.Comparator.comparing((Map.Entry<Map<String, Object>, ProxmoxClient> e) ->
                !primary(e.getKey())).thenComparing(e -> name(e.getKey())));
        Map<String, Object> out = new LinkedHashMap<>();
        java.util.List<java.util.concurrent.CompletableFuture<Void>> checks = new java.util.ArrayList<>();
        for (var e : clients) {
            Map<String, Object> result = new LinkedHashMap<>();
            out.putIfAbsent(name(e.getKey()), result);
            checks.add(java.util.concurrent.CompletableFuture.runAsync(() -> check(e.getValue(), result)));
        }
        checks.forEach(java.util.concurrent.CompletableFuture::join);
        lastProxmox = out;
        lastCheck = now;
        return out;
    }

    private static boolean primary(Map<String, Object> properties) {
        return properties.get("pvemcp.pve.cluster") == null
                || Boolean.TRUE.equals(properties.get("pvemcp.pve.primary"));
    }

    private static String name(Map<String, Object> properties) {
        Object n = properties.get("pvemcp.pve.cluster");
        return n == null ? "default" : n.toString();
    }

    private static void check(ProxmoxClient client, Map<String, Object> result) {
        if (!client.connection().configured()) {
            result.put("ok", false);
            result.put("error", "no Proxmox VE connection is configured (PROXMOX_HOST)");
        } else {
            long start = System.nanoTime();
            try {
                Map<String, Object> v = Json.map(client.get("/version", Map.of()).get(10, TimeUnit.SECONDS));
                result.put("ok", true);
                result.put("url", client.connection().baseUrl());
                result.put("version", v.get("version"));
                result.put("latencyMs", (System.nanoTime() - start) / 1_000_000);
            } catch (TimeoutException e) {
                result.put("ok", false);
                result.put("error", "Proxmox VE did not answer within 10 s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.put("ok", false);
                result.put("error", "interrupted");
            } catch (Exception e) {
                Throwable cause = e.getCause() instanceof ProxmoxException pe ? pe : e;
                result.put("ok", false);
                result.put("error", cause instanceof ProxmoxException ? cause.getMessage()
                        : "the check failed: " + cause.getClass().getSimpleName());
            }
        }
    }
}
