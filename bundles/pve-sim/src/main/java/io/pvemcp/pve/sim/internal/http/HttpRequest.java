package io.pvemcp.pve.sim.internal.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed HTTP request.
 *
 * @param method the method, upper case
 * @param target the request target as sent (path and query, still encoded)
 * @param headers the headers, names in lower case
 * @param body the body, empty if none
 * @param remoteAddress the client address
 */
public record HttpRequest(String method, String target, Map<String, List<String>> headers, byte[] body,
        String remoteAddress) {

    /** @return the path part of the target, still encoded */
    public String rawPath() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** @return the query part of the target without {@code ?}, still encoded, or an empty string */
    public String rawQuery() {
        int q = target.indexOf('?');
        return q < 0 ? "" : target.substring(q + 1);
    }

    /**
     * @param name a header name, any case
     * @return the first value, or {@code null}
     */
    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
