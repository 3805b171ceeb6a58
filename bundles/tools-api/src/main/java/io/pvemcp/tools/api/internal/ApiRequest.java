package io.pvemcp.tools.api.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.ToolException;
import io.pvemcp.pve.contract.ApiContract;
import io.pvemcp.pve.contract.ApiMethod;

/**
 * A {@code proxmox_api} call checked against the contract, as a node would check it: the path and method exist, the
 * parameters (path parameters included) are valid. What is wrong is said in the contract's words, before Proxmox is
 * asked.
 *
 * @param method the contract's method
 * @param path the concrete path as given (below {@code /api2/json})
 * @param pathParameters the values of the path's variables
 * @param params every parameter, path parameters included, as the client sends them
 */
record ApiRequest(ApiMethod method, String path, Map<String, String> pathParameters, Map<String, Object> params) {

    static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE");
    private static final String PREFIX = "/api2/json";
    /** What a Proxmox VE node's HTTP server takes: a request line of some 8 KiB, a form of 64 KiB. */
    static final int MAX_QUERY = 7_000;
    static final int MAX_FORM = 60_000;
    private static final Pattern STOP = Pattern.compile(".*/status/(stop|reset)|.*/snapshot/\\{snapname}/rollback");
    private static final Pattern POWER = Pattern.compile(".*/status/(start|shutdown|reboot|suspend|resume)");
    private static final Pattern INTERRUPTS = Pattern.compile(".*/status/(stop|reset|shutdown|reboot|suspend)"
            + "|.*/snapshot/\\{snapname}/rollback");

    /**
     * @param contract the contract
     * @param arguments {@code method}, {@code path} and {@code params} of the call
     * @return the checked request
     * @throws ToolException saying what to fix
     */
    static ApiRequest check(ApiContract contract, Arguments arguments) {
        String method = arguments.string("method").toUpperCase(java.util.Locale.ROOT);
        String path = normalise(arguments.string("path"));
        var match = contract.find(method, path);
        if (match.isEmpty()) {
            List<String> others = new ArrayList<>();
            for (String m : METHODS) {
                if (contract.find(m, path).isPresent()) {
                    others.add(m);
                }
            }
            if (!others.isEmpty()) {
                throw ToolException.invalidArgument("method", "the Proxmox VE " + contract.version() + " API has no "
                        + method + " on " + path + "; it has " + String.join(", ", others));
            }
            throw ToolException.invalidArgument("path", "the Proxmox VE " + contract.version() + " API has no path "
                    + path + "; proxmox_api_describe with a shorter path lists the paths there are");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        Map<String, Object> given = arguments.object("params").orElse(Map.of());
        for (var e : given.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map<?, ?> || v instanceof List<?> l && l.stream().anyMatch(x -> x instanceof Map<?, ?>
                    || x instanceof List<?>)) {
                throw ToolException.invalidArgument("params", e.getKey() + " must be a string, number, boolean or a "
                        + "list of those (Proxmox takes form parameters, not objects)");
            }
            if (v != null) {
                params.put(e.getKey(), v);
            }
        }
        Map<String, String> pathParameters = match.get().pathParameters();
        for (var e : pathParameters.entrySet()) {
            Object v = params.get(e.getKey());
            if (v != null && !String.valueOf(v).equals(e.getValue())) {
                throw ToolException.invalidArgument("params", e.getKey() + " is " + v + " in params but " + e.getValue()
                        + " in the path; leave it out of params");
            }
            params.put(e.getKey(), e.getValue());
        }
        ApiMethod api = match.get().method();
        long size = path.length();
        for (var e : params.entrySet()) {
            for (Object v : e.getValue() instanceof List<?> l ? l : List.of(e.getValue())) {
                size += e.getKey().length() + 2 + java.net.URLEncoder.encode(String.valueOf(v),
                        java.nio.charset.StandardCharsets.UTF_8).length();
            }
        }
        boolean query = "GET".equals(method) || "DELETE".equals(method);
        if (size > (query ? MAX_QUERY : MAX_FORM)) {
            throw ToolException.invalidArgument("params", "the request would be " + size + " characters long; a "
                    + (query ? "GET or DELETE carries its parameters in the address, which takes at most " + MAX_QUERY
                    : "form takes at most " + MAX_FORM) + " here");
        }
        Map<String, String> errors = api.check(params);
        if (!errors.isEmpty()) {
            StringBuilder sb = new StringBuilder("Parameter verification failed for " + method + " "
                    + api.path() + " (the API contract's own words):");
            errors.forEach((k, v) -> sb.append("\n- ").append(k).append(": ").append(v));
            sb.append("\nNothing was sent to Proxmox. Fix the parameters; proxmox_api_describe with this path lists "
                    + "them.");
            throw new ToolException(sb.toString());
        }
        return new ApiRequest(api, path, pathParameters, params);
    }

    /** @return the path below {@code /api2/json}, with one leading and no trailing slash */
    static String normalise(String path) {
        String p = path.strip();
        if (p.contains("?")) {
            throw ToolException.invalidArgument("path", "put the query parameters into params, not into the path");
        }
        if (p.startsWith(PREFIX)) {
            p = p.substring(PREFIX.length());
        }
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /**
     * The risk class of a method: a read for GET; stopping, resetting or rolling back a guest, and any DELETE, destroy;
     * starting, shutting down, rebooting, suspending or resuming one, power; any other write, change.
     *
     * @param httpMethod the HTTP method
     * @param template the path template
     * @return its risk class
     */
    static Risk risk(String httpMethod, String template) {
        if ("GET".equals(httpMethod)) {
            return Risk.READ;
        }
        if ("DELETE".equals(httpMethod) || STOP.matcher(template).matches()) {
            return Risk.DESTROY;
        }
        return POWER.matcher(template).matches() ? Risk.POWER : Risk.CHANGE;
    }

    /** @return the scope a caller needs for a call of this risk class, or {@code null} for a read */
    static String scope(Risk risk) {
        return switch (risk) {
            case READ -> null;
            case POWER -> Scopes.POWER;
            case CHANGE -> Scopes.WRITE;
            case DESTROY -> Scopes.DESTROY;
        };
    }

    Risk risk() {
        return risk(method.httpMethod(), method.path());
    }

    /** @return whether the call stops, restarts or rolls back a guest */
    boolean interrupts() {
        return INTERRUPTS.matcher(method.path()).matches() || "DELETE".equals(method.httpMethod())
                && method.path().matches("/nodes/\\{node}/(qemu|lxc)/\\{vmid}");
    }

    /** @return the parameters besides the path's */
    Map<String, Object> bodyParameters() {
        Map<String, Object> out = new LinkedHashMap<>(params);
        pathParameters.keySet().forEach(out::remove);
        return out;
    }

    /** @return the permission rule in words */
    String permission() {
        return Permissions.describe(method.permissions(), pathParameters);
    }
}
