package io.pvemcp.security.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pvemcp.api.Limits;
import io.pvemcp.api.Scopes;
import io.pvemcp.security.LimitsFormat;
import io.pvemcp.security.store.Tokens;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer JWTs of an external OpenID Connect issuer (single sign-on): signed with a key of the issuer's JWKS (found
 * by discovery unless configured, cached, fetched again for an unknown {@code kid} at most every few seconds and at
 * the latest after an hour), an asymmetric algorithm that matches the key (never {@code none} or HMAC: RFC 8725),
 * {@code iss} exactly the issuer, {@code aud} one of ours, {@code exp} in the future, {@code typ} if present a JWT
 * access token's. Scopes come from the scope claim and from group mappings; group mappings may also bind the caller
 * to clusters; a {@code proxmox_limits} claim is read as in the server's own tokens.
 */
final class OidcIssuer {

    private static final Logger LOG = LoggerFactory.getLogger(OidcIssuer.class);
    private static final Set<String> ALGORITHMS = Set.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512");
    private static final Duration REFETCH_AFTER = Duration.ofSeconds(10);
    private static final Duration KEYS_LIVE = Duration.ofHours(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What members of a group get: scopes, and the clusters they reach (empty: every cluster). */
    record GroupGrant(String group, Set<String> scopes, Set<String> clusters) {

        /**
         * @param text {@code group=scope scope}, optionally {@code ;clusters=a,b}
         * @return the mapping
         * @throws IllegalArgumentException saying how to write it
         */
        static GroupGrant parse(String text) {
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + text + "' is no group mapping; write GROUP=SCOPE SCOPE "
                        + "(optionally ;clusters=NAME,NAME), e.g. ops=proxmox:read proxmox:power;clusters=lab");
            }
            String group = text.substring(0, eq).strip();
            String rest = text.substring(eq + 1);
            Set<String> clusters = Set.of();
            int semi = rest.indexOf(";clusters=");
            if (semi >= 0) {
                clusters = LimitsFormat.clusters(rest.substring(semi + ";clusters=".length()));
                rest = rest.substring(0, semi);
            }
            Set<String> scopes = new LinkedHashSet<>();
            for (String s : rest.split("[\\s,]+")) {
                if (s.isBlank()) {
                    continue;
                }
                if (!Scopes.isKnown(s)) {
                    throw new IllegalArgumentException("group mapping '" + text + "': '" + s + "' is not a scope; "
                            + "scopes are " + String.join(", ", Scopes.ALL));
                }
                scopes.add(s);
            }
            return new GroupGrant(group.startsWith("/") ? group.substring(1) : group, scopes, clusters);
        }
    }

    private record Keys(Map<String, PublicKey> byKid, Instant fetched) {
    }

    private final String issuer;
    private final String configuredJwksUri;
    private final List<String> audiences;
    private final String scopeClaim;
    private final String groupsClaim;
    private final String subjectClaim;
    private final List<GroupGrant> groups;
    private final Duration leeway;
    private final HttpClient http;
    private final Clock clock;
    private volatile Keys keys = new Keys(Map.of(), Instant.EPOCH);
    private volatile String jwksUri;

    OidcIssuer(String issuer, String jwksUri, List<String> audiences, String scopeClaim, String groupsClaim,
            String subjectClaim, List<GroupGrant> groups, Duration leeway, HttpClient http, Clock clock) {
        this.issuer = issuer.strip();
        secure(this.issuer, "the OpenID Connect issuer");
        this.configuredJwksUri = jwksUri == null || jwksUri.isBlank() ? null : jwksUri.strip();
        if (configuredJwksUri != null) {
            secure(configuredJwksUri, "the JWKS URI");
        }
        this.audiences = List.copyOf(audiences);
        if (this.audiences.isEmpty()) {
            throw new IllegalArgumentException("the OpenID Connect audience is not configured");
        }
        this.scopeClaim = scopeClaim;
        this.groupsClaim = groupsClaim;
        this.subjectClaim = subjectClaim;
        this.groups = List.copyOf(groups);
        this.leeway = leeway;
        this.http = http;
        this.clock = clock;
    }

    /** https, or http on the loopback interface only (a provider on the same machine, a test) */
    private static void secure(String url, String what) {
        URI u = URI.create(url);
        boolean loopback = "localhost".equalsIgnoreCase(u.getHost()) || "127.0.0.1".equals(u.getHost())
                || "[::1]".equals(u.getHost());
        if (!"https".equalsIgnoreCase(u.getScheme()) && !("http".equalsIgnoreCase(u.getScheme()) && loopback)) {
            throw new IllegalArgumentException(what + " must be an https URL (http only on the loopback interface): "
                    + url);
        }
    }

    String issuer() {
        return issuer;
    }

    /** @return whether a token names this issuer (its signature not yet checked) */
    boolean issued(DecodedJWT unverified) {
        return issuer.equals(unverified.getIssuer());
    }

    /**
     * @return the token as verified before, while it has not expired and the keys it was verified with are the
     *         current ones; otherwise {@code null}
     */
    Tokens.Verified cached(String token) {
        Accepted hit = accepted.get(token);
        return hit != null && hit.keys() == keys && hit.verified().expires().plus(leeway).isAfter(clock.instant())
                ? hit.verified() : null;
    }

    Tokens.Verified verify(String token) throws Tokens.Refused {
        DecodedJWT unverified;
        try {
            unverified = JWT.decode(token);
        } catch (JWTDecodeException e) {
            throw new Tokens.Refused("malformed token: not a JWT");
        }
        return verify(token, unverified);
    }

    /** @param unverified the token decoded, its signature not yet checked */
    Tokens.Verified verify(String token, DecodedJWT unverified) throws Tokens.Refused {
        Tokens.Verified known = cached(token);
        if (known != null) {
            return known;
        }
        Tokens.Verified v = check(token, unverified);
        if (accepted.size() >= MAX_ACCEPTED) {
            accepted.clear();
        }
        // taken as verified again only while these keys (fetched again hourly, or for a new kid) are the current ones
        accepted.put(token, new Accepted(keys, v));
        return v;
    }

    private record Accepted(Keys keys, Tokens.Verified verified) {
    }

    private static final int MAX_ACCEPTED = 1024;
    private final Map<String, Accepted> accepted = new java.util.concurrent.ConcurrentHashMap<>();

    private Tokens.Verified check(String token, DecodedJWT unverified) throws Tokens.Refused {
        if (!unverified.getHeaderClaim("crit").isMissing()) {
            throw new Tokens.Refused("the token's header names critical extensions (crit) this server does not "
                    + "support");
        }
        String typ = unverified.getType();
        if (typ != null && !typ.equalsIgnoreCase("JWT") && !typ.equalsIgnoreCase("at+jwt")
                && !typ.equalsIgnoreCase("application/at+jwt")) {
            throw new Tokens.Refused("the token's type " + typ + " is not an access token's");
        }
        String alg = unverified.getAlgorithm();
        if (!ALGORITHMS.contains(alg)) {
            throw new Tokens.Refused("the token's algorithm " + alg + " is not accepted from " + issuer + " (only "
                    + String.join(", ", new java.util.TreeSet<>(ALGORITHMS)) + ")");
        }
        String kid = unverified.getKeyId();
        PublicKey key = key(kid);
        Algorithm algorithm = algorithm(alg, key);
        DecodedJWT jwt;
        try {
            jwt = JWT.require(algorithm).withIssuer(issuer).withAnyOfAudience(audiences.toArray(String[]::new))
                    .acceptLeeway(leeway.toSeconds()).withClaimPresence("exp").withClaimPresence("sub").build()
                    .verify(token);
        } catch (SignatureVerificationException e) {
            throw new Tokens.Refused("the token's signature does not verify");
        } catch (TokenExpiredException e) {
            throw new Tokens.Refused("the token expired at " + e.getExpiredOn());
        } catch (MissingClaimException e) {
            throw new Tokens.Refused("aud".equals(e.getClaimName()) ? notForUs() : "the token has no "
                    + e.getClaimName() + " claim");
        } catch (IncorrectClaimException e) {
            throw new Tokens.Refused("aud".equals(e.getClaimName()) ? notForUs() : "the token's " + e.getClaimName()
                    + " claim is not accepted");
        } catch (JWTVerificationException e) {
            throw new Tokens.Refused("the token is not valid");
        }
        Set<String> scopes = new LinkedHashSet<>();
        Claim scopeClaimValue = scopeClaim == null || scopeClaim.isBlank() || scopeClaim.equals("none") ? null
                : jwt.getClaim(scopeClaim);
        for (String s : strings(scopeClaimValue)) {
            for (String part : s.split(" ")) {
                if (Scopes.isKnown(part)) {
                    scopes.add(part);
                }
            }
        }
        Set<String> clusters = new LinkedHashSet<>();
        boolean everyCluster = false;
        boolean mapped = false;
        Set<String> memberOf = new LinkedHashSet<>();
        for (String g : strings(jwt.getClaim(groupsClaim))) {
            memberOf.add(g.startsWith("/") ? g.substring(1) : g);
        }
        for (GroupGrant g : groups) {
            if (memberOf.contains(g.group())) {
                mapped = true;
                scopes.addAll(g.scopes());
                everyCluster |= g.clusters().isEmpty();
                clusters.addAll(g.clusters());
            }
        }
        Limits limits;
        try {
            Claim claim = jwt.getClaim(Tokens.LIMITS_CLAIM);
            limits = claim.isMissing() || claim.isNull() ? Limits.NONE : LimitsFormat.fromClaim(claim.asMap());
        } catch (RuntimeException e) {
            throw new Tokens.Refused("the token's " + Tokens.LIMITS_CLAIM + " claim is malformed");
        }
        if (mapped && !everyCluster && limits.clusters().isEmpty()) {
            limits = limits.withClusters(clusters);
        }
        String subject = jwt.getClaim(subjectClaim).asString();
        subject = subject == null || subject.isBlank() ? jwt.getSubject() : subject;
        String name = first(jwt, "preferred_username", "azp", "client_id");
        // one id per user, not per token: the provider's tokens live minutes and a client renews them, while its MCP
        // session, its rate limits and the expiry its session is held to follow the user (the latest token's expiry)
        String id = "oidc:" + jwt.getSubject();
        return new Tokens.Verified(subject, scopes, id, name, limits, jwt.getExpiresAtAsInstant(), "oidc");
    }

    private String notForUs() {
        return "the token is not meant for this server (its audience is not " + audiences.get(0) + "; the identity "
                + "provider must add it, in Keycloak with an Audience mapper)";
    }

    private static String first(DecodedJWT jwt, String... claims) {
        for (String c : claims) {
            String v = jwt.getClaim(c).asString();
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static List<String> strings(Claim c) {
        if (c == null || c.isMissing() || c.isNull()) {
            return List.of();
        }
        String one = c.asString();
        if (one != null) {
            return List.of(one);
        }
        List<String> many = c.asList(String.class);
        return many == null ? List.of() : many;
    }

    private static Algorithm algorithm(String alg, PublicKey key) throws Tokens.Refused {
        if (alg.startsWith("RS") && key instanceof RSAPublicKey rsa) {
            return switch (alg) {
                case "RS256" -> Algorithm.RSA256(rsa, null);
                case "RS384" -> Algorithm.RSA384(rsa, null);
                default -> Algorithm.RSA512(rsa, null);
            };
        }
        if (alg.startsWith("ES") && key instanceof ECPublicKey ec) {
            return switch (alg) {
                case "ES256" -> Algorithm.ECDSA256(ec, null);
                case "ES384" -> Algorithm.ECDSA384(ec, null);
                default -> Algorithm.ECDSA512(ec, null);
            };
        }
        throw new Tokens.Refused("the token's algorithm " + alg + " does not fit its key");
    }

    /** @return the issuer's key with this id, fetching the JWKS again when it is unknown or old */
    private PublicKey key(String kid) throws Tokens.Refused {
        Keys k = keys;
        Instant now = clock.instant();
        PublicKey found = find(k, kid);
        boolean old = k.fetched().plus(KEYS_LIVE).isBefore(now);
        if ((found == null || old) && k.fetched().plus(REFETCH_AFTER).isBefore(now)) {
            synchronized (this) {
                k = keys;
                if (k.fetched().plus(REFETCH_AFTER).isBefore(clock.instant())) {
                    try {
                        k = fetch();
                        keys = k;
                    } catch (IOException e) {
                        LOG.warn("The keys of OpenID Connect issuer {} could not be fetched: {}", issuer,
                                e.getMessage());
                        if (found == null) {
                            throw new Tokens.Refused("the keys of the issuer " + issuer + " cannot be fetched now");
                        }
                        return found;
                    }
                }
            }
            found = find(k, kid);
        }
        if (found == null) {
            throw new Tokens.Refused(kid == null ? "the token names no key (kid) and the issuer has several"
                    : "the issuer " + issuer + " has no key " + kid);
        }
        return found;
    }

    private static PublicKey find(Keys k, String kid) {
        if (kid == null) {
            return k.byKid().size() == 1 ? k.byKid().values().iterator().next() : null;
        }
        return k.byKid().get(kid);
    }

    private Keys fetch() throws IOException {
        String uri = jwksUri;
        if (uri == null) {
            uri = configuredJwksUri != null ? configuredJwksUri : discover();
            jwksUri = uri;
        }
        JsonNode jwks = get(uri);
        Map<String, PublicKey> out = new LinkedHashMap<>();
        for (JsonNode k : jwks.path("keys")) {
            String use = k.path("use").asText("sig");
            if (!"sig".equals(use)) {
                continue;
            }
            try {
                PublicKey key = switch (k.path("kty").asText()) {
                    case "RSA" -> KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                            number(k, "n"), number(k, "e")));
                    case "EC" -> ec(k);
                    default -> null;
                };
                if (key != null) {
                    out.put(k.path("kid").asText(Integer.toString(out.size())), key);
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                LOG.warn("Skipping key {} of issuer {}: {}", k.path("kid").asText("?"), issuer, e.getMessage());
            }
        }
        LOG.info("OpenID Connect issuer {}: {} signing keys from {}", issuer, out.size(), uri);
        return new Keys(Map.copyOf(out), clock.instant());
    }

    private String discover() throws IOException {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        JsonNode config = get(base + "/.well-known/openid-configuration");
        if (!issuer.equals(config.path("issuer").asText())) {
            throw new IOException("the discovery document names the issuer " + config.path("issuer").asText()
                    + ", not " + issuer);
        }
        String uri = config.path("jwks_uri").asText(null);
        if (uri == null) {
            throw new IOException("the discovery document has no jwks_uri");
        }
        secure(uri, "the JWKS URI");
        return uri;
    }

    private JsonNode get(String uri) throws IOException {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IOException(uri + " answered HTTP " + r.statusCode());
            }
            return JSON.readTree(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static BigInteger number(JsonNode k, String member) {
        String v = k.path(member).asText(null);
        if (v == null) {
            throw new IllegalArgumentException("no " + member);
        }
        return new BigInteger(1, Base64.getUrlDecoder().decode(v));
    }

    private static PublicKey ec(JsonNode k) throws GeneralSecurityException {
        String curve = switch (k.path("crv").asText()) {
            case "P-256" -> "secp256r1";
            case "P-384" -> "secp384r1";
            case "P-521" -> "secp521r1";
            default -> throw new IllegalArgumentException("unsupported curve " + k.path("crv").asText());
        };
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec(curve));
        ECParameterSpec spec = p.getParameterSpec(ECParameterSpec.class);
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(number(k, "x"),
                number(k, "y")), spec));
    }

    /** @return the configured group mappings, read; one value may hold several, separated by '|' or new lines */
    static List<GroupGrant> groups(String[] mappings) {
        List<GroupGrant> out = new ArrayList<>();
        for (String value : mappings) {
            for (String m : value == null ? new String[0] : value.split("[|\\n]")) {
                if (!m.isBlank()) {
                    out.add(GroupGrant.parse(m.strip()));
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "OpenID Connect issuer " + issuer + " (audience " + String.join(", ", audiences) + ", groups "
                + groups.size() + ")";
    }
}
