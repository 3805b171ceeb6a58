package io.pvemcp.http.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.pvemcp.api.Caller;
import io.pvemcp.security.Admission;
import io.pvemcp.security.Gatekeeper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way in to the MCP endpoint, the REST API and the metrics: every request passes the DNS rebinding checks
 * (Host and Origin), CORS for allowed browser origins (preflights are answered here), and the {@link Gatekeeper} (one
 * {@code Authorization} header, no token in the URL, a valid credential, the message rate). The admitted
 * {@link Caller} travels to the servlet as the request attribute {@link #CALLER}; a servlet serves nothing without
 * it. Refusals are written in the format of the way in: a JSON-RPC error for MCP, {@code {"error": ...}} for REST and metrics.
 */
@Component(service = Filter.class, configurationPid = "io.pvemcp.http")
@HttpWhiteboardFilterPattern({"/mcp", "/mcp/*", OpenApiDocument.PREFIX + "/*", MetricsServlet.PATH})
@HttpWhiteboardFilterName("pvemcp-admission")
@HttpWhiteboardFilterAsyncSupported
public final class AdmissionFilter implements Filter {

    /** Request attribute: the admitted {@link Caller}. */
    static final String CALLER = "io.pvemcp.caller";
    static final String SESSION_HEADER = "Mcp-Session-Id";
    static final String VERSION_HEADER = "MCP-Protocol-Version";

    private static final Logger LOG = LoggerFactory.getLogger(AdmissionFilter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RequestGuard guard;
    private final Gatekeeper gatekeeper;

    @Activate
    public AdmissionFilter(HttpConfig config, @Reference Gatekeeper gatekeeper) {
        this.guard = new RequestGuard(config.allowed_origins(), config.allowed_hosts());
        this.gatekeeper = gatekeeper;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindRuntime(ServiceReference<HttpServiceRuntime> runtime) {
        guard.listeningOn(RequestGuard.endpoints(runtime.getProperty("osgi.http.endpoint")));
        if (!guard.checksHosts()) {
            LOG.warn("The server listens on all interfaces and no allowed hosts are configured, so Host headers "
                    + "cannot be checked against DNS rebinding. Set allowed.hosts (MCP_ALLOWED_HOSTS) to the names "
                    + "clients use, and keep authentication on.");
        }
    }

    void unbindRuntime(ServiceReference<HttpServiceRuntime> runtime) {
        // the guard keeps what it learnt; a new runtime adds its endpoints
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        boolean rest = req.getServletPath() != null && (req.getServletPath().startsWith(OpenApiDocument.PREFIX)
                || req.getServletPath().equals(MetricsServlet.PATH));
        String refusal = guard.refusal(req);
        if (refusal != null) {
            LOG.warn("Refused {} {} from {}: {}", req.getMethod(), req.getRequestURI(), req.getRemoteAddr(), refusal);
            refuse(resp, rest, 403, "Forbidden: " + refusal);
            return;
        }
        cors(req, resp);
        if ("OPTIONS".equals(req.getMethod())) {
            resp.setHeader("Access-Control-Allow-Methods", rest ? "GET, POST" : "GET, POST, DELETE");
            resp.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept, " + SESSION_HEADER
                    + ", " + VERSION_HEADER + ", Last-Event-ID");
            resp.setHeader("Access-Control-Max-Age", "600");
            resp.setStatus(204);
            return;
        }
        Admission admission = Requests.admit(req, gatekeeper);
        if (!admission.admitted()) {
            Requests.refusalHeaders(resp, admission);
            refuse(resp, rest, admission.status(), admission.description());
            return;
        }
        req.setAttribute(CALLER, admission.caller().toBuilder().remoteAddress(req.getRemoteAddr()).build());
        chain.doFilter(request, response);
    }

    /** Browsers may call from an allowed origin (the guard refused the others): say so, and expose our headers. */
    private static void cors(HttpServletRequest req, HttpServletResponse resp) {
        String origin = req.getHeader("Origin");
        if (origin != null && !origin.isBlank() && !"null".equals(origin)) {
            resp.setHeader("Access-Control-Allow-Origin", origin);
            resp.addHeader("Vary", "Origin");
            resp.setHeader("Access-Control-Expose-Headers", SESSION_HEADER + ", WWW-Authenticate, Retry-After");
        }
    }

    private static void refuse(HttpServletResponse resp, boolean rest, int status, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        if (rest) {
            body.put("error", message == null ? "" : message);
        } else {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", status == 400 ? -32600 : -32001);
            error.put("message", message);
            body.put("jsonrpc", "2.0");
            body.put("id", null);
            body.put("error", error);
        }
        resp.setStatus(status);
        resp.setContentType("application/json;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getOutputStream().write(JSON.writeValueAsBytes(body));
    }

    /**
     * @param req a request this filter admitted
     * @return its caller, or {@code null} if it did not pass here (the filter is not registered yet)
     */
    static Caller caller(HttpServletRequest req) {
        return req.getAttribute(CALLER) instanceof Caller c ? c : null;
    }
}
