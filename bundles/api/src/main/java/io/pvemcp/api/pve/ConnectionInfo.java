package io.pvemcp.api.pve;

/**
 * How a {@link ProxmoxClient} connects to Proxmox VE. Holds no secret, so it may be shown to users.
 *
 * @param configured {@code false} if no Proxmox host is configured
 * @param baseUrl e.g. {@code https://pve1.example.com:8006/api2/json}
 * @param host the host name or address
 * @param port the port
 * @param authMethod {@code token}, {@code ticket} or {@code none}
 * @param principal the Proxmox user ({@code root@pam}) or token id ({@code root@pam!mcp}), or {@code null}
 * @param tlsMode {@code verified} (system trust store), {@code ca-file}, {@code fingerprint} (pinned
 *        certificate) or {@code insecure} (verification switched off)
 */
public record ConnectionInfo(boolean configured, String baseUrl, String host, int port, String authMethod,
        String principal, String tlsMode) {
}
