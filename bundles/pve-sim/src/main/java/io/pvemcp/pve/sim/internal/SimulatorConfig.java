package io.pvemcp.pve.sim.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Proxmox VE simulator",
        description = "A simulated Proxmox VE 9.1 cluster served over HTTPS, for demo mode and for trying clients.")
@interface SimulatorConfig {

    @AttributeDefinition(name = "Listen address", description = "Address to listen on; loopback by default.")
    String host() default "127.0.0.1";

    @AttributeDefinition(name = "Port", description = "HTTPS port; 0 picks a free port.", min = "0", max = "65535")
    int port() default 8006;

    @AttributeDefinition(name = "Data directory",
            description = "Where the node keeps its CA and certificate (pve-root-ca.pem, pve-ssl.pem). "
                    + "Empty: generate new ones at every start.")
    String data_dir() default "";

    @AttributeDefinition(name = "Cluster name")
    String cluster_name() default "demo";

    @AttributeDefinition(name = "root@pam password", type = AttributeType.PASSWORD,
            description = "Empty: a random password that is never shown (log in with the API token, or set one).")
    String root_password() default "";

    @AttributeDefinition(name = "API token id", description = "An API token to create, e.g. root@pam!mcp.")
    String token_id() default "";

    @AttributeDefinition(name = "API token secret", type = AttributeType.PASSWORD)
    String token_secret() default "";

    @AttributeDefinition(name = "Failed login delay (ms)",
            description = "How long a failed authentication is held back; a real node waits 3000 ms.")
    long auth_failure_delay_ms() default 3000;

    @AttributeDefinition(name = "Fixture", description = "A JSON file describing the cluster (see docs/simulator.md). "
            + "Empty: the demo cluster.")
    String fixture() default "";

    @AttributeDefinition(name = "Generated nodes", description = "More than 0: a generated large cluster with this "
            + "many nodes instead of the demo cluster.", min = "0", max = "1000")
    int generated_nodes() default 0;

    @AttributeDefinition(name = "Generated guests", description = "Guests of the generated cluster.", min = "0")
    int generated_guests() default 0;

    @AttributeDefinition(name = "Task time scale", description = "Task durations relative to a real node: 0 ends "
            + "tasks at once, 1 takes seconds as on a real node.", min = "0")
    double task_time_scale() default 1.0;

    @AttributeDefinition(name = "Latency (ms)", description = "Extra time every request takes.", min = "0")
    long latency_ms() default 0;

    @AttributeDefinition(name = "Offline nodes", description = "Nodes that start unreachable (HTTP 595).")
    String[] offline_nodes() default {};

    @AttributeDefinition(name = "Quorum lost", description = "Whether the cluster starts without quorum.")
    boolean quorum_lost() default false;
}
