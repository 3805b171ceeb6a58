package io.pvemcp.pve.sim.internal.http;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server over TLS that behaves like Proxmox VE's {@code pveproxy} on the wire: the error
 * message travels in the reason phrase, a connection is closed after an error response, chunked request
 * bodies and bodies on GET/DELETE are refused with 501, request bodies are limited to 64 KiB, and response
 * bodies above 1 KiB are gzipped when the client accepts it.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final int MAX_HEADER_LINES = 64;
    private static final int MAX_HEADER_BYTES = 8 * 1024;
    private static final int MAX_BODY = 64 * 1024;
    private static final int IDLE_TIMEOUT_MS = 30_000;
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "POST", "PUT", "DELETE");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final ServerSocket serverSocket;
    private final HttpHandler handler;
    private final ThreadPoolExecutor workers;
    private final Thread acceptor;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private HttpServer(ServerSocket serverSocket, HttpHandler handler, String name) {
        this.serverSocket = serverSocket;
        this.handler = handler;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(0, 256, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, name + "-accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Binds and starts a server.
     *
     * @param bind the address to listen on
     * @param port the port, or 0 for any free port
     * @param ssl the TLS context
     * @param handler the request handler
     * @param name a name for the server's threads
     * @return the running server
     * @throws IOException if the port cannot be bound
     */
    public static HttpServer start(InetAddress bind, int port, SSLContext ssl, HttpHandler handler, String name)
            throws IOException {
        ServerSocket socket = ssl.getServerSocketFactory().createServerSocket();
        socket.setReuseAddress(true);
        try {
            socket.bind(new InetSocketAddress(bind, port), 128);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot listen on " + bind.getHostAddress() + ":" + port + ": " + e.getMessage(), e);
        }
        HttpServer server = new HttpServer(socket, handler, name);
        server.acceptor.start();
        return server;
    }

    /** @return the port the server listens on */
    public int port() {
        return serverSocket.getLocalPort();
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            LOG.debug("closing the listening socket failed", e);
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("closing a connection failed", e);
            }
        }
        workers.shutdownNow();
        try {
            acceptor.join(2000);
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = serverSocket.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("accepting a connection failed: {}", e.getMessage());
                }
                continue;
            }
            connections.add(s);
            try {
                workers.execute(() -> serve(s));
            } catch (RejectedExecutionException e) {
                connections.remove(s);
                closeQuietly(s);
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(IDLE_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            String remote = socket.getInetAddress().getHostAddress();
            boolean keepAlive = true;
            while (keepAlive && !closed) {
                keepAlive = serveOne(in, out, remote);
            }
        } catch (SocketException e) {
            LOG.debug("connection ended: {}", e.getMessage());
        } catch (IOException e) {
            LOG.debug("connection failed: {}", e.getMessage());
        } finally {
            connections.remove(socket);
        }
    }

    /** @return whether to keep the connection open for another request */
    private boolean serveOne(InputStream in, OutputStream out, String remote) throws IOException {
        String requestLine;
        do {
            requestLine = readLine(in, MAX_HEADER_BYTES);
            if (requestLine == null) {
                return false;
            }
        } while (requestLine.isEmpty());
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            write(out, error(400, "bad request"), "HTTP/1.1", false, false);
            return false;
        }
        String protocol = parts[2];
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int size = 0;
        for (int count = 0;; count++) {
            String line = readLine(in, MAX_HEADER_BYTES);
            if (line == null) {
                return false;
            }
            if (line.isEmpty()) {
                break;
            }
            size += line.length();
            if (count >= MAX_HEADER_LINES || size >= MAX_HEADER_BYTES) {
                write(out, error(400, "http header too large"), protocol, false, false);
                return false;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                write(out, error(506, "unable to parse request header"), protocol, false, false);
                return false;
            }
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        String method = parts[0];
        String connection = first(headers, "connection");
        boolean keepAlive = connection == null ? protocol.equals("HTTP/1.1")
                : !connection.toLowerCase(Locale.ROOT).contains("close");
        String encoding = first(headers, "accept-encoding");
        boolean gzip = encoding != null && encoding.contains("gzip");
        if (!KNOWN_METHODS.contains(method)) {
            write(out, error(501, "method '" + method + "' not available"), protocol, false, false);
            return false;
        }
        String te = first(headers, "transfer-encoding");
        if (te != null) {
            write(out, error(501, te.equalsIgnoreCase("chunked") ? "chunked transfer encoding not supported"
                    : "Unknown transfer encoding '" + te + "'"), protocol, false, false);
            return false;
        }
        byte[] body = new byte[0];
        String length = first(headers, "content-length");
        if (length != null) {
            long len;
            try {
                len = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                write(out, error(400, "bad request"), protocol, false, false);
                return false;
            }
            if (len > 0 && !method.equals("POST") && !method.equals("PUT")) {
                write(out, error(501, "Unexpected content for method '" + method + "'"), protocol, false, false);
                return false;
            }
            if (len > MAX_BODY) {
                write(out, error(501, "for data too large"), protocol, false, false);
                return false;
            }
            body = in.readNBytes((int) len);
            if (body.length != len) {
                return false;
            }
        }
        HttpResponse response;
        try {
            response = handler.handle(new HttpRequest(method, parts[1], headers, body, remote));
        } catch (RuntimeException e) {
            LOG.error("simulator handler failed for {} {}", method, parts[1], e);
            response = error(500, "internal error");
        }
        if (!response.delay().isZero()) {
            try {
                Thread.sleep(response.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        boolean keep = keepAlive && response.status() < 400 && !closed;
        write(out, response, protocol, keep, gzip);
        return keep;
    }

    private static HttpResponse error(int status, String message) {
        return HttpResponse.of(status, message, null, new byte[0]);
    }

    private static void write(OutputStream out, HttpResponse r, String protocol, boolean keepAlive, boolean gzip)
            throws IOException {
        byte[] body = r.body() == null ? new byte[0] : r.body();
        String reason = r.reason() == null || r.reason().isBlank() ? defaultReason(r.status()) : r.reason();
        int nl = reason.indexOf('\n');
        if (nl >= 0) {
            reason = reason.substring(0, nl);
        }
        reason = reason.replace('\r', ' ');
        StringBuilder h = new StringBuilder(256);
        h.append(protocol).append(' ').append(r.status()).append(' ').append(reason).append("\r\n");
        String date = HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
        h.append("Cache-Control: max-age=0\r\n");
        h.append("Connection: ").append(keepAlive ? "Keep-Alive" : "close").append("\r\n");
        h.append("Date: ").append(date).append("\r\n");
        h.append("Pragma: no-cache\r\n");
        h.append("Server: pve-api-daemon/3.0\r\n");
        for (var e : r.headers().entrySet()) {
            h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
        }
        if (gzip && body.length > 1024) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(body.length / 4);
            try (GZIPOutputStream z = new GZIPOutputStream(buf)) {
                z.write(body);
            }
            body = buf.toByteArray();
            h.append("Content-Encoding: gzip\r\n");
        }
        h.append("Content-Length: ").append(body.length).append("\r\n");
        h.append("Expires: ").append(date).append("\r\n");
        h.append("\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static String defaultReason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            default -> "Status " + status;
        };
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Reads a CRLF- or LF-terminated line; {@code null} at end of stream. */
    private static String readLine(InputStream in, int max) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = line.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= max) {
                throw new IOException("request line too long");
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            LOG.debug("closing a rejected connection failed", e);
        }
    }
}
