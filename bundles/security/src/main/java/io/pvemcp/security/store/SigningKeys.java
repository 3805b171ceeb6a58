package io.pvemcp.security.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The signing keys of the tokens this server issues ({@code keys.json}, mode 0600): HMAC secrets for HS256, key
 * pairs for RS256 and ES256. One key is active and signs; keys retired by a rotation keep verifying the tokens
 * they signed until the last of those expires, then they are dropped. A key is found by its id ({@code kid}),
 * and a key verifies with its own algorithm only.
 */
public final class SigningKeys {

    /** The algorithms a key can have. */
    public static final List<String> ALGORITHMS = List.of("HS256", "RS256", "ES256");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter KID_DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private final List<Key> keys = new ArrayList<>();

    /**
     * One key.
     *
     * @param kid its id
     * @param alg {@code HS256}, {@code RS256} or {@code ES256}
     * @param created when it was made
     * @param retired when a rotation replaced it, or {@code null} while it signs
     * @param verifyUntil until when a retired key verifies, or {@code null}
     * @param secret the HMAC secret (HS256), or {@code null}
     * @param privateKey the private key (RS256, ES256), or {@code null}
     * @param publicKey the public key (RS256, ES256), or {@code null}
     */
    public record Key(String kid, String alg, Instant created, Instant retired, Instant verifyUntil, byte[] secret,
            PrivateKey privateKey, PublicKey publicKey) {

        /** @return the java-jwt algorithm that signs and verifies with this key, and with nothing else */
        Algorithm algorithm() {
            return switch (alg) {
                case "HS256" -> Algorithm.HMAC256(secret);
                case "RS256" -> Algorithm.RSA256((RSAPublicKey) publicKey, (RSAPrivateKey) privateKey);
                case "ES256" -> Algorithm.ECDSA256((ECPublicKey) publicKey, (ECPrivateKey) privateKey);
                default -> throw new IllegalStateException("unsupported algorithm " + alg);
            };
        }

        Key retire(Instant at, Instant until) {
            return new Key(kid, alg, created, at, until, secret, privateKey, publicKey);
        }

        @Override
        public String toString() {
            return "Key[" + kid + ", " + alg + (retired == null ? ", active" : ", retired") + "]";
        }
    }

    /**
     * A key made from a configured HMAC secret ({@code SECRET_KEY}). Its id is derived from the secret without
     * revealing it, so tokens name the secret that signed them.
     *
     * @param secret the secret, at least 32 characters
     * @param label distinguishes the current and the previous secret in messages
     * @return the key
     * @throws IllegalArgumentException if the secret is too short to be safe
     */
    public static Key fromSecret(String secret, String label) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalArgumentException(label + " is " + bytes.length + " bytes long; HS256 needs a secret of at "
                    + "least 32 bytes. Generate one with: openssl rand -base64 48");
        }
        return new Key("sk-" + fingerprint(bytes), "HS256", Instant.EPOCH, null, null, bytes, null, null);
    }

    private static String fingerprint(byte[] secret) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("proxmox-mcp key id\n".getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d.digest(secret)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads the key file.
     *
     * @param file {@code keys.json}; a missing file means no keys
     * @return the keys
     * @throws IOException if the file cannot be read or is damaged
     */
    public static SigningKeys load(Path file) throws IOException {
        return parse(Files.isRegularFile(file) ? Files.readAllBytes(file) : null, "file " + file);
    }

    /**
     * Reads keys as {@link #toBytes()} wrote them.
     *
     * @param doc the document, or {@code null} for no keys
     * @param where what holds it, for messages (e.g. {@code file data/security/keys.json})
     * @return the keys
     * @throws IOException if the document is damaged
     * @since 1.3
     */
    public static SigningKeys parse(byte[] doc, String where) throws IOException {
        SigningKeys ring = new SigningKeys();
        if (doc == null) {
            return ring;
        }
        Map<String, List<Map<String, String>>> m;
        try {
            m = JSON.readValue(doc, new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new IOException("The signing key " + where + " is damaged (" + e.getClass().getSimpleName()
                    + "); restore it from a backup, or move it away and issue new tokens", e);
        }
        for (Map<String, String> k : m.getOrDefault("keys", List.of())) {
            ring.keys.add(read(k, where));
        }
        return ring;
    }

    private static Key read(Map<String, String> k, String where) throws IOException {
        String alg = k.get("alg");
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            return switch (alg == null ? "" : alg) {
                case "HS256" -> new Key(k.get("kid"), alg, instant(k.get("created")), instant(k.get("retired")),
                        instant(k.get("verifyUntil")), b64.decode(k.get("secret")), null, null);
                case "RS256", "ES256" -> {
                    KeyFactory f = KeyFactory.getInstance(alg.equals("RS256") ? "RSA" : "EC");
                    yield new Key(k.get("kid"), alg, instant(k.get("created")), instant(k.get("retired")),
                            instant(k.get("verifyUntil")), null,
                            f.generatePrivate(new PKCS8EncodedKeySpec(b64.decode(k.get("private")))),
                            f.generatePublic(new X509EncodedKeySpec(b64.decode(k.get("public")))));
                }
                default -> throw new IOException("The signing key " + where + " has a key with the unknown algorithm '"
                        + alg + "'");
            };
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            throw new IOException("The signing key " + where + " has a damaged key " + k.get("kid"), e);
        }
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    /**
     * Writes the key file (mode 0600).
     *
     * @param file {@code keys.json}
     * @throws IOException if it cannot be written
     */
    public void save(Path file) throws IOException {
        SecureFiles.write(file, toBytes());
    }

    /**
     * @return the keys as a JSON document, secrets included
     * @throws IOException if they cannot be serialised
     * @since 1.3
     */
    public byte[] toBytes() throws IOException {
        List<Map<String, String>> out = new ArrayList<>();
        Base64.Encoder b64 = Base64.getEncoder();
        for (Key k : keys) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("kid", k.kid());
            m.put("alg", k.alg());
            m.put("created", k.created().toString());
            if (k.retired() != null) {
                m.put("retired", k.retired().toString());
                m.put("verifyUntil", k.verifyUntil().toString());
            }
            if (k.secret() != null) {
                m.put("secret", b64.encodeToString(k.secret()));
            } else {
                m.put("private", b64.encodeToString(k.privateKey().getEncoded()));
                m.put("public", b64.encodeToString(k.publicKey().getEncoded()));
            }
            out.add(m);
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(Map.of("keys", out));
    }

    /** @return every key, oldest first */
    public List<Key> all() {
        return List.copyOf(keys);
    }

    /** @return the key that signs new tokens, if there is one */
    public Optional<Key> active() {
        return keys.stream().filter(k -> k.retired() == null).max(Comparator.comparing(Key::created));
    }

    /**
     * @param kid a key id
     * @return the key, if it is still kept
     */
    public Optional<Key> byKid(String kid) {
        return keys.stream().filter(k -> k.kid().equals(kid)).findFirst();
    }

    /**
     * Makes a new key and adds it as the active one; the caller retires the previous one.
     *
     * @param alg {@code HS256}, {@code RS256} or {@code ES256}
     * @param now the current time
     * @return the new key
     * @throws IllegalArgumentException if the algorithm is not supported
     */
    public Key generate(String alg, Instant now) {
        String a = alg == null ? "HS256" : alg.strip().toUpperCase(Locale.ROOT);
        String kid = "k" + KID_DATE.format(now) + "-" + randomId(6);
        Key key;
        try {
            switch (a) {
                case "HS256" -> {
                    byte[] secret = new byte[48];
                    RANDOM.nextBytes(secret);
                    key = new Key(kid, a, now, null, null, secret, null, null);
                }
                case "RS256" -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(3072, RANDOM);
                    KeyPair p = g.generateKeyPair();
                    key = new Key(kid, a, now, null, null, null, p.getPrivate(), p.getPublic());
                }
                case "ES256" -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                    KeyPair p = g.generateKeyPair();
                    key = new Key(kid, a, now, null, null, null, p.getPrivate(), p.getPublic());
                }
                default -> throw new IllegalArgumentException("The signing algorithm '" + alg + "' is not supported; use "
                        + "one of " + String.join(", ", ALGORITHMS));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java cannot generate " + a + " keys", e);
        }
        keys.add(key);
        return key;
    }

    /**
     * Retires a key: it stops signing and verifies until {@code verifyUntil}.
     *
     * @param kid the key id
     * @param now the current time
     * @param verifyUntil when its last token expires
     */
    public void retire(String kid, Instant now, Instant verifyUntil) {
        keys.replaceAll(k -> k.kid().equals(kid) && k.retired() == null ? k.retire(now, verifyUntil) : k);
    }

    /**
     * Drops retired keys that no unexpired token needs any more.
     *
     * @param now the current time
     * @return the ids of the dropped keys
     */
    public List<String> prune(Instant now) {
        List<String> dropped = new ArrayList<>();
        keys.removeIf(k -> {
            boolean gone = k.retired() != null && k.verifyUntil() != null && k.verifyUntil().isBefore(now);
            if (gone) {
                dropped.add(k.kid());
            }
            return gone;
        });
        return dropped;
    }

    static String randomId(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }
}
