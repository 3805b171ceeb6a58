package io.pvemcp.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Secrets never reach the audit log, whatever the client calls them. */
class AuditLogComponentTest {

    @Test
    void redactsTheUsualNamesOfSecretsAndValuesThatAreCredentials() {
        Map<String, Object> args = new java.util.LinkedHashMap<>();
        for (String name : List.of("password", "pass", "pwd", "passwd", "ci_password", "cipassword", "secret",
                "client_secret", "token", "accessToken", "key", "api_key", "apiKey", "ssh_private_key", "privkey",
                "credential", "credentials", "private", "cookie", "Authorization", "auth", "ticket", "csrf_token")) {
            args.put(name, "s3cr3t-" + name);
        }
        args.put("nested", Map.of("list", List.of(Map.of("pwd", "deep-secret"))));
        args.put("note", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
        args.put("header", "PVEAPIToken=root@pam!mcp=12345678-aaaa");
        args.put("vmid", 100);
        args.put("ssh_keys", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA user@host");
        args.put("name", "web01");
        args.put("tags", List.of("web"));
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) AuditLogComponent.redact(args, 0);
        String written = out.toString();
        assertThat(written).doesNotContain("s3cr3t", "deep-secret", "eyJhbGci", "12345678-aaaa");
        assertThat(out).containsEntry("vmid", 100).containsEntry("name", "web01")
                .containsEntry("ssh_keys", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA user@host")
                .containsEntry("tags", List.of("web")).containsEntry("pwd", AuditLogComponent.REDACTED);
    }
}
