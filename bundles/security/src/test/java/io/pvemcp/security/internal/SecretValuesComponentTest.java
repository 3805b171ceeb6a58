package io.pvemcp.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.pvemcp.api.SecretValues;

import org.junit.jupiter.api.Test;

class SecretValuesComponentTest {

    @Test
    void placeholdersResolveToTheLaunchersSecretsAndEverythingElsePassesUnchanged() {
        SecretValues s = new SecretValuesComponent(Map.of("io.pvemcp.pve.client/token.secret", "s3cret"));
        assertThat(s.resolve("pvemcp-secret:io.pvemcp.pve.client/token.secret")).isEqualTo("s3cret");
        assertThat(s.resolve("pvemcp-secret:io.pvemcp.pve.client/other")).as("unknown placeholders stay")
                .isEqualTo("pvemcp-secret:io.pvemcp.pve.client/other");
        assertThat(s.resolve("plain")).isEqualTo("plain");
        assertThat(s.resolve(null)).isEmpty();
        assertThat(new SecretValuesComponent(null).resolve("pvemcp-secret:x/y")).as("without a launcher")
                .isEqualTo("pvemcp-secret:x/y");
        assertThat(SecretValues.resolve(null, "v")).isEqualTo("v");
        assertThat(SecretValues.resolve(s, null)).isEmpty();
    }
}
