package io.pvemcp.runtime;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.pvemcp.api.Caller;
import io.pvemcp.api.Limits;
import io.pvemcp.security.LimitsFormat;
import io.pvemcp.security.store.TokenRecord;
import io.pvemcp.security.store.Tokens;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code proxmox-mcp token}: issue, list and revoke the credentials of MCP clients; rotate the signing key. */
@Command(name = "token", mixinStandardHelpOptions = true, description = {
    "Manages the bearer tokens MCP clients authenticate with.",
    "Tokens are kept in the data folder the server uses (data/security); a running server sees changes at once."},
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class,
            TokenCommand.RotateKey.class})
final class TokenCommand implements Runnable {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Options every token command shares: where the server's data and configuration are. */
    static final class Where {
        @Option(names = "--data", paramLabel = "DIR", description = "The server's state folder (default: data/ in the "
                + "distribution, or PVEMCP_DATA).")
        Path data;

        @Option(names = "--url", paramLabel = "URL", description = "The MCP endpoint's URL as clients reach it: the "
                + "token's audience (default: MCP_PUBLIC_URL, or http://HOST:PORT/mcp from the configuration).")
        String url;

        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        Tokens tokens() throws Exception {
            Path home = Home.locate();
            Configurations config = SecuritySetup.read(home);
            String resource = url != null ? url.strip() : SecuritySetup.resource(config,
                    SecuritySetup.tls(config.asMap().get(SecuritySetup.TLS_PID)), null, null);
            return SecuritySetup.tokens(config, Home.data(home, data), resource);
        }
    }


    @Command(name = "create", mixinStandardHelpOptions = true, description = {
        "Issues a token and prints it once: it is not stored, only its record is.",
        "Scopes: proxmox:read (list, inspect), proxmox:power (start, stop, shutdown, reboot), proxmox:write (create, "
            + "change), proxmox:destroy (delete, roll back, restore over), proxmox:admin (everything), mcp:metrics "
            + "(/metrics only, for Prometheus)."})
    static final class Create implements Callable<Integer> {
        @Mixin
        Where where = new Where();

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Who or what uses it, e.g. "
                + "claude-desktop; unique among active tokens.")
        String name;

        @Option(names = "--scopes", required = true, split = ",", paramLabel = "SCOPE",
                description = "Comma-separated scopes, e.g. proxmox:read,proxmox:power.")
        List<String> scopes;

        @Option(names = "--ttl", paramLabel = "DURATION", description = "Lifetime: 30d, 12h, 90m, 1y (default 30d; "
                + "API keys: no expiry unless given).")
        String ttl;

        @Option(names = "--subject", paramLabel = "SUBJECT", description = "The sub claim (default: the name).")
        String subject;

        @Option(names = "--api-key", description = "Issue an opaque API key instead of a JWT: for clients that cannot "
                + "renew tokens; stored only as a hash, valid until revoked.")
        boolean apiKey;

        @Option(names = "--confirm", paramLabel = "RISKS", description = "Which of its calls a person confirms first: "
                + "risk classes (power, change, destroy) comma-separated, or none for an automation token (default: "
                + "the server's setting, destroy unless the operator changed it).")
        String confirm;

        @ArgGroup(exclusive = false, heading = "Limits (optional; the token may act only within them):%n")
        LimitOptions limits;

        @ArgGroup(exclusive = false, multiplicity = "0..*", heading = "Less in one cluster (repeatable; the token "
                + "reaches the clusters named here and in --clusters, no others):%n")
        List<ClusterGrantOptions> grants;

        static final class ClusterGrantOptions {
            @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "A cluster, with what "
                    + "the options after it allow there.")
            String name;
            @Option(names = "--cluster-scopes", paramLabel = "SCOPES", description = "Only these of its scopes there.")
            String scopes;
            @Option(names = "--cluster-nodes", paramLabel = "NODES", description = "Only these nodes there.")
            String nodes;
            @Option(names = "--cluster-vmids", paramLabel = "RANGES", description = "Only these VMIDs there.")
            String vmids;
            @Option(names = "--cluster-pools", paramLabel = "POOLS", description = "Only these pools there.")
            String pools;
        }

        static final class LimitOptions {
            @Option(names = "--nodes", paramLabel = "NODES", description = "Allowed nodes, comma-separated.")
            String nodes;
            @Option(names = "--vmids", paramLabel = "RANGES", description = "Allowed VMIDs, e.g. 100-199,250.")
            String vmids;
            @Option(names = "--pools", paramLabel = "POOLS", description = "Allowed resource pools, comma-separated.")
            String pools;
            @Option(names = "--toolsets", paramLabel = "TOOLSETS", description = "Toolsets it may use (vm, ct, "
                    + "snapshot, backup, storage, tasks, cluster, system), comma-separated; it sees no other tools.")
            String toolsets;
            @Option(names = "--clusters", paramLabel = "CLUSTERS", description = "Clusters it may reach, "
                    + "comma-separated, as the configuration names them; it sees no other.")
            String clusters;
        }

        @Override
        public Integer call() throws Exception {
            Limits lim;
            Duration life;
            try {
                lim = limits == null ? Limits.NONE : LimitsFormat.parse(limits.nodes, limits.vmids, limits.pools)
                        .withToolsets(LimitsFormat.toolsets(limits.toolsets))
                        .withClusters(Clusters.checked(LimitsFormat.clusters(limits.clusters), "--clusters",
                                SecuritySetup.read(Home.locate())));
                if (confirm != null) {
                    lim = lim.withConfirm(LimitsFormat.risks(confirm, "--confirm"));
                }
                if (grants != null && !grants.isEmpty()) {
                    Map<String, Limits.ClusterGrant> all = new java.util.LinkedHashMap<>();
                    lim.clusters().forEach(n -> all.put(n, Limits.ClusterGrant.SAME));
                    Caller holder = Caller.builder().subject("new token").scopes(new LinkedHashSet<>(scopes.stream()
                            .map(String::strip).toList())).build();
                    for (ClusterGrantOptions g : grants) {
                        Limits.ClusterGrant grant = LimitsFormat.grant(g.scopes, g.nodes, g.vmids, g.pools);
                        for (String sc : grant.scopes()) {
                            if (!holder.hasScope(sc)) {
                                throw new IllegalArgumentException("--cluster-scopes: " + sc + " is not among the "
                                        + "token's scopes (--scopes); a cluster's scopes can only narrow them");
                            }
                        }
                        all.put(LimitsFormat.clusters(g.name).iterator().next(), grant);
                    }
                    lim = lim.withClusterGrants(all);
                    Clusters.checked(lim.clusters(), "--cluster", SecuritySetup.read(Home.locate()));
                }
                life = ttl == null ? (apiKey ? null : Duration.ofDays(30)) : parseDuration(ttl);
            } catch (IllegalArgumentException e) {
                where.out().println(e.getMessage());
                return 2;
            }
            Set<String> s = new LinkedHashSet<>();
            scopes.forEach(x -> s.add(x.strip()));
            Tokens tokens = where.tokens();
            Tokens.Issued issued;
            try {
                issued = apiKey ? tokens.issueApiKey(name, s, life, lim) : tokens.issueJwt(name, subject, s, life, lim);
            } catch (IllegalArgumentException e) {
                where.out().println(e.getMessage());
                return 2;
            }
            TokenRecord r = issued.record();
            if (where.json) {
                Map<String, Object> m = describe(r, Instant.now());
                m.put("token", issued.token());
                where.out().println(JSON.writeValueAsString(m));
            } else {
                where.out().println((apiKey ? "API key" : "Token") + " '" + r.name() + "' (id " + r.id() + "), scopes "
                        + String.join(" ", r.scopes()) + (r.limits().isNone() ? "" : ", limited to " + r.limits().describe())
                        + ", " + (r.expires() == null ? "valid until revoked" : "expires " + r.expires()) + ".");
                where.out().println("It is shown only now; clients send it as 'Authorization: Bearer <token>':");
                where.out().println();
                where.out().println(issued.token());
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists issued tokens and API keys (never "
            + "their values).")
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        Where where = new Where();

        @Option(names = "--all", description = "Include expired and revoked ones.")
        boolean all;

        @Override
        public Integer call() throws Exception {
            Instant now = Instant.now();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (TokenRecord r : where.tokens().list()) {
                if (all || r.state(now).equals("active")) {
                    rows.add(describe(r, now));
                }
            }
            if (where.json) {
                where.out().println(JSON.writeValueAsString(rows));
                return 0;
            }
            if (rows.isEmpty()) {
                where.out().println(all ? "No tokens have been issued." : "No active tokens. Create one with: proxmox-mcp "
                        + "token create --name NAME --scopes proxmox:read");
                return 0;
            }
            String format = "%-36s  %-7s  %-20s  %-8s  %-30s  %-20s  %s%n";
            where.out().printf(format, "ID", "KIND", "NAME", "STATE", "SCOPES", "EXPIRES", "LIMITS");
            for (Map<String, Object> m : rows) {
                where.out().printf(format, m.get("id"), m.get("kind"), m.getOrDefault("name", "-"), m.get("state"),
                        String.join(" ", (List<String>) cast(m.get("scopes"))), m.getOrDefault("expires", "never"),
                        m.getOrDefault("limits", "-"));
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a token or API key at once; a "
            + "running server refuses it from its next request on.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        Where where = new Where();

        @Parameters(arity = "0..1", paramLabel = "ID_OR_NAME", description = "The token's id or name (see token list).")
        String id;

        @Option(names = "--jti", paramLabel = "JTI", description = "Revoke a token issued elsewhere (signed with "
                + "SECRET_KEY) by its jti claim.")
        String jti;

        @Override
        public Integer call() throws Exception {
            if ((id == null) == (jti == null)) {
                where.out().println("Give the id or name of a token, or --jti for a token issued elsewhere.");
                return 2;
            }
            TokenRecord r;
            try {
                r = jti != null ? where.tokens().revokeJti(jti, null) : where.tokens().revoke(id);
            } catch (IllegalArgumentException e) {
                where.out().println(e.getMessage());
                return 1;
            }
            if (where.json) {
                where.out().println(JSON.writeValueAsString(describe(r, Instant.now())));
            } else {
                where.out().println("Revoked " + (r.name() == null ? "token " + r.id() : "'" + r.name() + "' (id " + r.id() + ")")
                        + " at " + r.revoked() + ".");
            }
            return 0;
        }
    }

    @Command(name = "rotate-key", mixinStandardHelpOptions = true, description = {
        "Starts signing new tokens with a new key. The old key keeps verifying the tokens it signed until they expire.",
        "Without --algorithm, the configured one (MCP_JWT_ALGORITHM, default HS256)."})
    static final class RotateKey implements Callable<Integer> {
        @Mixin
        Where where = new Where();

        @Option(names = "--algorithm", paramLabel = "ALG", description = "HS256, RS256 or ES256.")
        String algorithm;

        @Option(names = "--list", description = "Only list the signing keys (ids, algorithms, states; never secrets).")
        boolean list;

        @Override
        public Integer call() throws Exception {
            Tokens tokens = where.tokens();
            if (!list) {
                try {
                    where.out().println("New signing key " + tokens.rotateKey(algorithm) + ".");
                } catch (IllegalArgumentException | IllegalStateException e) {
                    where.out().println(e.getMessage());
                    return 2;
                }
            }
            for (String k : tokens.describeKeys()) {
                where.out().println("  " + k);
            }
            return 0;
        }
    }

    static Map<String, Object> describe(TokenRecord r, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("kind", r.kind());
        if (r.name() != null) {
            m.put("name", r.name());
        }
        if (r.subject() != null) {
            m.put("subject", r.subject());
        }
        m.put("state", r.state(now));
        m.put("scopes", r.scopes());
        if (!r.limits().isNone()) {
            m.put("limits", r.limits().describe());
        }
        if (r.issued() != null) {
            m.put("issued", r.issued().toString());
        }
        if (r.expires() != null) {
            m.put("expires", r.expires().toString());
        }
        if (r.revoked() != null) {
            m.put("revoked", r.revoked().toString());
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([smhdwy])");

    /** @return a duration written as 90s, 45m, 12h, 30d, 2w or 1y */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write a number and a unit: s, m, h, d, "
                    + "w or y, e.g. 30d");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "w" -> Duration.ofDays(7 * n);
            default -> Duration.ofDays(366 * n);
        };
        if (d.isZero()) {
            throw new IllegalArgumentException("A lifetime must be longer than zero");
        }
        return d;
    }
}
