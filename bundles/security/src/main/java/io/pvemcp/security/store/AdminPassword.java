package io.pvemcp.security.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The administrator password of the admin console, kept as a salted PBKDF2-HMAC-SHA256 hash in
 * {@code admin.password} (mode 0600) of the console's folder; the password itself is never stored. There is no
 * default: until one is set, the console accepts administrator tokens only.
 */
public final class AdminPassword {

    /** The file name inside the console folder. */
    public static final String FILE = "admin.password";
    /** Passwords shorter than this are refused. */
    public static final int MIN_LENGTH = 12;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int ITERATIONS = 210_000;

    private AdminPassword() {
    }

    /**
     * @param password the password
     * @return {@code pbkdf2-sha256$iterations$salt$hash} (base64)
     * @throws IllegalArgumentException if the password is too short
     */
    public static String hash(char[] password) {
        if (password.length < MIN_LENGTH) {
            throw new IllegalArgumentException("The administrator password must have at least " + MIN_LENGTH
                    + " characters.");
        }
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, ITERATIONS));
    }

    /**
     * @param password what was typed
     * @param stored a value from {@link #hash(char[])}
     * @return {@code true} if it matches; compares in constant time
     */
    public static boolean verify(char[] password, String stored) {
        String[] p = stored == null ? new String[0] : stored.strip().split("\\$");
        if (p.length != 4 || !p[0].equals(SCHEME)) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(p[1]);
            byte[] salt = Base64.getDecoder().decode(p[2]);
            byte[] expected = Base64.getDecoder().decode(p[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Sets the password.
     *
     * @param dir the console folder
     * @param password the new password
     * @throws IOException if the file cannot be written
     */
    public static void write(Path dir, char[] password) throws IOException {
        SecureFiles.write(dir.resolve(FILE), (hash(password) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param dir the console folder
     * @return the stored hash, or {@code null} if no password is set
     * @throws IOException if the file exists but cannot be read
     */
    public static String read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        try {
            KeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        }
    }
}
