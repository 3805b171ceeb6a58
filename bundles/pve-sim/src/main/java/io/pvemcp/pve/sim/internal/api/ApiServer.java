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

import io.pvemcp.pve.contract.ApiContract;
import io.pvemcp.pve.contract.ApiMethod;
import io.pvemcp.pve.sim.internal.http.HttpHandler;
import io.pvemcp.pve.sim.internal.http.HttpRequest;
import io.pvemcp.pve.sim.internal.http.HttpResponse;
import io.pvemcp.pve.sim.internal.state.Access;
import io.pvemcp.pve.sim.internal.state.PveError;
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

    /** Writes a node accepts without quorum: logins and stopping guests and tasks. */
    private static final Set<String> QUORUM_FREE = Set.of("POST /access/ticket",
            "POST /nodes/{node}/qemu/{vmid}/status/stop", "POST /nodes/{node}/lxc/{vmid}/status/stop",
            "POST /nodes/{node}/qemu/{vmid}/status/shutdown", "POST /nodes/{node}/lxc/{vmid}/status/shutdown",
            "DELETE /nodes/{node}/tasks/{upid}");

    private final ObjectMapper mapper = new ObjectMapper();
    private final CompletableFuture<ApiContract> loading;
    private final ControlApi control;
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
        this.control = new ControlApi(state);
        this.handlers = Map.copyOf(handlers);
        this.authFailureDelay = authFailureDelay;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        String rawPath = request.rawPath();
        if (rawPath.startsWith(ControlApi.BASE + "/") || rawPath.equals(ControlApi.BASE)) {
            return control(request);
        }
        if (!rawPath.startsWith("/api2/")) {
            return error(501, "no such file '" + decode(rawPath) + "'", Map.of());
        }
        if (!rawPath.startsWith(BASE + "/") && !rawPath.equals(BASE)) {
            return error(501, "no such uri", Map.of());
        }
        String path = rawPath.length() == BASE.length() ? "/" : rawPath.substring(BASE.length());
        String method = request.method();
        ApiContract contract = loading.join();
        long latency;
        synchronized (state) {
            latency = state.faults().latencyMillis();
        }
        try {
            Map<String, Object> params = parameters(request);
            String authid;
            try {
                authid = authenticate(request, method, templateOf(contract, method, path));
            } catch (Access.AuthException e) {
                return error(401, e.getMessage(), Map.of()).delayed(authFailureDelay);
            }
            var found = contract.find(method, path);
            if (found.isEmpty()) {
                synchronized (state) {
                    state.faults().contractViolation(method + " " + path + ": not in the API contract");
                }
                throw new ApiException(501, "Method '" + method + " " + path + "' not implemented");
            }
            var match = found.get();
            ApiMethod api = match.method();
            for (var e : match.pathParameters().entrySet()) {
                Object given = params.get(e.getKey());
                if (given != null && !String.valueOf(given).equals(e.getValue())) {
                    throw new ApiException(400, "Parameter verification failed.", Map.of(e.getKey(),
                            "duplicate parameter (already defined in URI) with conflicting values!"));
                }
                params.put(e.getKey(), e.getValue());
            }
            params.remove("_dc");
            if (authid != null && authid.contains("!") && !api.allowToken()) {
                throw new ApiException(403, "Permission check failed (URI '" + path
                        + "' not available with API token, need proper ticket.)");
            }
            synchronized (state) {
                checkPermissions(api.permissions(), authid, params);
                checkNode(params);
                latency += nodeLatency(params);
            }
            Map<String, String> errors = api.check(params);
            for (var e : errors.entrySet()) {
                if (e.getValue().startsWith("property is not defined in schema")) {
                    synchronized (state) {
                        state.faults().contractViolation(method + " " + api.path() + ": parameter '" + e.getKey()
                                + "' is not in the API contract");
                    }
                }
            }
            if (!errors.isEmpty()) {
                throw new ApiException(400, "Parameter verification failed.", errors);
            }
            normalizeBooleans(api, params);
            synchronized (state) {
                ApiHandler handler = handlers.get(method + " " + api.path());
                if (handler == null) {
                    throw new ApiException(501, "Method '" + method + " " + path
                            + "' not implemented by the Proxmox VE simulator");
                }
                if (!method.equals("GET") && !state.quorate() && !QUORUM_FREE.contains(method + " " + api.path())) {
                    throw new ApiException(500, "cluster not ready - no quorum?");
                }
                Object data = handler.handle(new ApiCall(api, path, params, authid, state, contract));
                return ok(data).delayed(Duration.ofMillis(latency));
            }
        } catch (PveError e) {
            HttpResponse r = error(e.status(), e.getMessage(), e.errors());
            return e.status() == 401 ? r.delayed(authFailureDelay) : r.delayed(Duration.ofMillis(latency));
        } catch (RuntimeException e) {
            LOG.error("simulated {} {} failed", method, path, e);
            return error(500, "internal error: " + e.getClass().getSimpleName(), Map.of());
        }
    }

    private HttpResponse control(HttpRequest request) {
        try {
            String authid = authenticate(request, request.method(), "control");
            if (!"root@pam".equals(authid) && !(authid != null && authid.startsWith("root@pam!"))) {
                throw new ApiException(403, "Permission check failed (the simulator control API is for root@pam)");
            }
            Object body = request.body().length == 0 ? Map.of() : mapper.readValue(request.body(), Object.class);
            if (!(body instanceof Map<?, ?> map)) {
                throw new ApiException(400, "the body must be a JSON object");
            }
            @SuppressWarnings("unchecked")
            Object data = control.handle(request.method(), request.rawPath(), (Map<String, Object>) map);
            return ok(data);
        } catch (Access.AuthException e) {
            return error(401, e.getMessage(), Map.of()).delayed(authFailureDelay);
        } catch (PveError e) {
            return error(e.status(), e.getMessage(), e.errors());
        } catch (IOException e) {
            return error(400, "the body is not valid JSON", Map.of());
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage(), Map.of());
        }
    }

    /** Booleans as a node stores them: {@code 1} or {@code 0}, whatever spelling the client sent. */
    private static void normalizeBooleans(ApiMethod api, Map<String, Object> params) {
        for (var e : params.entrySet()) {
            var schema = api.parameter(e.getKey());
            if (schema.isPresent() && "boolean".equals(schema.get().get("type"))) {
                Object v = e.getValue() instanceof List<?> l && !l.isEmpty() ? l.get(0) : e.getValue();
                String text = v instanceof Boolean b ? (b ? "1" : "0") : String.valueOf(v);
                e.setValue(switch (text.toLowerCase(Locale.ROOT)) {
                    case "1", "on", "yes", "true" -> "1";
                    default -> "0";
                });
            }
        }
    }

    private long nodeLatency(Map<String, Object> params) {
        Object node = params.get("node");
        return node == null ? 0 : state.node(String.valueOf(node)).map(SimNode::latencyMillis).orElse(0L);
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
        if (authid == null || authid.equals("root@pam")) {
            return;
        }
        if (!(rule instanceof Map<?, ?> perm)) {
            throw new ApiException(403, "Permission check failed (user != root@pam)");
        }
        Object user = perm.get("user");
        if ("world".equals(user) || "all".equals(user)) {
            return;
        }
        if (perm.get("check") instanceof List<?> check) {
            check(check, authid, params, false);
        } else {
            throw new ApiException(403, "Permission check failed (user != root@pam)");
        }
    }

    /** One permission test of the contract, as PVE::RPCEnvironment::exec_api2_perm_check runs it. */
    private boolean check(List<?> check, String authid, Map<String, Object> params, boolean noerr) {
        String op = String.valueOf(check.get(0));
        switch (op) {
            case "and" -> {
                for (int i = 1; i < check.size(); i++) {
                    check((List<?>) check.get(i), authid, params, false);
                }
                return true;
            }
            case "or" -> {
                for (int i = 1; i < check.size(); i++) {
                    if (check((List<?>) check.get(i), authid, params, true)) {
                        return true;
                    }
                }
                return deny(noerr, null);
            }
            case "perm" -> {
                Map<String, Object> options = options(check, 3);
                Object required = options.get("require_param");
                if (required != null && params.get(String.valueOf(required)) == null) {
                    return deny(noerr, null);
                }
                String path = normalize(fill(String.valueOf(check.get(1)), params));
                List<String> privs = ((List<?>) check.get(2)).stream().map(String::valueOf).toList();
                Set<String> held = state.access().privileges(authid, path);
                if (Boolean.TRUE.equals(truthy(options.get("any")))) {
                    for (String p : privs) {
                        if (held.contains(p)) {
                            return true;
                        }
                    }
                    return deny(noerr, path + ", " + String.join("|", privs));
                }
                for (String p : privs) {
                    if (!held.contains(p)) {
                        return deny(noerr, path + ", " + p);
                    }
                }
                return true;
            }
            case "userid-param" -> {
                String userid = String.valueOf(params.get("userid"));
                String sub = String.valueOf(check.get(1));
                if (sub.equals("self")) {
                    if (!state.access().users().containsKey(userid)) {
                        if (noerr) {
                            return false;
                        }
                        throw new ApiException(500, "no such user ('" + userid + "')");
                    }
                    return authid.equals(userid) || deny(noerr, null);
                }
                String realm = userid.substring(userid.lastIndexOf('@') + 1);
                String path = "/access/realm/" + realm;
                return state.access().privileges(authid, path).contains("Realm.AllocateUser")
                        || deny(noerr, path + ", Realm.AllocateUser");
            }
            case "userid-group" -> {
                return useridGroup(check, authid, params, noerr);
            }
            case "perm-modify" -> {
                String path = normalize(fill(String.valueOf(check.get(1)), params));
                List<String> privs = new ArrayList<>(List.of("Permissions.Modify"));
                if (path.startsWith("/storage/")) {
                    privs.add("Datastore.Allocate");
                } else if (path.startsWith("/vms/")) {
                    privs.add("VM.Allocate");
                } else if (path.startsWith("/pool/")) {
                    privs.add("Pool.Allocate");
                }
                Set<String> held = state.access().privileges(authid, path);
                for (String p : privs) {
                    if (held.contains(p)) {
                        return true;
                    }
                }
                return deny(noerr, path + ", " + String.join("|", privs));
            }
            default -> {
                return deny(noerr, null);
            }
        }
    }

    private boolean useridGroup(List<?> check, String authid, Map<String, Object> params, boolean noerr) {
        String userid = String.valueOf(params.get("userid"));
        List<String> privs = ((List<?>) check.get(1)).stream().map(String::valueOf).toList();
        Map<String, Object> options = options(check, 2);
        Object groupsParam = options.get("groups_param");
        boolean existing = !"create".equals(groupsParam);
        if (existing && !state.access().users().containsKey(userid)) {
            if (noerr) {
                return false;
            }
            throw new ApiException(500, "no such user ('" + userid + "')");
        }
        if (anyOf(authid, "/access/groups", privs)) {
            return true;
        }
        Set<String> allowed = new java.util.LinkedHashSet<>();
        for (String g : state.access().groupIds()) {
            if (anyOf(authid, "/access/groups/" + g, privs)) {
                allowed.add(g);
            }
        }
        if (groupsParam != null) {
            Object raw = params.get("groups");
            List<String> wanted = raw == null ? List.of() : List.of(String.valueOf(raw).split("[,;\\s]+"));
            if (wanted.isEmpty() || wanted.get(0).isEmpty()) {
                throw new ApiException(403, "Permission check failed (/access/groups, " + String.join("|", privs) + ")");
            }
            for (String g : wanted) {
                if (!allowed.contains(g)) {
                    throw new ApiException(403, "Permission check failed (/access/groups/" + g + ", "
                            + String.join("|", privs) + ")");
                }
            }
        }
        if (existing) {
            for (String g : allowed) {
                if (state.access().groupMembers(g).contains(userid)) {
                    return true;
                }
            }
            return deny(noerr, null);
        }
        return true;
    }

    private boolean anyOf(String authid, String path, List<String> privs) {
        Set<String> held = state.access().privileges(authid, path);
        for (String p : privs) {
            if (held.contains(p)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> options(List<?> check, int from) {
        Map<String, Object> options = new LinkedHashMap<>();
        for (int i = from; i + 1 < check.size(); i += 2) {
            options.put(String.valueOf(check.get(i)), check.get(i + 1));
        }
        return options;
    }

    private static boolean deny(boolean noerr, String what) {
        if (noerr) {
            return false;
        }
        throw new ApiException(403, "Permission check failed" + (what == null ? "" : " (" + what + ")"));
    }

    private static String normalize(String path) {
        String p = path.replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
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
        if (data instanceof Answer a) {
            body.put("data", a.data());
            body.putAll(a.attributes());
        } else {
            body.put("data", data);
        }
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
