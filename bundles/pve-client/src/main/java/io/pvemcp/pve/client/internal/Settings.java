package io.pvemcp.pve.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A validated, normalised Proxmox connection configuration. Invalid settings fail with a message that names
 * the setting and says what is expected; secrets never appear in messages or in {@link #toString()}.
 */
record Settings(String host, int port, String username, String password, String tokenId, String tokenSecret,
        boolean verifyTls, String caFile, String fingerprint, Duration connectTimeout, Duration requestTimeout,
        int retries) {

    boolean configured() {
        return !host.isEmpty();
    }

    boolean usesToken() {
        return !tokenId.isEmpty();
    }

    String authMethod() {
        return !configured() ? "none" : usesToken() ? "token" : username.isEmpty() ? "none" : "ticket";
    }

    String principal() {
        return usesToken() ? tokenId : username.isEmpty() ? null : username;
    }

    String tlsMode() {
        if (!fingerprint.isEmpty()) {
            return "fingerprint";
        }
        if (!caFile.isEmpty()) {
            return "ca-file";
        }
        return verifyTls ? "verified" : "insecure";
    }

    /** The path of the API on the node, before every request's path. */
    String basePath() {
        return "/api2/json";
    }

    String baseUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "https://" + h + ":" + port + basePath();
    }

    static Settings from(ClientConfig c) {
        return from(c, java.util.function.UnaryOperator.identity());
    }

    /**
     * @param c the configuration
     * @param secret resolves the values of secret settings (placeholders of the launcher)
     */
    static Settings from(ClientConfig c, java.util.function.UnaryOperator<String> secret) {
        String host = c.host().trim();
        int port = c.port();
        if (host.contains("://") || host.contains("/")) {
            URI uri;
            try {
                uri = URI.create(host.contains("://") ? host : "https://" + host);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Proxmox host '" + host + "' is not a host name or URL.");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("Proxmox host '" + host + "' is not a host name or URL.");
            }
            if (uri.getPort() > 0) {
                port = uri.getPort();
            }
            host = uri.getHost();
        } else if (host.indexOf(':') > 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            String p = host.substring(host.indexOf(':') + 1);
            host = host.substring(0, host.indexOf(':'));
            try {
                port = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Proxmox host has a port that is not a number: '" + p + "'.");
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Proxmox port must be between 1 and 65535, got " + port + ".");
        }
        String username = c.username().trim();
        if (!username.isEmpty() && !username.contains("@")) {
            username = username + "@pam";
        }
        String tokenId = c.token_id().trim();
        if (!tokenId.isEmpty() && !tokenId.contains("!")) {
            if (username.isEmpty()) {
                throw new IllegalArgumentException("Proxmox API token id '" + tokenId
                        + "' must look like user@realm!tokenname (e.g. root@pam!mcp), or set the user separately.");
            }
            tokenId = username + "!" + tokenId;
        }
        String tokenSecret = secret.apply(c.token_secret());
        String password = secret.apply(c.password());
        if (!tokenId.isEmpty() && tokenSecret.isEmpty()) {
            throw new IllegalArgumentException("Proxmox API token id is set but the token secret is empty: set "
                    + "PROXMOX_TOKEN_SECRET (token.secret).");
        }
        if (tokenId.isEmpty() && !username.isEmpty() && password.isEmpty()) {
            throw new IllegalArgumentException("Proxmox user " + username + " is set but neither a password "
                    + "(PROXMOX_PASSWORD) nor an API token (PROXMOX_TOKEN_ID, PROXMOX_TOKEN_SECRET) is.");
        }
        String fingerprint = c.fingerprint().trim();
        if (!fingerprint.isEmpty()) {
            String hex = fingerprint.replace(":", "").toLowerCase(Locale.ROOT);
            if (hex.length() != 64 || !hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
                throw new IllegalArgumentException("Proxmox certificate fingerprint must be a SHA-256 fingerprint "
                        + "(32 hex bytes, e.g. AB:CD:...:EF), got '" + fingerprint + "'.");
            }
            fingerprint = HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(hex));
        }
        return new Settings(host, port, username, password, tokenId, tokenSecret, c.verify_ssl(),
                c.ca_file().trim(), fingerprint, Duration.ofMillis(Math.max(100, c.connect_timeout_ms())),
                Duration.ofMillis(Math.max(100, c.request_timeout_ms())), Math.max(0, Math.min(5, c.retries())));
    }

    @Override
    public String toString() {
        return "Settings[" + (configured() ? baseUrl() : "not configured") + ", auth=" + authMethod()
                + (principal() == null ? "" : " as " + principal()) + ", tls=" + tlsMode() + "]";
    }
}
