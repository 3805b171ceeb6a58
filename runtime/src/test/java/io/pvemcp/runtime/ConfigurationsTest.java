package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationsTest {

    @TempDir
    Path conf;

    @Test
    void environmentOverridesFilesWhichOverrideFeatures() throws IOException {
        Files.writeString(conf.resolve("io.pvemcp.pve.client.cfg"), """
                # comment
                host = pve-file.example.com
                port = 8006
                username = root@pam
                """);
        Files.writeString(conf.resolve("org.example.factory~one.cfg"), "a = 1\n");
        Files.writeString(conf.resolve("ignored.txt"), "x = y\n");
        Configurations c = new Configurations();
        c.addFeature(new Feature("f", "f", List.of(), Map.of("io.pvemcp.pve.client", Map.of("host", "from-feature",
                "retries", "1"))));
        c.readDirectory(conf);
        c.applyEnvironment(Map.of("PROXMOX_HOST", "pve-env.example.com", "PROXMOX_PASSWORD", " ", "PROXMOX_TOKEN_ID",
                "root@pam!mcp", "UNRELATED", "x"));
        Map<String, Object> client = c.asMap().get("io.pvemcp.pve.client");
        assertThat(client).containsEntry("host", "pve-env.example.com").containsEntry("port", "8006")
                .containsEntry("retries", "1").containsEntry("token.id", "root@pam!mcp").doesNotContainKey("password");
        assertThat(c.asMap()).containsKey("org.example.factory~one").doesNotContainKey("ignored");
        assertThat(c.appliedVariables()).containsExactly("PROXMOX_HOST", "PROXMOX_TOKEN_ID");
    }

    @Test
    void mapsEveryDocumentedVariable() {
        assertThat(Configurations.environmentMappings()).extracting(Configurations.EnvMapping::variable).containsExactly(
                "PROXMOX_HOST", "PROXMOX_PORT", "PROXMOX_USERNAME", "PROXMOX_PASSWORD", "PROXMOX_TOKEN_ID",
                "PROXMOX_TOKEN_SECRET", "PROXMOX_VERIFY_SSL", "PROXMOX_CA_FILE", "PROXMOX_FINGERPRINT", "PROXMOX_CACHE_TTL_MS",
                "MCP_HOST",
                "MCP_PORT", "MCP_ALLOWED_HOSTS", "MCP_ALLOWED_ORIGINS", "MCP_MAX_SESSIONS",
                "MCP_ADMIN_RESERVED_SESSIONS", "MCP_PUBLIC_URL", "SECRET_KEY",
                "SECRET_KEY_PREVIOUS", "MCP_JWT_ALGORITHM", "MCP_RATE_PER_MINUTE", "MCP_RATE_BURST",
                "MCP_MESSAGE_RATE_PER_MINUTE", "MCP_MESSAGE_BURST", "MCP_TLS_CERT",
                "MCP_TLS_KEY", "MCP_TLS_KEYSTORE", "MCP_TLS_KEYSTORE_PASSWORD", "MCP_CONFIRM",
                "MCP_PROTECTED_TAGS", "MCP_PROTECTED_VMIDS", "MCP_PROTECTED_POOLS", "MCP_DESTROY_PER_MINUTE",
                "MCP_APPROVALS_URL", "MCP_TOOLSETS", "MCP_DYNAMIC_TOOLSETS", "MCP_FEATURES", "MCP_EXCLUDE",
                "MCP_DEPLOY_DIR", "MCP_CONSOLE_PASSWORD", "MCP_CONSOLE_REMOTE", "MCP_STDIO_SCOPES", "MCP_OIDC_ISSUER",
                "MCP_OIDC_AUDIENCE", "MCP_OIDC_JWKS_URI", "MCP_OIDC_GROUPS", "MCP_OIDC_SCOPE_CLAIM", "MCP_STATE_DB_URL",
                "MCP_STATE_DB_USER", "MCP_STATE_DB_PASSWORD");
        // the README documents every one of them
        String readme;
        try {
            readme = java.nio.file.Files.readString(java.nio.file.Path.of("../README.md"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(Configurations.environmentMappings()).allSatisfy(m -> assertThat(readme).as(m.variable())
                .contains("`" + m.variable() + "`"));
        assertThat(Configurations.environmentMappings()).filteredOn(m -> m.variable().equals("PROXMOX_VERIFY_SSL"))
                .singleElement().satisfies(m -> {
                    assertThat(m.pid()).isEqualTo("io.pvemcp.pve.client");
                    assertThat(m.property()).isEqualTo("verify.ssl");
                });
    }

    @Test
    void demoModePointsTheClientAtTheSimulatorWithAFreshToken() {
        Configurations c = new Configurations();
        c.pid("io.pvemcp.pve.client").put("host", "real-pve.example.com");
        c.pid("io.pvemcp.pve.client").put("password", "real-password");
        ServeCommand.demoConfiguration(c, Path.of("/data"), 8123);
        Map<String, Object> client = c.asMap().get("io.pvemcp.pve.client");
        Map<String, Object> sim = c.asMap().get("io.pvemcp.pve.sim");
        assertThat(client).containsEntry("host", "127.0.0.1").containsEntry("port", "8123")
                .containsEntry("ca.file", Path.of("/data/sim/pve-root-ca.pem").toString())
                .doesNotContainKey("password");
        assertThat(client.get("token.secret")).isEqualTo(sim.get("token.secret")).asString().hasSize(36);
        assertThat(sim).containsEntry("port", "8123").containsEntry("token.id", client.get("token.id"));
    }

    @Test
    void furtherClustersComeFromTheEnvironmentToo() throws IOException {
        Files.writeString(conf.resolve("io.pvemcp.pve.cluster~lab.cfg"), "host = lab-file\nport = 8006\n");
        Configurations c = new Configurations();
        c.readDirectory(conf);
        c.applyEnvironment(Map.of("PROXMOX_CLUSTER_LAB_HOST", "10.0.0.5", "PROXMOX_CLUSTER_LAB_TOKEN_ID",
                "root@pam!mcp", "PROXMOX_CLUSTER_LAB_TOKEN_SECRET", "s3cret", "PROXMOX_CLUSTER_EDGE_2_VERIFY_SSL",
                "false", "PROXMOX_CLUSTER_EDGE_2_HOST", "edge.example.org", "PROXMOX_CLUSTER_EDGE_2_DEFAULT", "true",
                "PROXMOX_CLUSTER_EMPTY_HOST", " "));
        assertThat(c.asMap().get("io.pvemcp.pve.cluster~lab")).containsEntry("host", "10.0.0.5")
                .as("the file's other settings stay").containsEntry("port", "8006").containsEntry("token.id", "root@pam!mcp")
                .containsEntry("token.secret", "s3cret");
        assertThat(c.asMap().get("io.pvemcp.pve.cluster~edge_2")).containsEntry("verify.ssl", "false")
                .containsEntry("host", "edge.example.org").containsEntry("default.cluster", "true");
        assertThat(c.asMap()).doesNotContainKey("io.pvemcp.pve.cluster~empty");
        assertThat(Clusters.configured(c).keySet()).containsExactlyInAnyOrder("lab", "edge_2");
        assertThat(c.appliedVariables()).contains("PROXMOX_CLUSTER_LAB_TOKEN_SECRET", "PROXMOX_CLUSTER_EDGE_2_HOST");

        Configurations typo = new Configurations();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> typo.applyEnvironment(Map.of("PROXMOX_CLUSTER_LAB_HOTS",
                "x"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PROXMOX_CLUSTER_LAB_HOTS")
                .hasMessageContaining("TOKEN_SECRET");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> typo.applyEnvironment(Map.of("PROXMOX_CLUSTER_HOST",
                "x"))).as("a setting without a name").isInstanceOf(IllegalArgumentException.class);
    }
}
