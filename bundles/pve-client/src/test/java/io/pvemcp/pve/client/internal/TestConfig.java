package io.pvemcp.pve.client.internal;

import java.lang.annotation.Annotation;

/** A {@link ClientConfig} built in tests, as Configuration Admin would build it. */
final class TestConfig implements ClientConfig {
    String host = "";
    int port = 8006;
    String username = "";
    String password = "";
    String tokenId = "";
    String tokenSecret = "";
    boolean verify = true;
    String caFile = "";
    String fingerprint = "";
    int retries = 0;
    int requestTimeoutMs = 10_000;

    @Override public String name() { return ""; }
    @Override public boolean default_cluster() { return false; }
    @Override public String host() { return host; }
    @Override public int port() { return port; }
    @Override public String username() { return username; }
    @Override public String password() { return password; }
    @Override public String token_id() { return tokenId; }
    @Override public String token_secret() { return tokenSecret; }
    @Override public boolean verify_ssl() { return verify; }
    @Override public String ca_file() { return caFile; }
    @Override public String fingerprint() { return fingerprint; }
    @Override public int connect_timeout_ms() { return 3000; }
    @Override public int request_timeout_ms() { return requestTimeoutMs; }
    @Override public int retries() { return retries; }
    @Override public int cache_ttl_ms() { return 0; }
    @Override public Class<? extends Annotation> annotationType() { return ClientConfig.class; }
}
