package io.pvemcp.security.internal;

import java.net.URI;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.pvemcp.api.Caller;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.SecretValues;
import io.pvemcp.api.metrics.MetricSource;
import io.pvemcp.api.metrics.MetricWriter;
import io.pvemcp.security.Admission;
import io.pvemcp.security.AuditEvent;
import io.pvemcp.security.AuditLog;
import io.pvemcp.security.Gatekeeper;
import io.pvemcp.security.store.SharedState;
import io.pvemcp.security.store.Tokens;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits requests with a valid bearer credential, as an OAuth 2.1 resource server (MCP authorization,
 * 2025-11-25): 401 with a {@code WWW-Authenticate} challenge that points at the protected resource metadata,
 * 403 {@code insufficient_scope} for credentials without any scope of this server, 429 with a retry time for
 * credentials over their rate (tool calls and other messages each have their own) and for the invalid credentials
 * of an address with too many failed attempts.
 */
@Component(service = {Gatekeeper.class, MetricSource.class}, configurationPid = "io.pvemcp.security")
@Designate(ocd = SecurityConfig.class)
public final class GatekeeperComponent implements Gatekeeper, MetricSource {

    private final LongAdder limitedMessages = new LongAdder();
    private final LongAdder limitedCalls = new LongAdder();
    private final LongAdder limitedLogins = new LongAdder();
    private final LongAdder invalidCredentials = new LongAdder();

    @Override
    public void collect(MetricWriter out) {
        String help = "Requests refused for their rate: MCP messages and REST requests, tool calls, failed "
                + "authentication attempts of an address";
        out.counter("pvemcp_rate_limited_total", help, Map.of("kind", "messages"), limitedMessages.sum());
        out.counter("pvemcp_rate_limited_total", help, Map.of("kind", "tool_calls"), limitedCalls.sum());
        out.counter("pvemcp_rate_limited_total", help, Map.of("kind", "failed_logins"), limitedLogins.sum());
        out.counter("pvemcp_invalid_credentials_total", "Requests refused with 401 for an invalid, expired or revoked "
                + "credential", Map.of(), invalidCredentials.sum());
    }

    private static final Logger LOG = LoggerFactory.getLogger(GatekeeperComponent.class);
    static final String ENDPOINT_SCOPE = Scopes.READ;

    private final boolean enabled;
    private final Tokens tokens;
    /** The external OpenID Connect issuer whose tokens are accepted too, or {@code null}. */
    private final OidcIssuer oidc;
    private final String resource;
    private final String metadataUrl;
    private final List<String> authorizationServers;
    private final TokenBuckets calls;
    private final TokenBuckets messages;
    private final TokenBuckets failures;
    /** When the credentials admitted so far expire, by token id: sessions end with them. */
    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED = 100_000;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile AuditLog audit;

    @Activate
    public GatekeeperComponent(SecurityConfig config, @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY) SecretValues secrets,
            @Reference(name = "state", cardinality = ReferenceCardinality.OPTIONAL,
                    policyOption = ReferencePolicyOption.GREEDY) SharedState state) {
        this(config, System::nanoTime, secrets, state);
    }

    GatekeeperComponent(SecurityConfig config, java.util.function.LongSupplier nanos) {
        this(config, nanos, null, null);
    }

    /**
     * @param state the state replicas share, or {@code null} for the files of {@code data.dir}; with a state
     *        database configured, the launcher makes this reference mandatory ({@code state.cardinality.minimum})
     */
    GatekeeperComponent(SecurityConfig config, java.util.function.LongSupplier nanos, SecretValues secrets,
            SharedState state) {
        this.enabled = config.enabled();
        this.resource = config.resource().strip();
        Tokens.Settings settings = Tokens.Settings.forResource(resource, config.issuer(), List.of(config.audiences()),
                SecretValues.resolve(secrets, config.secret_key()), SecretValues.resolve(secrets, config.secret_key_previous()),
                config.algorithm(),
                Duration.ofSeconds(config.clock_skew_s()));
        URI uri = URI.create(resource);
        String path = uri.getRawPath() == null || uri.getRawPath().equals("/") ? "" : uri.getRawPath();
        this.metadataUrl = Tokens.Settings.origin(resource) + "/.well-known/oauth-protected-resource" + path;
        List<String> servers = new ArrayList<>();
        for (String s : config.authorization_servers()) {
            if (!s.isBlank()) {
                servers.add(s.strip());
            }
        }
        String oidcIssuer = config.oidc_issuer() == null ? "" : config.oidc_issuer().strip();
        if (oidcIssuer.isEmpty()) {
            this.oidc = null;
        } else {
            List<String> oidcAudiences = new ArrayList<>();
            for (String a : config.oidc_audiences()) {
                if (!a.isBlank()) {
                    oidcAudiences.add(a.strip());
                }
            }
            this.oidc = new OidcIssuer(oidcIssuer, config.oidc_jwks_uri(), oidcAudiences.isEmpty()
                    ? settings.audiences() : oidcAudiences, config.oidc_scope_claim(), config.oidc_groups_claim(),
                    config.oidc_subject_claim(), OidcIssuer.groups(config.oidc_group_scopes()),
                    Duration.ofSeconds(config.clock_skew_s()), java.net.http.HttpClient.newBuilder()
                            .connectTimeout(Duration.ofSeconds(5)).build(), java.time.Clock.systemUTC());
            LOG.info("Accepting tokens of {}", oidc);
        }
        // clients that follow the MCP authorization flow get their tokens where single sign-on is
        this.authorizationServers = !servers.isEmpty() ? List.copyOf(servers)
                : oidc != null ? List.of(oidc.issuer()) : List.of(settings.issuer());
        this.tokens = state == null ? new Tokens(Path.of(config.data_dir()), settings)
                : new Tokens(state.documents(), settings);
        this.calls = new TokenBuckets(config.rate_per_minute(), config.rate_burst(), nanos);
        this.messages = new TokenBuckets(Math.max(config.messages_per_minute(), config.rate_per_minute()),
                Math.max(config.messages_burst(), config.rate_burst()), nanos);
        this.failures = new TokenBuckets(config.failures_per_minute(), config.failures_per_minute(), nanos);
        if (!enabled) {
            LOG.warn("Authentication is OFF: the MCP endpoint serves loopback clients only, each with every scope.");
        }
    }

    @Override
    public Admission admit(String authorization, String remoteAddress, boolean loopback) {
        if (!enabled) {
            if (!loopback) {
                return new Admission(403, null, null, "Authentication is switched off, so this server serves clients on "
                        + "the same machine only", null, 0);
            }
            return Admission.admit(Caller.ANONYMOUS.toBuilder().remoteAddress(remoteAddress).build());
        }
        String address = remoteAddress == null ? "?" : remoteAddress;
        String credential = bearer(authorization);
        if (credential == null) {
            String description = authorization == null || authorization.isBlank()
                    ? "This MCP server needs a bearer token: send 'Authorization: Bearer <token>'. Create one with "
                            + "'proxmox-mcp token create'"
                    : "The Authorization header must be 'Bearer <token>'";
            if (authorization != null && !authorization.isBlank()) {
                Admission slowed = failed(address);
                if (slowed != null) {
                    return slowed;
                }
            }
            return new Admission(401, null, null, description, challenge(null, null), 0);
        }
        Tokens.Verified v;
        try {
            v = verify(credential);
        } catch (Tokens.Refused e) {
            if (e.unavailable()) {
                // the token store (the state database of replicas) cannot be read: neither the client's fault nor a
                // reason to accept what cannot be checked; readiness takes this server out of its load balancer
                LOG.warn("Cannot check a bearer token from {}: {}", address, e.getMessage());
                return new Admission(503, null, null, "The server cannot check credentials now: " + e.getMessage(),
                        null, 2);
            }
            // only failures count against the address, and only failures are slowed down: every local client (and,
            // behind a proxy, every client) shares one address, and a valid credential is never refused for others'
            Admission slowed = failed(address);
            if (slowed != null) {
                return slowed;
            }
            invalidCredentials.increment();
            LOG.info("Refused a bearer token from {}: {}", address, e.getMessage());
            return new Admission(401, null, "invalid_token", "Invalid bearer token: " + e.getMessage(),
                    challenge("invalid_token", e.getMessage()), 0);
        }
        if (v.scopes().stream().noneMatch(Scopes::isKnown)) {
            return new Admission(403, null, "insufficient_scope", "The token grants none of this server's scopes ("
                    + String.join(", ", Scopes.ALL) + "); it needs at least " + ENDPOINT_SCOPE,
                    challenge("insufficient_scope", "the token grants none of this server's scopes"), 0);
        }
        long wait = messages.take("token:" + v.tokenId());
        if (wait > 0) {
            limitedMessages.increment();
            return new Admission(429, null, null, "Rate limit exceeded for token " + label(v.tokenId(), v.name())
                    + ": too many requests; try again in " + wait + " s", null, wait);
        }
        if (v.expires() != null) {
            if (expiries.size() > MAX_REMEMBERED) {
                Instant now = Instant.now();
                expiries.values().removeIf(t -> t.isBefore(now));
            }
            expiries.put(v.tokenId(), v.expires());
        }
        Set<String> scopes = new LinkedHashSet<>();
        v.scopes().stream().filter(Scopes::isKnown).forEach(scopes::add);
        return Admission.admit(Caller.builder().subject(v.subject()).scopes(scopes).authenticated(true)
                .tokenId(v.tokenId()).tokenName(v.name()).limits(v.limits()).remoteAddress(remoteAddress).build());
    }

    /**
     * A credential of the server's own, or a token of the OpenID Connect issuer: each kind is verified once and then
     * found in its verifier's cache, so neither pays for the other on every request.
     */
    private Tokens.Verified verify(String credential) throws Tokens.Refused {
        if (oidc == null) {
            return tokens.verify(credential);
        }
        Tokens.Verified known = oidc.cached(credential);
        if (known != null) {
            return known;
        }
        try {
            return tokens.verify(credential);
        } catch (Tokens.Refused own) {
            com.auth0.jwt.interfaces.DecodedJWT unverified;
            try {
                unverified = com.auth0.jwt.JWT.decode(credential.strip());
            } catch (com.auth0.jwt.exceptions.JWTDecodeException e) {
                throw own;
            }
            if (!oidc.issued(unverified)) {
                throw own;
            }
            return oidc.verify(credential.strip(), unverified);
        }
    }

    /** Counts a failed attempt; @return the 429 when the address exceeds its allowance, otherwise {@code null} */
    private Admission failed(String address) {
        long wait = failures.take(address);
        if (wait <= 0) {
            return null;
        }
        limitedLogins.increment();
        return new Admission(429, null, null, "Too many failed authentication attempts from " + address
                + "; try again in " + wait + " s (a valid token is admitted at any time)", null, wait);
    }

    @Override
    public Admission chargeCall(Caller caller, String tool, Map<String, Object> arguments) {
        if (!enabled || caller == null || caller.tokenId() == null) {
            return null;
        }
        long wait = calls.take("token:" + caller.tokenId());
        if (wait <= 0) {
            return null;
        }
        limitedCalls.increment();
        String message = "Rate limit exceeded for token " + label(caller.tokenId(), caller.tokenName())
                + ": too many tool calls; try again in " + wait + " s";
        AuditLog log = audit;
        if (log != null) {
            log.record(new AuditEvent(Instant.now(), caller, "tools/call", tool, arguments == null ? Map.of()
                    : arguments, "rate-limited", message, 0, List.of()));
        }
        return new Admission(429, null, null, message, null, wait);
    }

    @Override
    public String invalidated(Caller caller) {
        if (!enabled || caller == null || caller.tokenId() == null) {
            return null;
        }
        return tokens.invalidated(caller.tokenId(), expiries.get(caller.tokenId()));
    }

    private static String label(String id, String name) {
        return name == null ? id : "'" + name + "'";
    }

    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.strip();
        if (a.length() < 7 || !a.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        String token = a.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    private String challenge(String error, String description) {
        StringBuilder sb = new StringBuilder("Bearer resource_metadata=\"").append(metadataUrl).append('"');
        sb.append(", scope=\"").append(ENDPOINT_SCOPE).append('"');
        if (error != null) {
            sb.append(", error=\"").append(error).append('"');
        }
        if (description != null) {
            sb.append(", error_description=\"").append(description.replaceAll("[\"\\\\\\p{Cntrl}]", "'")).append('"');
        }
        return sb.toString();
    }

    @Override
    public boolean authenticationRequired() {
        return enabled;
    }

    @Override
    public String resourceMetadataUrl() {
        return metadataUrl;
    }

    @Override
    public Map<String, Object> resourceMetadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resource", resource);
        m.put("authorization_servers", authorizationServers);
        m.put("scopes_supported", Scopes.ALL);
        m.put("bearer_methods_supported", List.of("header"));
        m.put("resource_name", "Proxmox MCP Server");
        return m;
    }
}
