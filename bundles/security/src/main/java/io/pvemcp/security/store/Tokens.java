package io.pvemcp.security.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pvemcp.api.Limits;
import io.pvemcp.security.LimitsFormat;
import io.pvemcp.api.Scopes;

/**
 * Issues, lists, revokes and verifies the credentials of MCP clients, kept in one folder (the server's
 * {@code data/security}): signed JWTs ({@code keys.json} holds the signing keys) and opaque API keys, both
 * recorded in {@code tokens.json} (mode 0600) without the credential itself. Revocation is that record's
 * {@code revoked} time, so the denylist survives restarts. The server and the command line share the folder:
 * writes take its lock, and readers pick up changes when the files' modification time changes.
 * <p>
 * Thread-safe.
 */
public final class Tokens {

    /** The claim that carries a token's {@link Limits}. */
    public static final String LIMITS_CLAIM = "proxmox_limits";
    /** API keys start with this. */
    public static final String API_KEY_PREFIX = "pvemcp_";
    /** The longest lifetime of a JWT; longer-lived clients use API keys. */
    public static final Duration MAX_TTL = Duration.ofDays(366);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Pattern API_KEY = Pattern.compile("pvemcp_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");

    /**
     * How tokens are issued and verified.
     *
     * @param issuer the {@code iss} of issued tokens, and the only one accepted
     * @param audiences accepted {@code aud} values; the first goes into issued tokens (the MCP endpoint's URL)
     * @param secretKey an HS256 secret that signs instead of the key file ({@code SECRET_KEY}), or {@code null}
     * @param previousSecretKey a former secret that still verifies, or {@code null}
     * @param algorithm the algorithm of keys generated for the key file
     * @param leeway the clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}
     */
    public record Settings(String issuer, List<String> audiences, String secretKey, String previousSecretKey,
            String algorithm, Duration leeway) {

        /** Checks the settings. */
        public Settings {
            if (issuer == null || issuer.isBlank()) {
                throw new IllegalArgumentException("the token issuer is not configured");
            }
            if (audiences == null || audiences.isEmpty()) {
                throw new IllegalArgumentException("the token audience (the MCP endpoint URL) is not configured");
            }
            audiences = List.copyOf(audiences);
            secretKey = blankToNull(secretKey);
            previousSecretKey = blankToNull(previousSecretKey);
            algorithm = algorithm == null || algorithm.isBlank() ? "HS256" : algorithm.strip().toUpperCase(java.util.Locale.ROOT);
            if (!SigningKeys.ALGORITHMS.contains(algorithm)) {
                throw new IllegalArgumentException("The signing algorithm '" + algorithm + "' is not supported; use one "
                        + "of " + String.join(", ", SigningKeys.ALGORITHMS));
            }
            leeway = leeway == null ? Duration.ofSeconds(60) : leeway;
        }

        /**
         * The settings of a server whose MCP endpoint is {@code resource}: the audience is that URL (with or without
         * a trailing slash) and any further ones, the issuer its origin unless one is given. The server and the
         * command line derive them here, so that the tokens one issues are the tokens the other accepts.
         *
         * @param resource the MCP endpoint's URL as clients reach it
         * @param issuer the issuer, or {@code null}/blank for the resource's origin
         * @param moreAudiences further accepted audiences; blank entries are ignored
         * @param secretKey see {@link Settings}
         * @param previousSecretKey see {@link Settings}
         * @param algorithm see {@link Settings}
         * @param leeway see {@link Settings}
         * @return the settings
         */
        public static Settings forResource(String resource, String issuer, Collection<String> moreAudiences,
                String secretKey, String previousSecretKey, String algorithm, Duration leeway) {
            String r = resource.strip();
            Set<String> audiences = new LinkedHashSet<>();
            audiences.add(r);
            audiences.add(r.endsWith("/") ? r.substring(0, r.length() - 1) : r + "/");
            for (String a : moreAudiences) {
                if (a != null && !a.isBlank()) {
                    audiences.add(a.strip());
                }
            }
            String iss = issuer == null || issuer.isBlank() ? origin(r) : issuer.strip();
            return new Settings(iss, List.copyOf(audiences), secretKey, previousSecretKey, algorithm, leeway);
        }

        /**
         * @param url an absolute URL
         * @return its origin, e.g. {@code https://mcp.example.com:8443}
         */
        public static String origin(String url) {
            java.net.URI u = java.net.URI.create(url);
            return u.getScheme() + "://" + u.getRawAuthority();
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }
    }

    /**
     * A credential just issued: the only moment its value exists outside the client.
     *
     * @param token the JWT or API key
     * @param record what is remembered of it
     */
    public record Issued(String token, TokenRecord record) {
        @Override
        public String toString() {
            return "Issued[" + record.id() + "]";
        }
    }

    /**
     * A verified credential.
     *
     * @param subject the subject
     * @param scopes the scopes it grants
     * @param tokenId its id ({@code jti} or API key id)
     * @param name its name, or {@code null} for tokens issued elsewhere
     * @param limits its limits
     * @param expires its expiry, or {@code null}
     * @param kind {@link TokenRecord#JWT} or {@link TokenRecord#API_KEY}
     */
    public record Verified(String subject, Set<String> scopes, String tokenId, String name, Limits limits,
            Instant expires, String kind) {
    }

    /** A credential that was not accepted; the message says why, and holds no secret. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean unavailable;

        /**
         * @param message why, for the client; no secret
         * @since 1.2
         */
        public Refused(String message) {
            this(message, false);
        }

        /**
         * @param message why, for the client; no secret
         * @param unavailable whether the credential could not be checked at all (its store cannot be read), rather
         *        than found invalid
         * @since 1.3
         */
        public Refused(String message, boolean unavailable) {
            super(message, null, false, false);
            this.unavailable = unavailable;
        }

        /**
         * @return {@code true} when the credential could not be checked (try again), not found invalid
         * @since 1.3
         */
        public boolean unavailable() {
            return unavailable;
        }
    }

    private static final String KEYS = "keys.json";
    private static final String TOKENS = "tokens.json";

    private final Documents docs;
    private final Settings settings;
    private final Clock clock;
    private final SigningKeys.Key secretKey;
    private final SigningKeys.Key previousSecretKey;
    private final Map<String, JWTVerifier> verifiers = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Snapshot snapshot = new Snapshot(null, null, new SigningKeys(), Map.of());

    private record Snapshot(Object keysTime, Object tokensTime, SigningKeys keys, Map<String, TokenRecord> records) {
    }

    /**
     * @param dir the folder ({@code data/security})
     * @param settings how to issue and verify
     */
    public Tokens(Path dir, Settings settings) {
        this(dir, settings, Clock.systemUTC());
    }

    /**
     * @param dir the folder
     * @param settings how to issue and verify
     * @param clock the clock (tests)
     */
    public Tokens(Path dir, Settings settings, Clock clock) {
        this(Documents.folder(Objects.requireNonNull(dir, "dir")), settings, clock);
    }

    /**
     * @param docs where the records and keys are kept ({@code keys.json}, {@code tokens.json}): a folder, or a
     *        database that several servers share
     * @param settings how to issue and verify
     * @since 1.3
     */
    public Tokens(Documents docs, Settings settings) {
        this(docs, settings, Clock.systemUTC());
    }

    /**
     * @param docs where the records and keys are kept
     * @param settings how to issue and verify
     * @param clock the clock (tests)
     * @since 1.3
     */
    public Tokens(Documents docs, Settings settings, Clock clock) {
        this.docs = Objects.requireNonNull(docs, "docs");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = clock;
        this.secretKey = settings.secretKey() == null ? null : SigningKeys.fromSecret(settings.secretKey(), "SECRET_KEY");
        this.previousSecretKey = settings.previousSecretKey() == null ? null
                : SigningKeys.fromSecret(settings.previousSecretKey(), "SECRET_KEY_PREVIOUS");
    }

    /** @return the settings */
    public Settings settings() {
        return settings;
    }

    // ---- issuing

    /**
     * Issues a signed JWT.
     *
     * @param name a name for it, unique among active credentials
     * @param subject its subject, or {@code null} for the name
     * @param scopes the scopes it grants (from {@link Scopes})
     * @param ttl how long it is valid, at most {@link #MAX_TTL}
     * @param limits what it is confined to
     * @return the token and its record
     * @throws IOException if the files cannot be written
     * @throws IllegalArgumentException if an argument is invalid; the message says what to fix
     */
    public synchronized Issued issueJwt(String name, String subject, Set<String> scopes, Duration ttl, Limits limits) throws IOException {
        checkName(name);
        List<String> granted = checkScopes(scopes);
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("A token needs a positive lifetime, e.g. --ttl 30d");
        }
        if (ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("A token may live at most 366 days; for clients that cannot renew "
                    + "tokens, create an API key instead (--api-key)");
        }
        String sub = subject == null || subject.isBlank() ? name : subject.strip();
        Limits lim = limits == null ? Limits.NONE : limits;
        return docs.locked(() -> {
            reload(true);
            checkNameFree(name);
            SigningKeys.Key key = signingKey();
            Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            String jti = UUID.randomUUID().toString();
            var builder = JWT.create().withKeyId(key.kid()).withIssuer(settings.issuer())
                    .withAudience(settings.audiences().get(0)).withSubject(sub).withJWTId(jti).withIssuedAt(now)
                    .withNotBefore(now).withExpiresAt(now.plus(ttl)).withClaim("scope", String.join(" ", granted))
                    .withClaim("client_id", name);
            if (!lim.isNone()) {
                builder.withClaim(LIMITS_CLAIM, LimitsFormat.toClaim(lim));
            }
            String token = builder.sign(key.algorithm());
            TokenRecord r = new TokenRecord(jti, TokenRecord.JWT, name, sub, granted, lim, key.kid(), now, now.plus(ttl),
                    null, null);
            Map<String, TokenRecord> records = new LinkedHashMap<>(snapshot.records());
            records.put(jti, r);
            writeRecords(records);
            return new Issued(token, r);
        });
    }

    /**
     * Issues an opaque API key, for clients that cannot renew tokens. Only its hash is stored.
     *
     * @param name a name for it, unique among active credentials
     * @param scopes the scopes it grants
     * @param ttl how long it is valid, or {@code null} until revoked
     * @param limits what it is confined to
     * @return the key and its record
     * @throws IOException if the files cannot be written
     */
    public synchronized Issued issueApiKey(String name, Set<String> scopes, Duration ttl, Limits limits) throws IOException {
        checkName(name);
        List<String> granted = checkScopes(scopes);
        if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
            throw new IllegalArgumentException("An API key's lifetime must be positive, or left out for no expiry");
        }
        Limits lim = limits == null ? Limits.NONE : limits;
        return docs.locked(() -> {
            reload(true);
            checkNameFree(name);
            Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            String id = SigningKeys.randomId(6);
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            String key = API_KEY_PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            TokenRecord r = new TokenRecord(id, TokenRecord.API_KEY, name, name, granted, lim, null, now,
                    ttl == null ? null : now.plus(ttl), null, sha256(key));
            Map<String, TokenRecord> records = new LinkedHashMap<>(snapshot.records());
            records.put(id, r);
            writeRecords(records);
            return new Issued(key, r);
        });
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Give the credential a name of letters, digits, '.', '_', '@' and '-' "
                    + "(up to 64 characters) that says who uses it, e.g. --name claude-desktop");
        }
    }

    private void checkNameFree(String name) {
        Instant now = clock.instant();
        for (TokenRecord r : snapshot.records().values()) {
            if (name.equals(r.name()) && r.state(now).equals("active")) {
                throw new IllegalArgumentException("An active credential is already named '" + name + "'; choose "
                        + "another name, or revoke that one first");
            }
        }
    }

    private static List<String> checkScopes(Set<String> scopes) {
        if (scopes == null || scopes.isEmpty()) {
            throw new IllegalArgumentException("Give the scopes the credential grants, e.g. --scopes proxmox:read; "
                    + "known scopes: " + String.join(", ", Scopes.ALL) + ", " + Scopes.METRICS);
        }
        Set<String> out = new LinkedHashSet<>();
        for (String s : scopes) {
            String t = s.strip();
            if (!Scopes.isKnown(t)) {
                throw new IllegalArgumentException("Unknown scope '" + t + "'; known scopes: " + String.join(", ",
                        Scopes.ALL) + ", " + Scopes.METRICS);
            }
            out.add(t);
        }
        return List.copyOf(out);
    }

    private SigningKeys.Key signingKey() throws IOException {
        if (secretKey != null) {
            return secretKey;
        }
        Optional<SigningKeys.Key> active = snapshot.keys().active();
        if (active.isPresent()) {
            return active.get();
        }
        SigningKeys keys = loadKeys();
        SigningKeys.Key k = keys.generate(settings.algorithm(), clock.instant());
        docs.write(KEYS, keys.toBytes());
        reload(true);
        return k;
    }

    // ---- listing, revoking, rotating

    /**
     * @return every credential issued here, and revoked foreign tokens, oldest first
     * @throws IOException if the file cannot be read
     */
    public List<TokenRecord> list() throws IOException {
        reload(false);
        return List.copyOf(snapshot.records().values());
    }

    /**
     * Revokes a credential at once; a running server refuses it from its next request on.
     *
     * @param idOrName its id (the {@code jti}, or an API key's id) or its name
     * @return its record, now revoked
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if no credential or several match
     */
    public synchronized TokenRecord revoke(String idOrName) throws IOException {
        return docs.locked(() -> {
            reload(true);
            return revokeLocked(idOrName);
        });
    }

    private TokenRecord revokeLocked(String idOrName) throws IOException {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<TokenRecord> matches = new ArrayList<>();
        TokenRecord byId = snapshot.records().get(idOrName);
        if (byId != null) {
            matches.add(byId);
        } else {
            for (TokenRecord r : snapshot.records().values()) {
                if (idOrName.equals(r.name()) && r.revoked() == null) {
                    matches.add(r);
                }
            }
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("No credential has the id or name '" + idOrName + "'; list them with "
                    + "token list. To revoke a token issued elsewhere, give its jti with --jti");
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException(matches.size() + " credentials are named '" + idOrName + "'; revoke "
                    + "them by id");
        }
        TokenRecord r = matches.get(0);
        if (r.revoked() != null) {
            return r;
        }
        TokenRecord revoked = r.revokedAt(now);
        Map<String, TokenRecord> records = new LinkedHashMap<>(snapshot.records());
        records.put(r.id(), revoked);
        writeRecords(records);
        return revoked;
    }

    /**
     * Revokes a JWT this server did not issue (signed with {@code SECRET_KEY} by another tool), by its {@code jti}.
     *
     * @param jti the token's id
     * @param expires when it expires anyway (the entry is dropped after that), or {@code null} to keep it
     * @return the denylist entry
     * @throws IOException if the file cannot be written
     */
    public synchronized TokenRecord revokeJti(String jti, Instant expires) throws IOException {
        if (jti == null || jti.isBlank()) {
            throw new IllegalArgumentException("Give the jti of the token to revoke");
        }
        return docs.locked(() -> {
            reload(true);
            TokenRecord known = snapshot.records().get(jti);
            if (known != null) {
                return revokeLocked(jti);
            }
            Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            TokenRecord r = new TokenRecord(jti, TokenRecord.JWT, null, null, List.of(), Limits.NONE, null, null, expires,
                    now, null);
            Map<String, TokenRecord> records = new LinkedHashMap<>(snapshot.records());
            records.put(jti, r);
            writeRecords(records);
            return r;
        });
    }

    /**
     * Starts signing with a new key. The previous key verifies the tokens it signed until the last of them
     * expires, then it is dropped.
     *
     * @param algorithm the new key's algorithm, or {@code null} for the configured one
     * @return the new key's id and algorithm, e.g. {@code k20261124-1a2b3c (ES256)}
     * @throws IOException if the files cannot be written
     * @throws IllegalStateException when {@code SECRET_KEY} signs: then rotation means changing that setting
     */
    public synchronized String rotateKey(String algorithm) throws IOException {
        if (secretKey != null) {
            throw new IllegalStateException("Tokens are signed with SECRET_KEY, so rotate that: set the new secret as "
                    + "SECRET_KEY and the old one as SECRET_KEY_PREVIOUS until its tokens expire");
        }
        return docs.locked(() -> {
            reload(true);
            Instant now = clock.instant();
            SigningKeys keys = loadKeys();
            Optional<SigningKeys.Key> old = keys.active();
            SigningKeys.Key fresh = keys.generate(algorithm == null ? settings.algorithm() : algorithm, now);
            if (old.isPresent()) {
                Instant lastExpiry = now;
                for (TokenRecord r : snapshot.records().values()) {
                    if (old.get().kid().equals(r.kid()) && r.expires() != null && r.expires().isAfter(lastExpiry)) {
                        lastExpiry = r.expires();
                    }
                }
                keys.retire(old.get().kid(), now, lastExpiry.plus(settings.leeway()));
            }
            keys.prune(now);
            docs.write(KEYS, keys.toBytes());
            reload(true);
            return fresh.kid() + " (" + fresh.alg() + ")";
        });
    }

    /**
     * @return the signing keys, without their secrets: id, algorithm, state
     * @throws IOException if the file cannot be read
     */
    public List<String> describeKeys() throws IOException {
        reload(false);
        List<String> out = new ArrayList<>();
        if (secretKey != null) {
            out.add(secretKey.kid() + " HS256 SECRET_KEY (signs)");
        }
        if (previousSecretKey != null) {
            out.add(previousSecretKey.kid() + " HS256 SECRET_KEY_PREVIOUS (verifies)");
        }
        Optional<SigningKeys.Key> active = snapshot.keys().active();
        for (SigningKeys.Key k : snapshot.keys().all()) {
            String state = k.retired() != null ? "retired, verifies until " + k.verifyUntil()
                    : secretKey == null && active.isPresent() && active.get() == k ? "signs" : "verifies";
            out.add(k.kid() + " " + k.alg() + " created " + k.created() + " (" + state + ")");
        }
        return out;
    }

    // ---- verifying

    /**
     * Verifies a bearer credential: a JWT (signature with the key its {@code kid} names and that key's algorithm
     * only; {@code exp}, {@code nbf}, {@code iat} with the leeway; issuer; audience; not revoked) or an API key
     * (its hash; not expired; not revoked).
     *
     * @param credential the value after {@code Bearer }
     * @return what it grants
     * @throws Refused if it is not accepted; the message says why
     */
    public Verified verify(String credential) throws Refused {
        try {
            reload(false);
        } catch (IOException e) {
            throw new Refused("the server cannot read its token records now; try again shortly", true);
        }
        if (credential == null || credential.isBlank()) {
            throw new Refused("no token");
        }
        String c = credential.strip();
        if (c.startsWith(API_KEY_PREFIX)) {
            return verifyApiKey(c);
        }
        // a client sends its token with every request: a JWT verified against the current keys and records is
        // taken as verified again until it expires, or until a key or record changes (a revocation, a new key)
        Snapshot now = snapshot;
        Accepted hit = accepted.get(c);
        if (hit != null && hit.snapshot() == now && hit.verified().expires().plus(settings.leeway())
                .isAfter(clock.instant())) {
            return hit.verified();
        }
        Verified v = verifyJwt(c);
        if (accepted.size() >= MAX_ACCEPTED) {
            accepted.clear();
        }
        accepted.put(c, new Accepted(now, v));
        return v;
    }

    private record Accepted(Snapshot snapshot, Verified verified) {
    }

    private static final int MAX_ACCEPTED = 1024;
    private final Map<String, Accepted> accepted = new java.util.concurrent.ConcurrentHashMap<>();

    private Verified verifyApiKey(String key) throws Refused {
        var m = API_KEY.matcher(key);
        if (!m.matches()) {
            throw new Refused("malformed API key");
        }
        TokenRecord r = snapshot.records().get(m.group(1));
        if (r == null || !TokenRecord.API_KEY.equals(r.kind()) || r.hash() == null
                || !MessageDigest.isEqual(r.hash().getBytes(StandardCharsets.US_ASCII),
                        sha256(key).getBytes(StandardCharsets.US_ASCII))) {
            throw new Refused("unknown API key");
        }
        if (r.revoked() != null) {
            throw new Refused("the API key '" + r.name() + "' was revoked");
        }
        if (r.expires() != null && !r.expires().isAfter(clock.instant())) {
            throw new Refused("the API key '" + r.name() + "' expired at " + r.expires());
        }
        return new Verified(r.subject(), Set.copyOf(r.scopes()), r.id(), r.name(), r.limits(), r.expires(),
                TokenRecord.API_KEY);
    }

    private Verified verifyJwt(String token) throws Refused {
        DecodedJWT unverified;
        try {
            unverified = JWT.decode(token);
        } catch (JWTDecodeException e) {
            throw new Refused("malformed token: not a JWT");
        }
        Claim crit = unverified.getHeaderClaim("crit");
        if (!crit.isMissing()) {
            // RFC 7515 4.1.11: a recipient that does not understand a critical extension must reject the token; this
            // server understands none
            throw new Refused("the token's header names critical extensions (crit) this server does not support");
        }
        SigningKeys.Key key = keyFor(unverified.getKeyId());
        if (!key.alg().equals(unverified.getAlgorithm())) {
            throw new Refused("the token's algorithm " + unverified.getAlgorithm() + " is not accepted: its key "
                    + key.kid() + " signs with " + key.alg() + " only");
        }
        DecodedJWT jwt;
        try {
            jwt = verifiers.computeIfAbsent(key.kid() + "/" + key.alg(), k -> JWT.require(key.algorithm())
                    .withIssuer(settings.issuer()).withAnyOfAudience(settings.audiences().toArray(String[]::new))
                    .acceptLeeway(settings.leeway().toSeconds()).withClaimPresence("sub").withClaimPresence("exp")
                    .withClaimPresence("iat").withClaimPresence("jti").build()).verify(token);
        } catch (AlgorithmMismatchException e) {
            throw new Refused("the token's algorithm is not accepted");
        } catch (SignatureVerificationException e) {
            throw new Refused("the token's signature does not verify");
        } catch (TokenExpiredException e) {
            throw new Refused("the token expired at " + e.getExpiredOn());
        } catch (MissingClaimException e) {
            throw new Refused("the token has no " + e.getClaimName() + " claim");
        } catch (IncorrectClaimException e) {
            throw new Refused(incorrect(e));
        } catch (JWTVerificationException e) {
            throw new Refused("the token is not valid");
        }
        if (jwt.getExpiresAtAsInstant() == null || jwt.getIssuedAtAsInstant() == null || blank(jwt.getSubject())
                || blank(jwt.getId())) {
            throw new Refused("the token lacks one of the claims exp, iat, sub and jti, or has it empty");
        }
        if (jwt.getExpiresAtAsInstant().isAfter(jwt.getIssuedAtAsInstant().plus(MAX_TTL).plus(settings.leeway()))) {
            throw new Refused("the token's lifetime (iat to exp) is longer than " + MAX_TTL.toDays() + " days, the "
                    + "longest accepted; issue a shorter-lived token, or use an API key");
        }
        TokenRecord r = snapshot.records().get(jwt.getId());
        if (r != null && r.revoked() != null) {
            throw new Refused("the token" + (r.name() == null ? "" : " '" + r.name() + "'") + " was revoked");
        }
        Set<String> scopes = scopes(jwt);
        Limits limits;
        try {
            Claim claim = jwt.getClaim(LIMITS_CLAIM);
            limits = claim.isMissing() || claim.isNull() ? Limits.NONE : LimitsFormat.fromClaim(claim.asMap());
        } catch (RuntimeException e) {
            throw new Refused("the token's " + LIMITS_CLAIM + " claim is malformed");
        }
        String name = r != null ? r.name() : jwt.getClaim("client_id").asString();
        return new Verified(jwt.getSubject(), scopes, jwt.getId(), name, limits, jwt.getExpiresAtAsInstant(),
                TokenRecord.JWT);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * Whether a credential that was valid when a session opened still is: not revoked, not expired. Picks up
     * revocations other processes (the command line) wrote.
     *
     * @param tokenId the {@code jti} or API key id
     * @param expires when the credential expires, or {@code null}
     * @return {@code null} if it is still valid, otherwise why not
     */
    public String invalidated(String tokenId, Instant expires) {
        try {
            reload(false);
        } catch (IOException e) {
            return null;
        }
        if (expires != null && !expires.isAfter(clock.instant())) {
            return "it expired";
        }
        TokenRecord r = tokenId == null ? null : snapshot.records().get(tokenId);
        return r != null && r.revoked() != null ? "it was revoked" : null;
    }

    private static String incorrect(IncorrectClaimException e) {
        return switch (e.getClaimName()) {
            case "aud" -> "the token's audience is not this server";
            case "iss" -> "the token's issuer is not trusted here";
            case "nbf" -> "the token is not valid yet";
            case "iat" -> "the token was issued in the future";
            default -> "the token's " + e.getClaimName() + " claim is not accepted";
        };
    }

    private SigningKeys.Key keyFor(String kid) throws Refused {
        if (kid == null) {
            if (secretKey != null) {
                return secretKey;
            }
            Optional<SigningKeys.Key> active = snapshot.keys().active();
            if (active.isPresent()) {
                return active.get();
            }
            throw new Refused("the token names no signing key");
        }
        if (secretKey != null && secretKey.kid().equals(kid)) {
            return secretKey;
        }
        if (previousSecretKey != null && previousSecretKey.kid().equals(kid)) {
            return previousSecretKey;
        }
        SigningKeys.Key k = snapshot.keys().byKid(kid).orElseThrow(() -> new Refused("the token's signing key is unknown "
                + "here (rotated out, or issued by another server)"));
        if (k.retired() != null && k.verifyUntil() != null && k.verifyUntil().isBefore(clock.instant())) {
            throw new Refused("the token's signing key was retired");
        }
        return k;
    }

    private static Set<String> scopes(DecodedJWT jwt) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : List.of("scope", "scp")) {
            Claim c = jwt.getClaim(name);
            if (c.isMissing() || c.isNull()) {
                continue;
            }
            String s = c.asString();
            if (s != null) {
                for (String part : s.split("\\s+")) {
                    if (!part.isBlank()) {
                        out.add(part);
                    }
                }
            } else {
                List<String> list = c.asList(String.class);
                if (list != null) {
                    out.addAll(list);
                }
            }
        }
        return out;
    }

    // ---- files

    private void reload(boolean force) throws IOException {
        Object kt = docs.version(KEYS);
        Object tt = docs.version(TOKENS);
        Snapshot s = snapshot;
        if (!force && Objects.equals(kt, s.keysTime()) && Objects.equals(tt, s.tokensTime())) {
            return;
        }
        synchronized (this) {
            SigningKeys keys = Objects.equals(kt, s.keysTime()) && !force ? s.keys() : loadKeys();
            Map<String, TokenRecord> records = readRecords();
            if (!Objects.equals(kt, s.keysTime()) || force) {
                verifiers.clear();
            }
            snapshot = new Snapshot(kt, tt, keys, records);
        }
    }

    private SigningKeys loadKeys() throws IOException {
        return SigningKeys.parse(docs.read(KEYS), KEYS + " in " + docs.where());
    }

    private Map<String, TokenRecord> readRecords() throws IOException {
        Map<String, TokenRecord> out = new LinkedHashMap<>();
        byte[] doc = docs.read(TOKENS);
        if (doc == null) {
            return out;
        }
        List<Map<String, Object>> list;
        try {
            list = JSON.readValue(doc, new TypeReference<Map<String, List<Map<String, Object>>>>() {
            }).getOrDefault("tokens", List.of());
        } catch (IOException e) {
            throw new IOException("The token records " + TOKENS + " in " + docs.where() + " are damaged; restore "
                    + "them from a backup", e);
        }
        for (Map<String, Object> m : list) {
            @SuppressWarnings("unchecked")
            Map<String, Object> lim = (Map<String, Object>) m.get("limits");
            @SuppressWarnings("unchecked")
            List<String> scopes = (List<String>) m.getOrDefault("scopes", List.of());
            TokenRecord r = new TokenRecord(str(m, "id"), str(m, "kind"), str(m, "name"), str(m, "subject"),
                    List.copyOf(scopes), LimitsFormat.fromClaim(lim), str(m, "kid"), time(m, "issued"), time(m, "expires"),
                    time(m, "revoked"), str(m, "hash"));
            out.put(r.id(), r);
        }
        return out;
    }

    private void writeRecords(Map<String, TokenRecord> records) throws IOException {
        Instant now = clock.instant();
        List<Map<String, Object>> list = new ArrayList<>();
        for (TokenRecord r : records.values()) {
            // an expired token no longer needs its denylist entry or its record after a grace period
            if (r.expires() != null && r.expires().plus(Duration.ofDays(30)).isBefore(now)) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("kind", r.kind());
            put(m, "name", r.name());
            put(m, "subject", r.subject());
            m.put("scopes", r.scopes());
            if (!r.limits().isNone()) {
                m.put("limits", LimitsFormat.toClaim(r.limits()));
            }
            put(m, "kid", r.kid());
            put(m, "issued", r.issued());
            put(m, "expires", r.expires());
            put(m, "revoked", r.revoked());
            put(m, "hash", r.hash());
            list.add(m);
        }
        docs.write(TOKENS, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(Map.of("tokens", list)));
        reload(true);
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v.toString());
        }
    }

    private static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? null : v.toString();
    }

    private static Instant time(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? null : Instant.parse(v.toString());
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
