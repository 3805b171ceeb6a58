package io.pvemcp.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Locale;

import io.pvemcp.security.Admission;
import io.pvemcp.security.Gatekeeper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** What the MCP endpoint and the REST API check and read the same way: the credential and the body. */
final class Requests {

    /**
     * A body larger than the limit is still read and dropped up to this many bytes, so that a client still sending
     * gets the 413 instead of a connection reset; beyond it, the connection is closed. A client that sends
     * {@code Expect: 100-continue} is answered before it sends anything.
     */
    static final long DISCARD_LIMIT = 32L * 1024 * 1024;

    private Requests() {
    }

    /**
     * Admits a request as the gatekeeper decides, after the checks that need the whole request: exactly one
     * {@code Authorization} header (two are ambiguous: 400), and no token in the URL (400).
     *
     * @return the admission or refusal
     */
    static Admission admit(HttpServletRequest req, Gatekeeper gatekeeper) {
        if (Collections.list(req.getHeaders("Authorization")).size() > 1) {
            return new Admission(400, null, "invalid_request", "The request carries more than one Authorization header; "
                    + "send exactly one", null, 0);
        }
        String query = req.getQueryString();
        if (query != null && query.toLowerCase(Locale.ROOT).matches("(^|.*&)access_token=.*")) {
            return new Admission(400, null, "invalid_request", "Tokens are accepted in the Authorization header only, "
                    + "never in the URL", null, 0);
        }
        return gatekeeper.admit(req.getHeader("Authorization"), req.getRemoteAddr(), isLoopback(req.getLocalAddr()));
    }

    static boolean isLoopback(String localAddress) {
        try {
            return localAddress != null && java.net.InetAddress.getByName(localAddress).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The body was larger than allowed. */
    static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super(null, null, false, false);
        }
    }

    /**
     * Reads a request body of at most {@code max} bytes.
     *
     * @return the body
     * @throws TooLarge if it is larger: what the client sent was read and dropped (up to {@link #DISCARD_LIMIT}), or
     *         the response was marked to close the connection
     * @throws IOException if the client went away while sending
     */
    static byte[] body(HttpServletRequest req, HttpServletResponse resp, int max) throws IOException, TooLarge {
        long declared = req.getContentLengthLong();
        if (declared > max) {
            if (declared > DISCARD_LIMIT || expectsContinue(req)) {
                // not read: Jetty sends no 100 Continue then, and closes the connection after the answer
                resp.setHeader("Connection", "close");
            } else {
                drain(req.getInputStream(), DISCARD_LIMIT);
            }
            throw new TooLarge();
        }
        InputStream in = req.getInputStream();
        byte[] raw = in.readNBytes(max + 1);
        if (raw.length > max) {
            if (drain(in, DISCARD_LIMIT - raw.length)) {
                resp.setHeader("Connection", "close");
            }
            throw new TooLarge();
        }
        return raw;
    }

    private static boolean expectsContinue(HttpServletRequest req) {
        String expect = req.getHeader("Expect");
        return expect != null && expect.toLowerCase(Locale.ROOT).contains("100-continue");
    }

    /** @return {@code true} if there was more than {@code limit} bytes left */
    private static boolean drain(InputStream in, long limit) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = limit;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                return false;
            }
            left -= n;
        }
        return in.read() >= 0;
    }

    /** Sets the headers of a refusal: the challenge and the retry time. */
    static void refusalHeaders(HttpServletResponse resp, Admission a) {
        if (a.challenge() != null) {
            resp.setHeader("WWW-Authenticate", a.challenge());
        }
        if (a.retryAfterSeconds() > 0) {
            resp.setHeader("Retry-After", Long.toString(a.retryAfterSeconds()));
        }
    }
}
