package io.pvemcp.http.internal;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Protects a server that listens on loopback against DNS rebinding: a browser page may not call it from
 * another origin, and requests must name this server in their Host header.
 */
final class RequestGuard {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    private final Set<String> allowedOrigins = new HashSet<>();
    private final Set<String> allowedHosts = new HashSet<>();
    private volatile boolean checkHosts = true;

    /**
     * @param origins allowed origins; an entry may hold several, comma-separated (as environment variables and
     *        configuration files give them)
     * @param hosts allowed host names, likewise
     */
    RequestGuard(String[] origins, String[] hosts) {
        for (String o : split(origins)) {
            allowedOrigins.add(o.toLowerCase(Locale.ROOT).replaceAll("/+$", ""));
        }
        for (String h : split(hosts)) {
            allowedHosts.add(h.toLowerCase(Locale.ROOT));
        }
    }

    private static List<String> split(String[] values) {
        List<String> out = new java.util.ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    /**
     * Takes the listen addresses of the HTTP service into account: an address the server listens on is a valid
     * Host; when it listens on all interfaces and no host is configured, Host names cannot be checked.
     *
     * @param endpoints e.g. {@code http://127.0.0.1:8000/}
     */
    void listeningOn(List<String> endpoints) {
        boolean wildcard = false;
        for (String e : endpoints) {
            try {
                String host = URI.create(e).getHost();
                if (host == null) {
                    continue;
                }
                host = host.toLowerCase(Locale.ROOT);
                if (host.equals("0.0.0.0") || host.equals("[::]") || host.equals("::")) {
                    wildcard = true;
                } else {
                    allowedHosts.add(host);
                }
            } catch (IllegalArgumentException ignored) {
                // not a URI: nothing to learn from it
            }
        }
        checkHosts = !(wildcard && allowedHosts.isEmpty());
    }

    /**
     * @param property the {@code osgi.http.endpoint} property of an HTTP service runtime
     * @return its endpoints
     */
    static List<String> endpoints(Object property) {
        List<String> list = new java.util.ArrayList<>();
        if (property instanceof String s) {
            list.add(s);
        } else if (property instanceof String[] a) {
            list.addAll(List.of(a));
        } else if (property instanceof java.util.Collection<?> c) {
            c.forEach(e -> list.add(String.valueOf(e)));
        }
        return list;
    }

    /** @return {@code false} when Host names are not checked (all interfaces, no allowed hosts) */
    boolean checksHosts() {
        return checkHosts;
    }

    /** @return the reason to refuse the request, or {@code null} if it may pass */
    String refusal(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin != null && !origin.isBlank() && !"null".equals(origin) && !originAllowed(origin)) {
            return "Origin " + origin + " is not allowed to use this MCP server";
        }
        if (checkHosts) {
            String host = request.getHeader("Host");
            if (host == null || !hostAllowed(hostName(host))) {
                return "Host " + host + " is not a name of this MCP server (DNS rebinding protection); the operator "
                        + "can allow it with the allowed.hosts setting";
            }
        }
        return null;
    }

    private boolean originAllowed(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        if (allowedOrigins.contains(o) || allowedOrigins.contains("*")) {
            return true;
        }
        try {
            URI uri = URI.create(o);
            String host = uri.getHost();
            return host != null && (LOOPBACK.contains(host) || allowedHosts.contains(host));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private boolean hostAllowed(String host) {
        return LOOPBACK.contains(host) || allowedHosts.contains(host) || allowedHosts.contains("*");
    }

    /** @return the host part of a Host header, lower case, without port (IPv6 literals keep their brackets) */
    static String hostName(String header) {
        String h = header.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 ? h.substring(0, end + 1) : h;
        }
        int colon = h.lastIndexOf(':');
        return colon > 0 ? h.substring(0, colon) : h;
    }
}
