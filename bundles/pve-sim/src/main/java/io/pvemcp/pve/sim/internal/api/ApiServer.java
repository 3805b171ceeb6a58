package io.pvemcp.pve.sim.internal.api;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.pvemcp.pve.sim.contract.ApiContract;
import io.pvemcp.pve.sim.contract.ApiMethod;
import io.pvemcp.pve.sim.internal.http.HttpHandler;
import io.pvemcp.pve.sim.internal.http.HttpRequest;
import io.pvemcp.pve.sim.internal.http.HttpResponse;
import io.pvemcp.pve.sim.internal.state.Access;
import io.pvemcp.pve.sim.internal.state.SimNode;
import io.pvemcp.pve.sim.internal.state.SimState;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /api2/json} API of a simulated node. Every request goes through the steps a real node takes,
 * in its order: authentication (ticket or API token; CSRF token on writes made with a ticket), lookup in the
 * API contract (501 when the contract has no such method), parameter verification against the contract
 * (400), the permission check the contract states (403), and the availability of the node the path
 * addresses (595), before the handler runs.
 */
public final class ApiServer implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String JSON = "application/json;charset=UTF-8";
    private static final String BASE = "/api2/json";
    private static final Set<String> NO_AUTH = Set.of("GET /access/domains", "GET /access/ticket",
            "POST /access/ticket", "POST /access/vncticket", "POST /access/openid/login",
            "POST /access/openid/auth-url");
    private static final Pattern TEMPLATE_VAR = Pattern.compile("\\{([^}]+)}");

    private final ObjectMapper mapper = new ObjectMapper();
    private final CompletableFuture<ApiContract> loading;
    private final SimState state;
    private final Map<String, ApiHandler> handlers;
    private final Duration authFailureDelay;

    /**
     * @param contract the API contract, possibly still loading: requests wait for it, the listener need not
     * @param state the cluster state
     * @param handlers the implemented methods, keyed {@code "GET /nodes/{node}/status"}
     * @param authFailureDelay how long to hold back an answer to a failed authentication
     */
    public ApiServer(CompletableFuture<ApiContract> contract, SimState state, Map<String, ApiHandler> handlers,
            Duration authFailureDelay) {
        this.loading = contract;
        this.state = state;
        this.handlers = Map.copyOf(handlers);
        this.authFailureDelay = authFailureDelay;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        String rawPath = request.rawPath();
        if (!rawPath.startsWith("/api2/")) {
            return error(501, "no such file '" + decode(rawPath) + "'", Map.of());
        }
        if (!rawPath.startsWith(BASE + "/") && !rawPath.equals(BASE)) {
            return error(501, "no such uri", Map.of());
        }
        String path = rawPath.length() == BASE.length() ? "/" : rawPath.substring(BASE.length());
        String method = request.method();
        ApiContract contract = loading.join();
        try {
            Map<String, Object> params = parameters(request);
            String authid;
            try {
                authid = authenticate(request, method, templateOf(contract, method, path));
            } catch (Access.AuthException e) {
                return error(401, e.getMessage(), Map.of()).delayed(authFailureDelay);
            }
            var match = contract.find(method, path)
                    .orElseThrow(() -> new ApiException(501, "Method '" + method + " " + path + "' not implemented"));
            ApiMethod api = match.method();
            params.putAll(match.pathParameters());
            params.remove("_dc");
            Map<String, String> errors = api.check(params);
            if (!errors.isEmpty()) {
                throw new ApiException(400, "Parameter verification failed.", errors);
            }
            synchronized (state) {
                if (authid != null && authid.contains("!") && !api.allowToken()) {
                    throw new ApiException(403, "Permission check failed (API tokens are not allowed for this call)");
                }
                checkPermissions(api.permissions(), authid, params);
                checkNode(params);
                ApiHandler handler = handlers.get(method + " " + api.path());
                if (handler == null) {
                    throw new ApiException(501, "Method '" + method + " " + path
                            + "' not implemented by the Proxmox VE simulator");
                }
                Object data = handler.handle(new ApiCall(api, path, params, authid, state));
                return ok(data);
            }
        } catch (ApiException e) {
            HttpResponse r = error(e.status(), e.getMessage(), e.errors());
            return e.status() == 401 ? r.delayed(authFailureDelay) : r;
        } catch (RuntimeException e) {
            LOG.error("simulated {} {} failed", method, path, e);
            return error(500, "internal error: " + e.getClass().getSimpleName(), Map.of());
        }
    }

    private static String templateOf(ApiContract contract, String method, String path) {
        return contract.find(method, path).map(m -> method + " " + m.method().path()).orElse(method + " " + path);
    }

    /** Authenticates the request; returns the authid, or {@code null} for methods that need none. */
    private String authenticate(HttpRequest request, String method, String key) {
        String ticket = authValue(request.header("Cookie"), "PVEAuthCookie");
        String authorization = request.header("Authorization");
        if (ticket == null) {
            ticket = authValue(authorization, "PVEAuthCookie");
        }
        String token = ticket == null ? authValue(authorization, "PVEAPIToken") : null;
        if (NO_AUTH.contains(key)) {
            return null;
        }
        synchronized (state) {
            if (token != null) {
                return state.access().verifyToken(token);
            }
            if (ticket == null) {
                throw new Access.AuthException("No ticket");
            }
            String user = state.access().verifyTicket(ticket);
            if (!method.equals("GET")) {
                state.access().verifyCsrfToken(user, request.header("CSRFPreventionToken"));
            }
            return user;
        }
    }

    /** Extracts {@code NAME=value} from a Cookie or Authorization header, as pveproxy does. */
    static String authValue(String header, String name) {
        if (header == null) {
            return null;
        }
        Matcher m = Pattern.compile("(?:^|[\\s;,])" + Pattern.quote(name) + "[=\\s]([^\\s;,]+)").matcher(header);
        if (!m.find()) {
            return null;
        }
        String v = m.group(1);
        if (name.equals("PVEAPIToken")) {
            int colon = v.indexOf(':');
            v = colon > 0 && !v.contains("=") ? v.substring(0, colon) + "=" + v.substring(colon + 1) : v;
            return v;
        }
        return URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private Map<String, Object> parameters(HttpRequest request) {
        Map<String, Object> params = new LinkedHashMap<>();
        byte[] body = request.body();
        if (body.length > 0) {
            String type = request.header("Content-Type");
            String ct = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
            if (ct.isEmpty() || ct.equals("application/x-www-form-urlencoded")) {
                decodeForm(new String(body, StandardCharsets.UTF_8), params);
            } else if (ct.equals("application/json")) {
                Object json;
                try {
                    json = mapper.readValue(body, Object.class);
                } catch (IOException e) {
                    throw new ApiException(400, "failed to parse JSON body");
                }
                if (json instanceof Map<?, ?> m) {
                    for (var e : m.entrySet()) {
                        if (e.getValue() != null) {
                            params.put(String.valueOf(e.getKey()), e.getValue());
                        }
                    }
                } else {
                    throw new ApiException(400, "JSON body must be an object");
                }
            } else {
                throw new ApiException(506, "upload 'Content-Type '" + type + "' not implemented");
            }
        }
        decodeForm(request.rawQuery(), params);
        return params;
    }

    @SuppressWarnings("unchecked")
    private static void decodeForm(String form, Map<String, Object> params) {
        if (form == null || form.isEmpty()) {
            return;
        }
        Map<String, Object> seen = new LinkedHashMap<>();
        for (String pair : form.split("[&;]")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            Object old = seen.get(k);
            if (old == null) {
                seen.put(k, v);
            } else if (old instanceof List<?> l) {
                ((List<Object>) l).add(v);
            } else {
                List<Object> l = new ArrayList<>();
                l.add(old);
                l.add(v);
                seen.put(k, l);
            }
        }
        params.putAll(seen);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad request");
        }
    }

    /** Evaluates the contract's permission rule, as PVE::RPCEnvironment::check_api2_permissions does. */
    private void checkPermissions(Object rule, String authid, Map<String, Object> params) {
        if (!(rule instanceof Map<?, ?> perm)) {
            if (authid != null && !authid.equals("root@pam")) {
                throw new ApiException(403, "Permission check failed (user != root@pam)");
            }
            return;
        }
        Object user = perm.get("user");
        if ("world".equals(user) || authid == null && user == null && perm.get("check") == null) {
            return;
        }
        if (authid == null) {
            return;
        }
        if ("all".equals(user)) {
            return;
        }
        if (perm.get("check") instanceof List<?> check) {
            String failure = evaluate(check, authid, params);
            if (failure != null) {
                throw new ApiException(403, "Permission check failed (" + failure + ")");
            }
        } else if (!authid.startsWith("root@pam")) {
            throw new ApiException(403, "Permission check failed");
        }
    }

    /** @return {@code null} if the check passes, else the {@code path, privilege} that failed */
    private String evaluate(List<?> check, String authid, Map<String, Object> params) {
        String op = String.valueOf(check.get(0));
        switch (op) {
            case "perm" -> {
                String path = fill(String.valueOf(check.get(1)), params);
                List<?> privs = (List<?>) check.get(2);
                boolean any = check.size() > 4 && "any".equals(check.get(3)) && Boolean.TRUE.equals(truthy(check.get(4)));
                Set<String> held = state.access().privileges(authid, path);
                if (any) {
                    for (Object p : privs) {
                        if (held.contains(String.valueOf(p))) {
                            return null;
                        }
                    }
                    List<String> names = privs.stream().map(String::valueOf).toList();
                    return path + ", " + String.join("|", names);
                }
                for (Object p : privs) {
                    if (!held.contains(String.valueOf(p))) {
                        return path + ", " + p;
                    }
                }
                return null;
            }
            case "and" -> {
                for (int i = 1; i < check.size(); i++) {
                    String f = evaluate((List<?>) check.get(i), authid, params);
                    if (f != null) {
                        return f;
                    }
                }
                return null;
            }
            case "or" -> {
                String first = null;
                for (int i = 1; i < check.size(); i++) {
                    String f = evaluate((List<?>) check.get(i), authid, params);
                    if (f == null) {
                        return null;
                    }
                    first = first == null ? f : first;
                }
                return first;
            }
            default -> {
                return authid.startsWith("root@pam") ? null : op;
            }
        }
    }

    private static Boolean truthy(Object o) {
        return o instanceof Number n ? n.intValue() != 0 : Boolean.valueOf(String.valueOf(o));
    }

    private static String fill(String template, Map<String, Object> params) {
        Matcher m = TEMPLATE_VAR.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Object v = params.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "" : String.valueOf(v)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** A request for {@code /nodes/{node}/...} reaches that node only if it exists and is online. */
    private void checkNode(Map<String, Object> params) {
        Object node = params.get("node");
        if (node == null) {
            return;
        }
        String name = String.valueOf(node);
        SimNode n = state.node(name).orElseThrow(() -> new ApiException(500, "hostname lookup '" + name
                + "' failed - failed to get address info for: " + name + ": Name or service not known"));
        if (!n.online()) {
            throw new ApiException(595, "No route to host");
        }
    }

    private HttpResponse ok(Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", data);
        return HttpResponse.of(200, "OK", JSON, json(body));
    }

    private HttpResponse error(int status, String message, Map<String, String> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", null);
        body.put("message", message.endsWith("\n") ? message : message + "\n");
        if (!errors.isEmpty()) {
            Map<String, String> e = new LinkedHashMap<>();
            errors.forEach((k, v) -> e.put(k, v.endsWith("\n") ? v : v + "\n"));
            body.put("errors", e);
        }
        return HttpResponse.of(status, message, JSON, json(body));
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
