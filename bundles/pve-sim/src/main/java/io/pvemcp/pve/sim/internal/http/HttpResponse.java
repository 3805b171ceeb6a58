package io.pvemcp.pve.sim.internal.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP response. The reason phrase carries the error message, as pveproxy sends it; only its first line
 * is used.
 *
 * @param status the status code
 * @param reason the reason phrase
 * @param headers extra headers
 * @param body the body
 * @param delay how long to wait before answering (pveproxy delays failed logins by 3 seconds)
 */
public record HttpResponse(int status, String reason, Map<String, String> headers, byte[] body, Duration delay) {

    /**
     * @param status the status
     * @param reason the reason phrase
     * @param contentType the content type
     * @param body the body
     * @return a response without delay
     */
    public static HttpResponse of(int status, String reason, String contentType, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        if (contentType != null) {
            h.put("Content-Type", contentType);
        }
        return new HttpResponse(status, reason, h, body, Duration.ZERO);
    }

    /**
     * @param delay the delay
     * @return this response, delayed
     */
    public HttpResponse delayed(Duration delay) {
        return new HttpResponse(status, reason, headers, body, delay);
    }
}
