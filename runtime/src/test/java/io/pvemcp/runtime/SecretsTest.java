package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void passwordsAndSecretsBecomePlaceholders() {
        Map<String, Map<String, Object>> config = new TreeMap<>();
        config.put("io.pvemcp.pve.client", new LinkedHashMap<>(Map.of("host", "pve1", "token.id", "root@pam!mcp",
                "token.secret", "s3cr3t", "password", "")));
        config.put("io.pvemcp.security", new LinkedHashMap<>(Map.of("secret.key", "k".repeat(40), "issuer", "x")));
        Secrets s = Secrets.extract(config);
        assertThat(config.get("io.pvemcp.pve.client")).containsEntry("host", "pve1").containsEntry("token.id",
                "root@pam!mcp").containsEntry("token.secret", "pvemcp-secret:io.pvemcp.pve.client/token.secret")
                .as("empty values stay").containsEntry("password", "");
        assertThat(config.get("io.pvemcp.security")).containsEntry("secret.key",
                "pvemcp-secret:io.pvemcp.security/secret.key").containsEntry("issuer", "x");
        assertThat(s.size()).isEqualTo(2);
        assertThat(config.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void aUrlWithAPasswordIsASecretToo() {
        Map<String, Map<String, Object>> config = new TreeMap<>();
        config.put("io.pvemcp.state", new LinkedHashMap<>(Map.of("url", "postgresql://pvemcp:pg-s3cret@db:5432/state",
                "user", "pvemcp")));
        config.put("io.pvemcp.pve.client", new LinkedHashMap<>(Map.of("host", "https://pve1.example.org:8006")));
        Secrets s = Secrets.extract(config);
        assertThat(config.get("io.pvemcp.state")).containsEntry("url", "pvemcp-secret:io.pvemcp.state/url")
                .containsEntry("user", "pvemcp");
        assertThat(config.get("io.pvemcp.pve.client")).as("a URL without a password stays")
                .containsEntry("host", "https://pve1.example.org:8006");
        assertThat(s.size()).isEqualTo(1);
        assertThat(config.toString()).doesNotContain("pg-s3cret");
    }
}
