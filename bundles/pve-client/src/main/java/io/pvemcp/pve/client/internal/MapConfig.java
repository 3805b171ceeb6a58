package io.pvemcp.pve.client.internal;

import java.lang.annotation.Annotation;
import java.util.Map;
import java.util.Set;

/** {@link ClientConfig} read from a map of configuration properties, with the annotation's defaults. */
final class MapConfig implements ClientConfig {

    private static final Set<String> KNOWN = Set.of("host", "port", "username", "password", "token.id",
            "token.secret", "verify.ssl", "ca.file", "fingerprint", "connect.timeout.ms", "request.timeout.ms",
            "retries", "cache.ttl.ms", "name", "default.cluster");

    private final Map<String, ?> values;

    private MapConfig(Map<String, ?> values) {
        this.values = values;
    }

    static ClientConfig of(Map<String, ?> values) {
        for (String key : values.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException("Unknown Proxmox client setting '" + key + "'; known: "
                        + new java.util.TreeSet<>(KNOWN));
            }
        }
        return new MapConfig(values);
    }

    private String text(String key, String fallback) {
        Object v = values.get(key);
        return v == null ? fallback : String.valueOf(v);
    }

    private int number(String key, int fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return v instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Proxmox client setting '" + key + "' must be a number: '" + v + "'");
        }
    }

    @Override
    public String name() {
        return text("name", "");
    }

    @Override
    public boolean default_cluster() {
        return Boolean.parseBoolean(text("default.cluster", "false").strip());
    }

    @Override
    public String host() {
        return text("host", "");
    }

    @Override
    public int port() {
        return number("port", 8006);
    }

    @Override
    public String username() {
        return text("username", "");
    }

    @Override
    public String password() {
        return text("password", "");
    }

    @Override
    public String token_id() {
        return text("token.id", "");
    }

    @Override
    public String token_secret() {
        return text("token.secret", "");
    }

    @Override
    public boolean verify_ssl() {
        Object v = values.get("verify.ssl");
        if (v == null) {
            return true;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        return !String.valueOf(v).trim().matches("(?i)0|false|no|off");
    }

    @Override
    public String ca_file() {
        return text("ca.file", "");
    }

    @Override
    public String fingerprint() {
        return text("fingerprint", "");
    }

    @Override
    public int connect_timeout_ms() {
        return number("connect.timeout.ms", 5000);
    }

    @Override
    public int request_timeout_ms() {
        return number("request.timeout.ms", 30000);
    }

    @Override
    public int retries() {
        return number("retries", 2);
    }

    @Override
    public int cache_ttl_ms() {
        return number("cache.ttl.ms", 2000);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return ClientConfig.class;
    }
}
