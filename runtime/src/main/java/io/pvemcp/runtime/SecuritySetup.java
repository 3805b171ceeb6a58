package io.pvemcp.runtime;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.pvemcp.security.store.PostgresState;
import io.pvemcp.security.store.SecureFiles;
import io.pvemcp.security.store.Tokens;

/**
 * The security settings both {@code serve} and the {@code token} commands derive from the same configuration,
 * so that a token the command line issues is one the server accepts: the MCP endpoint's public URL (the
 * tokens' audience), the issuer, the signing secret, and the folders.
 */
final class SecuritySetup {

    static final String PID = "io.pvemcp.security";
    static final String AUDIT_PID = "io.pvemcp.audit";
    static final String TLS_PID = "io.pvemcp.tls";
    static final String STATE_PID = "io.pvemcp.state";
    /** The components that keep their state in the state database when one is configured. */
    private static final List<String> STATE_USERS = List.of(PID, AUDIT_PID, "io.pvemcp.registry");

    private SecuritySetup() {
    }

    /** @return the configuration of conf/ and the environment, as {@code serve} reads it (without features) */
    static Configurations read(Path home) throws IOException {
        Configurations config = new Configurations();
        config.readDirectory(Home.conf(home));
        config.applyEnvironment(System.getenv());
        return config;
    }

    /**
     * @param tls the {@code io.pvemcp.tls} settings, or {@code null}
     * @return {@code true} if they configure TLS
     */
    static boolean tls(Map<String, Object> tls) {
        return tls != null && (present(tls.get("cert.file")) || present(tls.get("keystore.file")));
    }

    /**
     * @param config the configuration
     * @param tls whether the server serves HTTPS
     * @param host the listen address, or {@code null} for the configured one
     * @param port the port, or {@code null} for the configured one
     * @return the MCP endpoint's URL as clients use it: {@code resource} (MCP_PUBLIC_URL), or derived from the
     *         listen address
     */
    static String resource(Configurations config, boolean tls, String host, Integer port) {
        Object configured = config.asMap().getOrDefault(PID, Map.of()).get("resource");
        if (present(configured)) {
            return checkUrl(String.valueOf(configured).strip());
        }
        Map<String, Object> http = config.asMap().getOrDefault(ServeCommand.HTTP_PID, Map.of());
        String h = host != null ? host : String.valueOf(http.getOrDefault(ServeCommand.HOST, "127.0.0.1"));
        String p = port != null ? port.toString() : String.valueOf(http.getOrDefault(ServeCommand.PORT, "8000")).strip();
        String connect = ServeCommand.connectHost(h);
        return (tls ? "https" : "http") + "://" + (connect.contains(":") ? "[" + connect + "]" : connect) + ":"
                + p + "/mcp";
    }

    private static String checkUrl(String url) {
        try {
            URI u = URI.create(url);
            if (u.getScheme() == null || u.getHost() == null
                    || !List.of("http", "https").contains(u.getScheme().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException();
            }
            return url;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The public URL '" + url + "' (MCP_PUBLIC_URL) is not an http(s) URL; "
                    + "write it as clients reach the endpoint, e.g. https://mcp.example.com/mcp");
        }
    }

    /** Fills in what the security and audit components need: folders and the resource URL. */
    static void configure(Configurations config, Path data, String resource) throws IOException {
        Map<String, Object> security = config.pid(PID);
        security.put("data.dir", SecureFiles.privateDirectory(data.resolve("security")).toString());
        security.put("resource", resource);
        Map<String, Object> audit = config.pid(AUDIT_PID);
        audit.putIfAbsent("dir", data.resolve("audit").toString());
        PostgresState state = state(config);
        if (state == null) {
            // a user or password without a URL configures nothing
            config.asMap().remove(STATE_PID);
        } else {
            // its URL was checked (a bad one fails here, with the message, rather than in the component); it connects
            // only when used
            state.close();
            // with a state database, these components wait for it rather than start on their own files (DS 1.4:
            // the minimum cardinality of an optional reference, set by configuration)
            for (String pid : STATE_USERS) {
                config.pid(pid).put("state.cardinality.minimum", 1);
            }
        }
        String secret = str(security.get("secret.key"));
        if (secret != null) {
            // fails early, with the message, rather than in the component
            io.pvemcp.security.store.SigningKeys.fromSecret(secret, "SECRET_KEY");
        }
    }

    /**
     * @return the token store the server of this configuration uses: the state database's, when one is configured
     * @throws IOException if the state database's driver is missing
     */
    static Tokens tokens(Configurations config, Path data, String resource) throws IOException {
        Map<String, Object> s = config.asMap().getOrDefault(PID, Map.of());
        Duration skew = Duration.ofSeconds(Long.parseLong(String.valueOf(s.getOrDefault("clock.skew.s", "60")).strip()));
        Tokens.Settings settings = Tokens.Settings.forResource(resource, str(s.get("issuer")),
                List.of(String.valueOf(s.getOrDefault("audiences", "")).split(",")), str(s.get("secret.key")),
                str(s.get("secret.key.previous")), str(s.get("algorithm")), skew);
        PostgresState state = state(config);
        return state != null ? new Tokens(state.documents(), settings) : new Tokens(data.resolve("security"), settings);
    }

    /**
     * @return the state database of this configuration ({@code io.pvemcp.state}, MCP_STATE_DB_URL), not yet
     *         connected, or {@code null} when the state is kept in files
     * @throws IOException if the driver is missing
     */
    static PostgresState state(Configurations config) throws IOException {
        Map<String, Object> s = config.asMap().get(STATE_PID);
        if (s == null || !present(s.get("url"))) {
            return null;
        }
        return PostgresState.open(String.valueOf(s.get("url")), str(s.get("user")), str(s.get("password")));
    }

    /** @return the audit folder of this configuration */
    static Path auditDir(Configurations config, Path data) {
        Object dir = config.asMap().getOrDefault(AUDIT_PID, Map.of()).get("dir");
        return present(dir) ? Path.of(String.valueOf(dir)) : data.resolve("audit");
    }

    private static boolean present(Object o) {
        return o != null && !String.valueOf(o).isBlank();
    }

    private static String str(Object o) {
        return present(o) ? String.valueOf(o) : null;
    }
}
