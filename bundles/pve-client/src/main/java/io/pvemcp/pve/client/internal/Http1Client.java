package io.pvemcp.pve.client.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP/1.1 over TLS to one Proxmox VE node, on the calling thread, with connections kept alive between requests.
 * <p>
 * A request costs a write and the reads of its answer, nothing else: no selector thread, no hand-over between
 * threads, no reactive body pipeline (what {@code java.net.http} does for every request cost about a millisecond of
 * CPU and a new thread per answer on a two-core machine; docs/performance.md). Proxmox VE speaks plain HTTP/1.1:
 * answers with a {@code Content-Length}, chunked ones, or ones that end with the connection are all read.
 * <p>
 * An idle connection that the node has closed is noticed before use where the node said so (its TLS close alert is
 * waiting), otherwise by a failed read of a GET, which is then sent once more on a new connection; requests that
 * change something take only connections idle for less than {@link #WRITE_IDLE_NANOS}, and are never sent twice (nor
 * on a connection opened ahead, {@link #openAhead()}, whose state only a GET finds out).
 * Host names are verified as {@code https} does, by the trust managers of the {@link SSLSocketFactory}.
 * <p>
 * Sockets block without a timeout of their own (a socket with one reads through a poll: two more system calls per
 * answer); a watchdog closes the socket of an exchange or a connection attempt that overran its time, which ends it
 * with a {@link Timeout}, a fifth of a second late at most.
 */
final class Http1Client implements AutoCloseable {

    /** Connections idle for longer are closed rather than used. */
    static final long IDLE_NANOS = 15_000_000_000L;
    /** A request that changes something takes only a connection idle for less than this. */
    static final long WRITE_IDLE_NANOS = 2_000_000_000L;
    private static final int MAX_IDLE = 16;
    /** Answers larger than this are refused: a Proxmox answer is a few MiB even for thousands of guests. */
    static final int MAX_BODY = 256 * 1024 * 1024;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final long WATCHDOG_MILLIS = 200;

    /** A timeout: while connecting, or while waiting for the answer. */
    static final class Timeout extends IOException {
        private static final long serialVersionUID = 1L;
        final boolean connecting;

        Timeout(boolean connecting, String message) {
            super(message);
            this.connecting = connecting;
        }
    }

    /** An answer: its status and body (the whole array, {@code length} bytes of it). */
    record Response(int status, byte[] body, int length) {
    }

    private final String host;
    private final int port;
    private final String hostHeader;
    private final int connectTimeoutMs;
    private final long requestTimeoutNanos;
    private final SSLSocketFactory tls;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private boolean closed;
    /** Connections being opened ahead ({@link #openAhead()}), and the requests waiting for one; guarded by idle. */
    private int openingAhead;
    private int waiting;
    /** Sockets in use, by their deadline ({@link System#nanoTime}). */
    private final java.util.concurrent.ConcurrentHashMap<Socket, Long> deadlines =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Sockets the watchdog closed. */
    private final java.util.Set<Socket> overran = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private Thread watchdog;

    Http1Client(String host, int port, SSLSocketFactory tls, int connectTimeoutMs, long requestTimeoutNanos) {
        this.host = host;
        this.port = port;
        this.hostHeader = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        this.tls = tls;
        this.connectTimeoutMs = connectTimeoutMs;
        this.requestTimeoutNanos = requestTimeoutNanos;
    }

    /**
     * Sends one request and reads its answer.
     *
     * @param method GET, POST, PUT or DELETE
     * @param target the path with its query, e.g. {@code /api2/json/nodes?x=1}
     * @param headers further header lines, each {@code "Name: value"}
     * @param body the body, or {@code null}
     * @return the answer
     * @throws IOException if the exchange fails; {@link Timeout} if it takes too long
     */
    Response exchange(String method, String target, String[] headers, byte[] body) throws IOException {
        byte[] request = request(method, target, headers, body);
        long deadline = System.nanoTime() + requestTimeoutNanos;
        boolean idempotent = method.equals("GET");
        for (int attempt = 0;; attempt++) {
            Connection c = take(idempotent);
            if (c == null && idempotent && attempt == 0 && awaitAhead(deadline)) {
                c = take(true);
            }
            boolean reused = c != null;
            if (c == null) {
                c = open();
            }
            watch(c.raw, deadline);
            try {
                c.out.write(request);
                c.out.flush();
                Response r = c.read(method, deadline);
                if (!unwatch(c.raw)) {
                    throw new Timeout(false, "no answer in time");
                }
                if (c.reusable) {
                    give(c);
                } else {
                    c.close();
                }
                return r;
            } catch (IOException | RuntimeException e) {
                c.close();
                if (!unwatch(c.raw)) {
                    throw new Timeout(false, "no answer in time");
                }
                // a kept-alive connection the node closed meanwhile: nothing of the answer arrived, the node did not
                // take the request; a GET goes once more, on a new connection
                if (reused && idempotent && attempt == 0 && c.received == 0 && !(e instanceof Timeout)) {
                    continue;
                }
                throw e;
            }
        }
    }

    private byte[] request(String method, String target, String[] headers, byte[] body) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        if (body != null) {
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (body == null || body.length == 0) {
            return head;
        }
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** Puts a socket under the watchdog until {@link #unwatch}. */
    private void watch(Socket socket, long deadline) {
        deadlines.put(socket, deadline);
        synchronized (idle) {
            if (watchdog == null && !closed) {
                watchdog = new Thread(this::watchdog, "pvemcp-proxmox-watchdog");
                watchdog.setDaemon(true);
                watchdog.start();
            }
        }
    }

    /** @return {@code false} if the watchdog closed the socket because its time was up */
    private boolean unwatch(Socket socket) {
        deadlines.remove(socket);
        return !overran.remove(socket);
    }

    private void watchdog() {
        while (true) {
            synchronized (idle) {
                if (closed) {
                    watchdog = null;
                    return;
                }
            }
            long now = System.nanoTime();
            for (var e : deadlines.entrySet()) {
                if (now - e.getValue() > 0 && deadlines.remove(e.getKey(), e.getValue())) {
                    overran.add(e.getKey());
                    try {
                        e.getKey().close();
                    } catch (IOException ignored) {
                        // closing is all there is to do
                    }
                }
            }
            try {
                Thread.sleep(WATCHDOG_MILLIS);
            } catch (InterruptedException ie) {
                return;
            }
        }
    }

    /**
     * @param idempotent a GET, which may take a connection opened ahead: the TLS messages that follow a handshake (the
     *        session tickets) wait unread on such a connection, so a close alert cannot be told from them, and a GET
     *        that finds it closed is sent once more
     */
    private Connection take(boolean idempotent) {
        long maxIdleNanos = idempotent ? IDLE_NANOS : WRITE_IDLE_NANOS;
        long now = System.nanoTime();
        synchronized (idle) {
            for (Iterator<Connection> it = idle.iterator(); it.hasNext();) {
                Connection c = it.next();
                if (now - c.idleSince > IDLE_NANOS) {
                    it.remove();
                    c.close();
                }
            }
            // most recently used first: the likeliest to be open still
            for (Iterator<Connection> it = idle.descendingIterator(); it.hasNext();) {
                Connection c = it.next();
                if (now - c.idleSince <= maxIdleNanos && (idempotent || !c.ahead)) {
                    it.remove();
                    if (!c.ahead && c.closedByPeer()) {
                        c.close();
                        continue;
                    }
                    c.ahead = false;
                    return c;
                }
            }
        }
        return null;
    }

    private void give(Connection c) {
        c.idleSince = System.nanoTime();
        synchronized (idle) {
            if (!closed && idle.size() < MAX_IDLE) {
                idle.addLast(c);
                if (waiting > 0) {
                    idle.notifyAll();
                }
                return;
            }
        }
        c.close();
    }

    /**
     * Opens a connection for the requests to come and keeps it; a request that finds no idle connection meanwhile
     * waits for this one rather than opening (and paying the handshake for) another.
     *
     * @throws IOException if the connection cannot be opened
     */
    void openAhead() throws IOException {
        synchronized (idle) {
            if (closed) {
                return;
            }
            openingAhead++;
        }
        Connection c = null;
        try {
            c = open();
        } finally {
            synchronized (idle) {
                openingAhead--;
                if (c != null && !closed && idle.size() < MAX_IDLE) {
                    c.ahead = true;
                    c.idleSince = System.nanoTime();
                    idle.addLast(c);
                    c = null;
                }
                if (waiting > 0) {
                    idle.notifyAll();
                }
            }
            if (c != null) {
                c.close();
            }
        }
    }

    /** @return whether a connection opened ahead came while this request waited for it (until its deadline) */
    private boolean awaitAhead(long deadline) {
        synchronized (idle) {
            if (openingAhead == 0) {
                return false;
            }
            waiting++;
            try {
                while (openingAhead > 0 && idle.isEmpty()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    idle.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                waiting--;
            }
            return !idle.isEmpty();
        }
    }

    private Connection open() throws IOException {
        Socket raw = new Socket();
        long deadline = System.nanoTime() + connectTimeoutMs * 1_000_000L;
        watch(raw, deadline);
        try {
            raw.setTcpNoDelay(true);
            raw.setKeepAlive(true);
            raw.connect(new InetSocketAddress(host, port));
            SSLSocket s = (SSLSocket) tls.createSocket(raw, host, port, true);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.startHandshake();
            if (!unwatch(raw)) {
                s.close();
                throw new Timeout(true, "connecting timed out");
            }
            return new Connection(raw, s);
        } catch (IOException | RuntimeException e) {
            try {
                raw.close();
            } catch (IOException ignored) {
                // closing a socket that failed
            }
            if (!unwatch(raw)) {
                throw new Timeout(true, "connecting timed out");
            }
            throw e;
        }
    }

    /** Closes the idle connections; requests under way finish, then close theirs. */
    @Override
    public void close() {
        synchronized (idle) {
            closed = true;
            idle.forEach(Connection::close);
            idle.clear();
            if (watchdog != null) {
                watchdog.interrupt();
            }
        }
    }

    /** @return whether an idle connection is open that a GET would take (not idle for longer than it is kept) */
    boolean hasUsableConnection() {
        long now = System.nanoTime();
        synchronized (idle) {
            for (Connection c : idle) {
                if (now - c.idleSince <= IDLE_NANOS) {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return the number of idle connections (tests) */
    int idleConnections() {
        synchronized (idle) {
            return idle.size();
        }
    }

    /** One TLS connection, used by one request at a time. */
    private static final class Connection {
        final Socket raw;
        final SSLSocket socket;
        final InputStream in;
        final OutputStream out;
        final byte[] buf = new byte[16 * 1024];
        int pos;
        int lim;
        long idleSince;
        /** Opened ahead, not used yet. */
        boolean ahead;
        boolean reusable;
        long received;

        Connection(Socket raw, SSLSocket socket) throws IOException {
            this.raw = raw;
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** @return whether the node sent something on an idle connection: its close alert */
        boolean closedByPeer() {
            try {
                return pos < lim || raw.getInputStream().available() > 0 || socket.isClosed();
            } catch (IOException e) {
                return true;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing to do about it
            }
        }

        private boolean fill(long deadline) throws IOException {
            if (System.nanoTime() - deadline > 0) {
                throw new Timeout(false, "no answer in time");
            }
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                return false;
            }
            received += n;
            pos = 0;
            lim = n;
            return true;
        }

        /** Reads a header line (without CR LF) as ISO-8859-1. */
        private String line(long deadline, int[] budget) throws IOException {
            StringBuilder sb = new StringBuilder(64);
            for (;;) {
                if (pos == lim && !fill(deadline)) {
                    throw new EOFException("the connection ended in the middle of the answer's head");
                }
                while (pos < lim) {
                    byte b = buf[pos++];
                    if (--budget[0] < 0) {
                        throw new IOException("the answer's head is longer than " + MAX_HEADER_BYTES + " bytes");
                    }
                    if (b == '\n') {
                        int len = sb.length();
                        if (len > 0 && sb.charAt(len - 1) == '\r') {
                            sb.setLength(len - 1);
                        }
                        return sb.toString();
                    }
                    sb.append((char) (b & 0xff));
                }
            }
        }

        Response read(String method, long deadline) throws IOException {
            received = 0;
            int[] budget = {MAX_HEADER_BYTES};
            for (;;) {
                String status = line(deadline, budget);
                if (!status.startsWith("HTTP/1.")) {
                    throw new IOException("the answer is not HTTP/1.x: " + printable(status));
                }
                int code = statusCode(status);
                long length = -1;
                boolean chunked = false;
                boolean close = status.startsWith("HTTP/1.0");
                for (String h = line(deadline, budget); !h.isEmpty(); h = line(deadline, budget)) {
                    int colon = h.indexOf(':');
                    if (colon <= 0) {
                        continue;
                    }
                    String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = h.substring(colon + 1).trim();
                    switch (name) {
                        case "content-length" -> {
                            try {
                                length = Long.parseLong(value);
                            } catch (NumberFormatException e) {
                                throw new IOException("invalid Content-Length: " + printable(value));
                            }
                        }
                        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                        case "connection" -> {
                            String v = value.toLowerCase(Locale.ROOT);
                            if (v.contains("close")) {
                                close = true;
                            } else if (v.contains("keep-alive")) {
                                close = false;
                            }
                        }
                        default -> {
                            // other headers are not needed
                        }
                    }
                }
                if (code >= 100 && code < 200) {
                    continue; // an interim answer: the final one follows
                }
                if (method.equals("HEAD") || code == 204 || code == 304) {
                    reusable = !close;
                    return new Response(code, new byte[0], 0);
                }
                Response r;
                if (chunked) {
                    r = chunked(code, deadline, budget);
                } else if (length >= 0) {
                    r = fixed(code, length, deadline);
                } else {
                    r = untilEnd(code, deadline);
                    close = true;
                }
                reusable = !close;
                return r;
            }
        }

        private static int statusCode(String statusLine) throws IOException {
            int sp = statusLine.indexOf(' ');
            if (sp < 0 || statusLine.length() < sp + 4) {
                throw new IOException("invalid status line: " + printable(statusLine));
            }
            try {
                return Integer.parseInt(statusLine.substring(sp + 1, sp + 4));
            } catch (NumberFormatException e) {
                throw new IOException("invalid status line: " + printable(statusLine));
            }
        }

        private Response fixed(int code, long length, long deadline) throws IOException {
            if (length > MAX_BODY) {
                throw new IOException("the answer is too large (" + length + " bytes)");
            }
            byte[] body = new byte[(int) length];
            int have = Math.min(lim - pos, body.length);
            System.arraycopy(buf, pos, body, 0, have);
            pos += have;
            while (have < body.length) {
                if (System.nanoTime() - deadline > 0) {
                    throw new Timeout(false, "no answer in time");
                }
                int n = in.read(body, have, body.length - have);
                if (n < 0) {
                    throw new EOFException("the connection ended after " + have + " of " + length + " bytes");
                }
                received += n;
                have += n;
            }
            return new Response(code, body, body.length);
        }

        private Response chunked(int code, long deadline, int[] budget) throws IOException {
            byte[] body = new byte[8192];
            int len = 0;
            for (;;) {
                budget[0] = MAX_HEADER_BYTES;
                String sizeLine = line(deadline, budget);
                int semi = sizeLine.indexOf(';');
                long size;
                try {
                    size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("invalid chunk size: " + printable(sizeLine));
                }
                if (size == 0) {
                    while (!line(deadline, budget).isEmpty()) {
                        // trailers are not needed
                    }
                    return new Response(code, body, len);
                }
                if (size < 0 || len + size > MAX_BODY) {
                    throw new IOException("the answer is too large");
                }
                if (len + size > body.length) {
                    body = Arrays.copyOf(body, (int) Math.min(MAX_BODY, Math.max(len + size, body.length * 2L)));
                }
                int need = (int) size;
                while (need > 0) {
                    if (pos == lim && !fill(deadline)) {
                        throw new EOFException("the connection ended in the middle of a chunk");
                    }
                    int n = Math.min(need, lim - pos);
                    System.arraycopy(buf, pos, body, len, n);
                    pos += n;
                    len += n;
                    need -= n;
                }
                if (!line(deadline, budget).isEmpty()) {
                    throw new IOException("a chunk does not end with CR LF");
                }
            }
        }

        private Response untilEnd(int code, long deadline) throws IOException {
            byte[] body = new byte[8192];
            int len = 0;
            for (;;) {
                if (pos == lim && !fill(deadline)) {
                    return new Response(code, body, len);
                }
                int n = lim - pos;
                if (len + n > MAX_BODY) {
                    throw new IOException("the answer is too large");
                }
                if (len + n > body.length) {
                    body = Arrays.copyOf(body, Math.max(len + n, body.length * 2));
                }
                System.arraycopy(buf, pos, body, len, n);
                pos = lim;
                len += n;
            }
        }

        private static String printable(String s) {
            String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
            return cut.replaceAll("\\p{Cntrl}", "?");
        }
    }
}
