package io.pvemcp.pve.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void acceptsPastedUrlsAndHostPort() {
        TestConfig c = new TestConfig();
        c.host = "https://pve1.example.com:8443/";
        Settings s = Settings.from(c);
        assertThat(s.host()).isEqualTo("pve1.example.com");
        assertThat(s.port()).isEqualTo(8443);
        c.host = "10.0.0.5:9006";
        assertThat(Settings.from(c).port()).isEqualTo(9006);
        c.host = "[fd00::5]";
        assertThat(Settings.from(c).baseUrl()).isEqualTo("https://[fd00::5]:8006/api2/json");
    }

    @Test
    void completesUserAndTokenIds() {
        TestConfig c = new TestConfig();
        c.host = "pve";
        c.username = "root";
        c.tokenId = "mcp";
        c.tokenSecret = "s";
        Settings s = Settings.from(c);
        assertThat(s.username()).isEqualTo("root@pam");
        assertThat(s.tokenId()).isEqualTo("root@pam!mcp");
        assertThat(s.authMethod()).isEqualTo("token");
    }

    @Test
    void explainsInvalidSettingsWithoutShowingSecrets() {
        TestConfig c = new TestConfig();
        c.host = "pve";
        c.tokenId = "root@pam!mcp";
        assertThatThrownBy(() -> Settings.from(c)).hasMessageContaining("PROXMOX_TOKEN_SECRET");
        c.tokenId = "";
        c.username = "root@pam";
        assertThatThrownBy(() -> Settings.from(c)).hasMessageContaining("PROXMOX_PASSWORD");
        c.password = "hunter2";
        c.port = 70000;
        assertThatThrownBy(() -> Settings.from(c)).hasMessageContaining("between 1 and 65535")
                .hasMessageNotContaining("hunter2");
        c.port = 8006;
        c.fingerprint = "AB:CD";
        assertThatThrownBy(() -> Settings.from(c)).hasMessageContaining("SHA-256 fingerprint");
        c.fingerprint = "ab".repeat(32);
        assertThat(Settings.from(c).fingerprint()).startsWith("AB:AB:").hasSize(95);
        assertThat(Settings.from(c).toString()).doesNotContain("hunter2");
    }
}
