package io.pvemcp.console.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.pvemcp.api.Caller;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.SecretValues;
import io.pvemcp.security.Admission;
import io.pvemcp.security.Gatekeeper;
import io.pvemcp.security.store.AdminPassword;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the admin console. The Apache Felix Web Console asks this {@link SecurityProvider} about every
 * request (it is configured to serve nothing until the provider is there, so there is never a default password).
 * A request passes when it comes from loopback (unless remote clients are allowed) and either carries the cookie of
 * a console session opened at {@code /console/login} or an {@code Authorization: Bearer} token with the admin scope.
 * State-changing requests must also come from the console's own origin (CSRF).
 */
@Component(service = {SecurityProvider.class, ConsoleAccess.class}, configurationPid = "io.pvemcp.console",
        property = SecurityProvider.PROPERTY_ID + "=pvemcp")
@Designate(ocd = ConsoleConfig.class)
public final class ConsoleAccess implements SecurityProvider {

    static final String COOKIE = "pvemcp_console";
    static final String LOGIN_PATH = "/console/login";
    static final String HOME = "/system/console/mcp-tools";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAccess.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A signed-in administrator. */
    record Session(String id, String user, String csrf, long createdAt, long lastSeen, Caller token) {
    }

    /** What checking a sign-in token found: what to tell the user, or the caller it admits. */
    record TokenCheck(String problem, Caller caller) {
    }

    private final Gatekeeper gatekeeper;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();
    private volatile ConsoleConfig config;
    private final SecretValues secrets;

    @Activate
    public ConsoleAccess(@Reference Gatekeeper gatekeeper, ConsoleConfig config, @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY) SecretValues secrets) {
        this.gatekeeper = gatekeeper;
        this.secrets = secrets;
        modified(config);
    }

    @Modified
    void modified(ConsoleConfig config) {
        this.config = config;
        if (!passwordConfigured()) {
            LOG.info("The admin console has no administrator password; sign in with an admin token, or set one with "
                    + "'proxmox-mcp console-password' or MCP_CONSOLE_PASSWORD");
        }
    }

    // ---- the web console's questions

    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        // this runs before any filter, so its own answers (redirects, refusals) carry the headers here
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
        try {
            if (!reachable(request, response)) {
                return null;
            }
            Session s = session(request);
            if (s != null) {
                if (!sameOrigin(request)) {
                    response.sendError(403, "Cross-site request refused: console changes must come from the console's "
                            + "own pages.");
                    return null;
                }
                return s.user();
            }
            String auth = request.getHeader("Authorization");
            if (auth != null) {
                String user = tokenUser(auth, request);
                if (user != null) {
                    return user;
                }
                response.setHeader("WWW-Authenticate", "Bearer realm=\"proxmox-mcp console\"");
                response.sendError(401, "The token is not valid or lacks the scope " + Scopes.ADMIN + ".");
                return null;
            }
            String target = request.getRequestURI() + (request.getQueryString() == null ? "" : "?"
                    + request.getQueryString());
            response.sendRedirect(LOGIN_PATH + "?next=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.debug("answering a console request failed: {}", e.toString());
        }
        return null;
    }

    @Override
    public boolean authorize(Object user, String role) {
        return user != null;
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        Session s = session(request);
        if (s != null) {
            sessions.remove(s.id());
            LOG.info("Console session of {} ended", s.user());
        }
        response.addHeader("Set-Cookie", cookie("", request.isSecure(), 0));
    }

    // ---- used by the login page and the MCP tools page

    /**
     * Refuses clients that are not on this machine, unless allowed.
     *
     * @return {@code true} if the request may go on; otherwise a 403 was sent
     */
    boolean reachable(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (config.allow_remote() || isLoopback(request.getRemoteAddr())) {
            return true;
        }
        response.sendError(403, "The admin console answers on this machine only. To allow remote clients, set "
                + "allow.remote = true in conf/io.pvemcp.console.cfg (or MCP_CONSOLE_REMOTE=true), behind TLS.");
        return false;
    }

    /** @return the session the request's cookie names, refreshed, or {@code null} */
    Session session(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        long now = System.currentTimeMillis();
        long idle = Duration.ofMinutes(Math.max(1, config.session_idle_minutes())).toMillis();
        sessions.values().removeIf(s -> now - s.lastSeen() > idle);
        for (Cookie c : cookies) {
            if (COOKIE.equals(c.getName())) {
                Session s = sessions.get(c.getValue());
                if (s != null && s.token() != null && gatekeeper.invalidated(s.token()) != null) {
                    // a session signed in with a token ends with the token
                    sessions.remove(s.id(), s);
                    LOG.info("Console session of {} ended: its token is no longer valid", s.user());
                    s = null;
                }
                if (s != null) {
                    Session touched = new Session(s.id(), s.user(), s.csrf(), s.createdAt(), now, s.token());
                    sessions.replace(s.id(), s, touched);
                    return touched;
                }
            }
        }
        return null;
    }

    /** @return {@code true} if the request is a safe method, or its Origin (or Referer) is this server */
    static boolean sameOrigin(HttpServletRequest request) {
        String m = request.getMethod();
        if (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")) {
            return true;
        }
        if ("cross-site".equals(request.getHeader("Sec-Fetch-Site"))) {
            return false;
        }
        String origin = request.getHeader("Origin");
        if (origin == null || origin.equals("null")) {
            String referer = request.getHeader("Referer");
            if (referer == null) {
                return false;
            }
            try {
                URI r = URI.create(referer);
                origin = r.getScheme() + "://" + r.getRawAuthority();
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        String host = request.getHeader("Host");
        return host != null && origin.equalsIgnoreCase((request.isSecure() ? "https://" : "http://") + host);
    }

    /** @return whether a password is set, in the folder or the configuration */
    boolean passwordConfigured() {
        return !password().isEmpty() || storedHash() != null;
    }

    /**
     * Checks a password and counts failures per address.
     *
     * @return {@code null} if it matched, otherwise what to tell the user
     */
    String checkPassword(String address, char[] password) {
        if (blocked(address)) {
            return "Too many failed sign-ins from your address. Wait a minute.";
        }
        boolean ok;
        if (!password().isEmpty()) {
            ok = MessageDigest.isEqual(password().getBytes(StandardCharsets.UTF_8),
                    new String(password).getBytes(StandardCharsets.UTF_8));
        } else {
            String stored = storedHash();
            if (stored == null) {
                return "No administrator password is set. Sign in with an admin token, or set a password with "
                        + "'proxmox-mcp console-password' (or MCP_CONSOLE_PASSWORD) and restart.";
            }
            ok = AdminPassword.verify(password, stored);
        }
        if (!ok) {
            failed(address);
            LOG.warn("Failed console sign-in from {}", address);
            return "Wrong password.";
        }
        return null;
    }

    /**
     * Checks an administrator token.
     *
     * @return {@code null} if it is valid with the admin scope, otherwise what to tell the user
     */
    TokenCheck checkToken(String address, String token, boolean loopback) {
        if (blocked(address)) {
            return new TokenCheck("Too many failed sign-ins from your address. Wait a minute.", null);
        }
        if (!gatekeeper.authenticationRequired()) {
            return new TokenCheck("The server runs without authentication, so tokens prove nothing here; sign in with "
                    + "the administrator password.", null);
        }
        Admission a = gatekeeper.admit("Bearer " + token.strip(), address, loopback);
        if (!a.admitted() || !a.caller().hasScope(Scopes.ADMIN)) {
            failed(address);
            LOG.warn("Failed console sign-in with a token from {}", address);
            return new TokenCheck(!a.admitted() ? "The token was refused: " + a.description()
                    : "The token lacks the scope " + Scopes.ADMIN + ".", null);
        }
        return new TokenCheck(null, a.caller());
    }

    /** Opens a session and sets its cookie. */
    Session open(String user, Caller token, HttpServletRequest request, HttpServletResponse response) {
        long now = System.currentTimeMillis();
        Session s = new Session(random(), user, random(), now, now, token);
        sessions.put(s.id(), s);
        response.addHeader("Set-Cookie", cookie(s.id(), request.isSecure(),
                (int) Duration.ofMinutes(config.session_idle_minutes()).toSeconds() * 4));
        LOG.info("Console session opened for {} from {}", user, request.getRemoteAddr());
        return s;
    }

    /** @return the sessions, for tests */
    int sessionCount() {
        return sessions.size();
    }

    /** @return {@code true} if the request carries one valid admin bearer token */
    boolean signedInByToken(HttpServletRequest request) {
        String auth = request.getHeader("Authorization");
        return auth != null && tokenUser(auth, request) != null;
    }

    private String tokenUser(String authorization, HttpServletRequest request) {
        if (blocked(request.getRemoteAddr()) || !gatekeeper.authenticationRequired()) {
            return null;
        }
        java.util.Enumeration<String> all = request.getHeaders("Authorization");
        if (all != null && java.util.Collections.list(all).size() > 1) {
            return null;
        }
        Admission a = gatekeeper.admit(authorization, request.getRemoteAddr(), isLoopback(request.getRemoteAddr()));
        if (a.admitted() && a.caller().hasScope(Scopes.ADMIN)) {
            return "token " + a.caller().subject();
        }
        failed(request.getRemoteAddr());
        return null;
    }

    /** @return the configured password (MCP_CONSOLE_PASSWORD), resolved if the launcher kept it aside */
    private String password() {
        return SecretValues.resolve(secrets, config.password());
    }

    private String storedHash() {
        String dir = config.data_dir().strip();
        if (dir.isEmpty()) {
            return null;
        }
        try {
            return AdminPassword.read(Path.of(dir));
        } catch (IOException e) {
            LOG.error("Cannot read the administrator password in {}: {}", dir, e.getMessage());
            return null;
        }
    }

    private boolean blocked(String address) {
        Deque<Long> d = failures.get(address);
        if (d == null) {
            return false;
        }
        synchronized (d) {
            long cutoff = System.currentTimeMillis() - 60_000;
            while (!d.isEmpty() && d.peekFirst() < cutoff) {
                d.pollFirst();
            }
            return d.size() >= Math.max(1, config.failures_per_minute());
        }
    }

    private void failed(String address) {
        Deque<Long> d = failures.computeIfAbsent(address, k -> new ArrayDeque<>());
        synchronized (d) {
            d.addLast(System.currentTimeMillis());
        }
    }

    static String cookie(String value, boolean secure, int maxAge) {
        return COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAge + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        if (!a.matches("[0-9a-fA-F:.%]+")) {
            return false; // only literal addresses; never a name lookup
        }
        try {
            return InetAddress.getByName(a).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }
}
