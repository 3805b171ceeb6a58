package io.pvemcp.pve.client.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;


import io.pvemcp.api.pve.ConnectionInfo;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.api.pve.TaskResult;
import io.pvemcp.api.pve.ProxmoxException.Kind;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Proxmox VE client for one set of {@link Settings}. Immutable apart from its ticket and its connections;
 * thread-safe. A request is made on the calling thread ({@link Http1Client}): the future it returns is complete.
 */
final class PveClient implements ProxmoxClient, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PveClient.class);
    private static final JsonReader READER = new JsonReader(new com.fasterxml.jackson.core.JsonFactory());
    private static final Pattern PATH_VAR = Pattern.compile("\\{([^}/]+)}");
    private static final Pattern PERMISSION = Pattern.compile("Permission check failed \\(([^,]+), ([^)]+)\\)");
    /** Renew a ticket well before its two hours are up. */
    static final Duration TICKET_RENEWAL_AGE = Duration.ofMinutes(90);
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE");

    private final Settings settings;
    private Http1Client http;
    private final AtomicReference<X509Certificate> presented = new AtomicReference<>();
    private final Object loginLock = new Object();
    private final Clock clock;
    private volatile Ticket ticket;
    private CompletableFuture<Ticket> login;

    /** Time source, replaceable in tests of ticket renewal. */
    interface Clock {
        long millis();
    }

    record Ticket(String value, String csrf, long issuedAt) {
    }

    /** Marks a request sent with the API token. */
    private static final Ticket TOKEN = new Ticket("token", "", 0);
    /** Marks a request sent without credentials (the login itself). */
    private static final Ticket NO_AUTH = new Ticket("none", "", 0);

    PveClient(Settings settings) {
        this(settings, System::currentTimeMillis);
    }

    PveClient(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        if (settings.tlsMode().equals("insecure") && settings.configured()) {
            LOG.warn("TLS verification is switched off for Proxmox VE at {}: anyone on the network path can "
                    + "impersonate it. Prefer a CA file or a pinned fingerprint.", settings.host());
        }
    }

    /**
     * The HTTP client, built on first use: a CA file may appear only after this client was configured (the
     * demo's simulator writes its CA when it starts). A failure is reported and retried on the next request.
     */
    private synchronized Http1Client http() {
        if (http == null) {
            try {
                http = new Http1Client(settings.host(), settings.port(),
                        Tls.context(settings, presented).getSocketFactory(),
                        (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()),
                        settings.requestTimeout().toNanos());
            } catch (GeneralSecurityException e) {
                throw new ProxmoxException(Kind.TLS, 0, "Cannot set up TLS for Proxmox VE at " + settings.host() + ": "
                        + e.getMessage() + ". Check the CA file setting (PROXMOX_CA_FILE).", null, Map.of(), null,
                        null, e);
            }
        }
        return http;
    }

    /**
     * Gets ready for the requests to come without making one: with a password it logs in (which opens a connection),
     * with a token it opens a connection that the next request takes (a request that comes meanwhile waits for it).
     *
     * @throws IOException if the connection cannot be opened
     */
    void connectAhead() throws IOException {
        if (settings.usesToken()) {
            http().openAhead();
        } else {
            ticket(false).join();
        }
    }

    /** @return whether a kept-alive connection is open, so that the next request need not open one */
    synchronized boolean connected() {
        return http != null && http.hasUsableConnection();
    }

    /** Closes the kept-alive connections (the configuration changed, or the service stops). */
    @Override
    public synchronized void close() {
        if (http != null) {
            http.close();
        }
    }

    @Override
    public CompletableFuture<TaskResult> awaitTask(String upid, java.time.Duration timeout,
            java.util.function.Consumer<TaskResult> progress) {
        return TaskWaiter.await(this, upid, timeout, progress);
    }

    @Override
    public ConnectionInfo connection() {
        return new ConnectionInfo(settings.configured(), settings.configured() ? settings.baseUrl() : null,
                settings.configured() ? settings.host() : null, settings.port(), settings.authMethod(),
                settings.principal(), settings.tlsMode());
    }

    @Override
    public CompletableFuture<Object> request(String method, String path, Map<String, ?> params) {
        return exchange(method, path, params, false);
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<Map<String, Object>> answer(String method, String path, Map<String, ?> params) {
        return exchange(method, path, params, true).thenApply(body -> (Map<String, Object>) body);
    }

    /** @param whole answer the whole body rather than its {@code data} */
    private CompletableFuture<Object> exchange(String method, String path, Map<String, ?> params, boolean whole) {
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("HTTP method must be GET, POST, PUT or DELETE: " + method);
        }
        if (!settings.configured() || settings.authMethod().equals("none")) {
            return CompletableFuture.failedFuture(notConfigured(method, path));
        }
        Map<String, Object> rest = new LinkedHashMap<>();
        String filled;
        try {
            filled = fill(path, params, rest);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new ProxmoxException(Kind.INVALID_PARAMETERS, 0,
                    e.getMessage(), null, Map.of(), method, path, null));
        }
        String form = encode(rest);
        return attempt(method, filled, form, 0, false, whole);
    }

    private CompletableFuture<Object> attempt(String method, String path, String form, int attempt, boolean relogged,
            boolean whole) {
        boolean again = relogged;
        for (int n = attempt;; n++) {
            Ticket t = null;
            try {
                t = settings.usesToken() ? TOKEN : ticket(false).join();
                return CompletableFuture.completedFuture(send(method, path, form, t, whole));
            } catch (ProxmoxException | CompletionException e) {
                Throwable cause = unwrap(e);
                if (!(cause instanceof ProxmoxException pe)) {
                    return CompletableFuture.failedFuture(cause);
                }
                if (pe.kind() == Kind.AUTHENTICATION && t != null && !settings.usesToken() && !again) {
                    synchronized (loginLock) {
                        if (ticket == t) {
                            ticket = null;
                        }
                    }
                    again = true;
                    n--;
                    continue;
                }
                if (!method.equals("GET") || n >= settings.retries() || !retryable(pe)) {
                    return CompletableFuture.failedFuture(pe);
                }
                long delay = 200L << n;
                LOG.debug("retrying GET {} in {} ms after: {}", path, delay, pe.getMessage());
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return CompletableFuture.failedFuture(pe);
                }
            }
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static boolean retryable(ProxmoxException e) {
        return e.kind() == Kind.CONNECTION || e.kind() == Kind.TIMEOUT
                || e.kind() == Kind.SERVER && (e.status() == 502 || e.status() == 503);
    }

    /**
     * Sends one request on the calling thread and returns its {@code data} (or, if {@code whole}, the answer's whole
     * body), or throws a {@link ProxmoxException}.
     */
    private Object send(String method, String path, String form, Ticket t, boolean whole) {
        boolean body = method.equals("POST") || method.equals("PUT");
        String target = settings.basePath() + path + (!body && !form.isEmpty() ? "?" + form : "");
        List<String> headers = new ArrayList<>(4);
        headers.add("Accept: application/json");
        if (t == TOKEN) {
            headers.add("Authorization: PVEAPIToken=" + settings.tokenId() + "=" + settings.tokenSecret());
        } else if (t != NO_AUTH) {
            headers.add("Cookie: PVEAuthCookie=" + URLEncoder.encode(t.value(), StandardCharsets.UTF_8));
            if (!method.equals("GET")) {
                headers.add("CSRFPreventionToken: " + t.csrf());
            }
        }
        byte[] content = null;
        if (body) {
            headers.add("Content-Type: application/x-www-form-urlencoded");
            content = form.getBytes(StandardCharsets.UTF_8);
        }
        Http1Client client = http();
        long start = System.nanoTime();
        Http1Client.Response response;
        try {
            response = client.exchange(method, target, headers.toArray(String[]::new), content);
        } catch (IOException | RuntimeException e) {
            LOG.debug("{} {} failed after {} ms: {}", method, path, (System.nanoTime() - start) / 1_000_000,
                    e.toString());
            throw transportFailure(method, path, e);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} -> {} in {} ms", method, path, response.status(), (System.nanoTime() - start) / 1_000_000);
        }
        return parse(method, path, response, whole);
    }

    private Object parse(String method, String path, Http1Client.Response response, boolean whole) {
        int status = response.status();
        Map<?, ?> body = null;
        try {
            Object parsed = READER.read(response.body(), 0, response.length());
            if (parsed instanceof Map<?, ?> m) {
                body = m;
            } else if (parsed != null) {
                throw new IOException("the answer is no JSON object");
            }
        } catch (IOException e) {
            if (status == 200) {
                throw new ProxmoxException(Kind.SERVER, status, "Proxmox VE answered " + method + " " + path
                        + " with something that is not JSON. Is " + settings.host() + ":" + settings.port()
                        + " a Proxmox VE node?", null, Map.of(), method, path, e);
            }
        }
        if (status == 200) {
            if (body == null) {
                throw new ProxmoxException(Kind.SERVER, status, "Proxmox VE answered " + method + " " + path
                        + " with an empty body.", null, Map.of(), method, path, null);
            }
            return whole ? body : body.get("data");
        }
        String message = body != null && body.get("message") instanceof String m ? m.strip() : null;
        Map<String, String> errors = new LinkedHashMap<>();
        if (body != null && body.get("errors") instanceof Map<?, ?> e) {
            e.forEach((k, v) -> errors.put(String.valueOf(k), String.valueOf(v).strip()));
        }
        throw error(method, path, status, message, errors);
    }

    /** Turns an error answer into an exception whose message says what failed and what to do. */
    ProxmoxException error(String method, String path, int status, String message, Map<String, String> errors) {
        String what = method + " " + path;
        String pve = message == null || message.isEmpty() ? "HTTP " + status : message;
        String principal = settings.principal();
        switch (status) {
            case 400 -> {
                StringBuilder sb = new StringBuilder("Proxmox VE rejected the parameters of " + what + ":");
                errors.forEach((k, v) -> sb.append(' ').append(k).append(": ").append(v).append(';'));
                if (errors.isEmpty()) {
                    sb.append(' ').append(pve);
                } else {
                    sb.setLength(sb.length() - 1);
                }
                return new ProxmoxException(Kind.INVALID_PARAMETERS, status, sb.append('.').toString(), message,
                        errors, method, path, null);
            }
            case 401 -> {
                String fix = settings.usesToken()
                        ? "Check PROXMOX_TOKEN_ID and PROXMOX_TOKEN_SECRET: the token " + principal
                                + " must exist on the cluster and the secret must match."
                        : "Check PROXMOX_USERNAME and PROXMOX_PASSWORD for " + principal + ".";
                return new ProxmoxException(Kind.AUTHENTICATION, status, "Proxmox VE did not accept the credentials ("
                        + pve + "). " + fix, message, errors, method, path, null);
            }
            case 403 -> {
                Matcher m = PERMISSION.matcher(pve);
                String fix = m.find() ? " Grant " + principal + " the privilege " + m.group(2) + " on " + m.group(1)
                        + " (Datacenter > Permissions), or use an account that has it."
                        : " The account " + principal + " lacks a privilege for this.";
                return new ProxmoxException(Kind.PERMISSION, status, "Proxmox VE refused " + what + ": " + pve + "."
                        + fix, message, errors, method, path, null);
            }
            case 501 -> {
                return new ProxmoxException(Kind.NOT_IMPLEMENTED, status, "Proxmox VE does not know " + what + " ("
                        + pve + "). The node may run an older Proxmox VE version.", message, errors, method, path, null);
            }
            case 595, 596 -> {
                return new ProxmoxException(Kind.NODE_UNREACHABLE, status, "The Proxmox node addressed by " + what
                        + " cannot be reached from " + settings.host() + " (" + pve + "). It is probably offline; "
                        + "check the cluster status.", message, errors, method, path, null);
            }
            default -> {
                Kind kind = status == 500 && (pve.contains("does not exist") || pve.startsWith("hostname lookup")
                        || pve.startsWith("no such")) ? Kind.NOT_FOUND : Kind.SERVER;
                String text = pve.startsWith("hostname lookup") ? "The node in " + what
                        + " is not part of the cluster (" + pve + "). List the nodes first." : "Proxmox VE could not "
                        + "complete " + what + ": " + pve;
                return new ProxmoxException(kind, status, text, message, errors, method, path, null);
            }
        }
    }

    private ProxmoxException transportFailure(String method, String path, Throwable failure) {
        Throwable cause = unwrap(failure);
        String where = "https://" + settings.host() + ":" + settings.port();
        if (cause instanceof ProxmoxException pe) {
            return pe;
        }
        if (cause instanceof Http1Client.Timeout timeout && timeout.connecting) {
            return new ProxmoxException(Kind.TIMEOUT, 0, "Connecting to Proxmox VE at " + where + " timed out after "
                    + settings.connectTimeout().toMillis() + " ms. Check PROXMOX_HOST, PROXMOX_PORT and any firewall "
                    + "between this server and the node.", null, Map.of(), method, path, cause);
        }
        if (cause instanceof Http1Client.Timeout) {
            return new ProxmoxException(Kind.TIMEOUT, 0, "Proxmox VE at " + where + " did not answer " + method + " "
                    + path + " within " + settings.requestTimeout().toMillis() + " ms.", null, Map.of(), method, path, cause);
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof SSLException) {
                break;
            }
            root = root.getCause();
        }
        if (root instanceof SSLException || cause instanceof SSLException) {
            X509Certificate cert = presented.get();
            String seen = cert == null ? "" : " The node presented a certificate for "
                    + cert.getSubjectX500Principal().getName() + " with SHA-256 fingerprint " + Tls.fingerprint(cert)
                    + ".";
            String fix = switch (settings.tlsMode()) {
                case "fingerprint" -> " It does not match the pinned fingerprint (PROXMOX_FINGERPRINT); if the node's "
                        + "certificate was renewed, pin the new one.";
                case "ca-file" -> " It is not signed by the CA in " + settings.caFile() + ", or it does not cover the"
                        + " name " + settings.host() + ".";
                default -> " Its certificate is not trusted. Trust the cluster CA (PROXMOX_CA_FILE, a copy of "
                        + "/etc/pve/pve-root-ca.pem), or pin the fingerprint (PROXMOX_FINGERPRINT) after checking it "
                        + "on the node; switching verification off (PROXMOX_VERIFY_SSL=false) is the last resort.";
            };
            return new ProxmoxException(Kind.TLS, 0, "The TLS connection to Proxmox VE at " + where + " failed."
                    + fix + seen, null, Map.of(), method, path, cause);
        }
        if (cause instanceof UnknownHostException || root instanceof UnknownHostException) {
            return new ProxmoxException(Kind.CONNECTION, 0, "The Proxmox host name '" + settings.host()
                    + "' cannot be resolved. Check PROXMOX_HOST.", null, Map.of(), method, path, cause);
        }
        if (cause instanceof ConnectException || root instanceof ConnectException) {
            return new ProxmoxException(Kind.CONNECTION, 0, "Cannot connect to Proxmox VE at " + where
                    + " (connection refused). Check PROXMOX_HOST and PROXMOX_PORT, and that the node is up (its API "
                    + "listens on port 8006).", null, Map.of(), method, path, cause);
        }
        return new ProxmoxException(Kind.CONNECTION, 0, "The connection to Proxmox VE at " + where + " failed: "
                + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")")
                + ".", null, Map.of(), method, path, cause);
    }

    /** Returns a valid ticket, logging in or renewing when needed; concurrent callers share one login. */
    CompletableFuture<Ticket> ticket(boolean force) {
        synchronized (loginLock) {
            Ticket t = ticket;
            long age = t == null ? Long.MAX_VALUE : clock.millis() - t.issuedAt();
            if (!force && t != null && age < TICKET_RENEWAL_AGE.toMillis()) {
                return CompletableFuture.completedFuture(t);
            }
            if (login != null && !login.isDone()) {
                return login;
            }
            boolean renew = t != null && age < Duration.ofHours(2).minusMinutes(1).toMillis();
            String secret = renew ? t.value() : settings.password();
            CompletableFuture<Ticket> f = loginWith(secret);
            if (renew) {
                f = f.exceptionallyCompose(e -> loginWith(settings.password()));
            }
            login = f.whenComplete((nt, e) -> {
                synchronized (loginLock) {
                    if (nt != null) {
                        ticket = nt;
                    }
                }
            });
            return login;
        }
    }

    private CompletableFuture<Ticket> loginWith(String password) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("username", settings.username());
        form.put("password", password);
        long now = clock.millis();
        Object data;
        try {
            data = send("POST", "/access/ticket", encode(form), NO_AUTH, false);
        } catch (ProxmoxException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (data instanceof Map<?, ?> m && m.get("ticket") instanceof String value
                && m.get("CSRFPreventionToken") instanceof String csrf) {
            return CompletableFuture.completedFuture(new Ticket(value, csrf, now));
        }
        return CompletableFuture.failedFuture(new ProxmoxException(Kind.AUTHENTICATION, 200, "Proxmox VE answered "
                + "the login of " + settings.username() + " without a ticket; two-factor authentication is not "
                + "supported for this account. Use an API token (PROXMOX_TOKEN_ID, PROXMOX_TOKEN_SECRET) instead.",
                null, Map.of(), "POST", "/access/ticket", null));
    }

    private static ProxmoxException notConfigured(String method, String path) {
        return new ProxmoxException(Kind.NOT_CONFIGURED, 0, "No Proxmox VE connection is configured. Set PROXMOX_HOST "
                + "and either PROXMOX_TOKEN_ID with PROXMOX_TOKEN_SECRET or PROXMOX_USERNAME with PROXMOX_PASSWORD "
                + "(or run 'proxmox-mcp serve --demo' to try the built-in simulator).", null, Map.of(), method, path, null);
    }

    /** Fills {@code {variables}} of the path from params (encoded), putting the other params into {@code rest}. */
    static String fill(String template, Map<String, ?> params, Map<String, Object> rest) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("Proxmox API path must start with '/': " + template);
        }
        rest.putAll(params);
        Matcher m = PATH_VAR.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            Object v = params.get(name);
            if (v == null || v.toString().isEmpty()) {
                throw new IllegalArgumentException("The path " + template + " needs the parameter '" + name + "'.");
            }
            rest.remove(name);
            m.appendReplacement(sb, Matcher.quoteReplacement(
                    URLEncoder.encode(v.toString(), StandardCharsets.UTF_8).replace("+", "%20")));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Encodes parameters as a query or form: booleans as 1/0, lists as repeated keys, nulls left out. */
    static String encode(Map<String, ?> params) {
        List<String> pairs = new ArrayList<>();
        for (var e : params.entrySet()) {
            Object v = e.getValue();
            if (v == null) {
                continue;
            }
            Collection<?> values = v instanceof Collection<?> c ? c : List.of(v);
            for (Object item : values) {
                if (item == null) {
                    continue;
                }
                String text = item instanceof Boolean b ? (b ? "1" : "0") : item.toString();
                pairs.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(text, StandardCharsets.UTF_8));
            }
        }
        return String.join("&", pairs);
    }

    @Override
    public String toString() {
        return "ProxmoxClient" + settings;
    }
}
