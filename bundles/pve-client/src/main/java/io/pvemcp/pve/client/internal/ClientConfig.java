package io.pvemcp.pve.client.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Proxmox VE connection",
        description = "How the server reaches the Proxmox VE cluster. Environment variables PROXMOX_* override "
                + "these settings (see the README).")
@interface ClientConfig {

    @AttributeDefinition(name = "Cluster name", description = "How tools, tokens (--clusters) and the console name "
            + "this cluster: letters, digits, '.', '_', '-'. Empty: 'default' for io.pvemcp.pve.client, the "
            + "configuration's name for io.pvemcp.pve.cluster~NAME.")
    String name() default "";

    @AttributeDefinition(name = "Default cluster", description = "Calls that name no cluster go to this one (among "
            + "the io.pvemcp.pve.cluster~NAME ones; a configured io.pvemcp.pve.client is the default otherwise).")
    boolean default_cluster() default false;

    @AttributeDefinition(name = "Host", description = "Host name or address of a cluster node, e.g. "
            + "pve1.example.com (a URL such as https://pve1.example.com:8006 is accepted too). Empty: not configured.")
    String host() default "";

    @AttributeDefinition(name = "Port", min = "1", max = "65535")
    int port() default 8006;

    @AttributeDefinition(name = "User", description = "For ticket login: user@realm, e.g. root@pam "
            + "(@pam is assumed when the realm is missing).")
    String username() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD)
    String password() default "";

    @AttributeDefinition(name = "API token id", description = "user@realm!tokenname, e.g. root@pam!mcp. "
            + "Preferred over a password.")
    String token_id() default "";

    @AttributeDefinition(name = "API token secret", type = AttributeType.PASSWORD)
    String token_secret() default "";

    @AttributeDefinition(name = "Verify TLS", description = "Verify the node's certificate. Switch off only on a "
            + "network you trust; prefer a CA file or a pinned fingerprint.")
    boolean verify_ssl() default true;

    @AttributeDefinition(name = "CA file", description = "PEM file with the CA that signed the node certificate, "
            + "e.g. a copy of /etc/pve/pve-root-ca.pem.")
    String ca_file() default "";

    @AttributeDefinition(name = "Certificate fingerprint", description = "SHA-256 fingerprint of the node "
            + "certificate to trust (AB:CD:...), as shown under Node > System > Certificates.")
    String fingerprint() default "";

    @AttributeDefinition(name = "Connect timeout (ms)", min = "100")
    int connect_timeout_ms() default 5000;

    @AttributeDefinition(name = "Request timeout (ms)", min = "100")
    int request_timeout_ms() default 30000;

    @AttributeDefinition(name = "Retries", description = "How often a failed read (GET) is retried.", min = "0", max = "5")
    int retries() default 2;

    @AttributeDefinition(name = "Read cache (ms)", description = "How long the cluster-wide reads nearly every tool "
            + "makes (/cluster/resources, /cluster/status, /nodes) are reused; every write the server makes empties "
            + "the cache. 0 turns it off.", min = "0", max = "60000")
    int cache_ttl_ms() default 2000;
}
