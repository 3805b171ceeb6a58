package io.pvemcp.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pvemcp.security.store.SecureFiles;

/**
 * HTTPS for the embedded Jetty: from a PEM certificate chain and private key, or from a PKCS#12 key store the
 * operator provides. Either way the server uses its own copy, {@code data/tls/server.p12} (mode 0600 in a 0700
 * folder), under a fixed password: that file is protected by its permissions, and the operator's password never
 * becomes a framework property (which the admin console lists). Plain HTTP is then switched off.
 */
final class Tls {

    private static final Pattern PEM_KEY = Pattern.compile("-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)"
            + "-----END \\1PRIVATE KEY-----");

    /** The password of the server's own key store copy: not a secret, the file's permissions protect it. */
    static final String STORE_PASSWORD = "proxmox-mcp";

    private Tls() {
    }

    /**
     * @param tls the {@code io.pvemcp.tls} settings
     * @param data the data folder
     * @param port the port to serve HTTPS on
     * @return the HTTP service's framework properties for HTTPS, or an empty map when TLS is not configured
     * @throws IOException if a file cannot be read or written
     * @throws IllegalArgumentException if the files are not what they should be; the message says what to fix
     */
    static Map<String, String> frameworkProperties(Map<String, Object> tls, Path data, int port) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        String cert = str(tls.get("cert.file"));
        String key = str(tls.get("key.file"));
        String keystore = str(tls.get("keystore.file"));
        String password = str(tls.get("keystore.password"));
        if (cert == null && keystore == null) {
            if (key != null) {
                throw new IllegalArgumentException("A TLS key (MCP_TLS_KEY) is set without its certificate: set "
                        + "MCP_TLS_CERT to the PEM certificate chain too");
            }
            return out;
        }
        if (cert != null && keystore != null) {
            throw new IllegalArgumentException("Set either a PEM certificate and key (MCP_TLS_CERT, MCP_TLS_KEY) or a "
                    + "PKCS#12 key store (MCP_TLS_KEYSTORE), not both");
        }
        if (cert != null) {
            if (key == null) {
                throw new IllegalArgumentException("MCP_TLS_CERT is set without MCP_TLS_KEY: give the PEM private key "
                        + "of the certificate too");
            }
            Path store = SecureFiles.privateDirectory(data.resolve("tls")).resolve("server.p12");
            SecureFiles.write(store, pkcs12(Path.of(cert), Path.of(key), STORE_PASSWORD.toCharArray()));
            keystore = store.toString();
        } else {
            if (!Files.isReadable(Path.of(keystore))) {
                throw new IllegalArgumentException("The TLS key store " + keystore + " cannot be read");
            }
            if (password == null) {
                throw new IllegalArgumentException("The TLS key store needs its password: set MCP_TLS_KEYSTORE_PASSWORD");
            }
            Path store = SecureFiles.privateDirectory(data.resolve("tls")).resolve("server.p12");
            SecureFiles.write(store, copy(Path.of(keystore), password.toCharArray()));
            keystore = store.toString();
        }
        password = STORE_PASSWORD;
        out.put("org.apache.felix.https.enable", "true");
        out.put("org.apache.felix.http.enable", "false");
        out.put("org.osgi.service.http.port.secure", Integer.toString(port));
        out.put("org.apache.felix.https.keystore", keystore);
        out.put("org.apache.felix.https.keystore.type", "PKCS12");
        out.put("org.apache.felix.https.keystore.password", password);
        out.put("org.apache.felix.https.keystore.key.password", password);
        return out;
    }

    static byte[] pkcs12(Path certFile, Path keyFile, char[] password) throws IOException {
        Collection<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(certFile)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("The TLS certificate " + certFile + " cannot be read as PEM ("
                    + e.getMessage() + ")");
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("The TLS certificate file " + certFile + " holds no certificate");
        }
        PrivateKey key = privateKey(Files.readString(keyFile, StandardCharsets.US_ASCII), keyFile);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, password, chain.toArray(Certificate[]::new));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ks.store(bytes, password);
            return bytes.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("The TLS key " + keyFile + " does not fit the certificate " + certFile
                    + " (" + e.getMessage() + ")");
        }
    }

    private static PrivateKey privateKey(String pem, Path file) {
        Matcher m = PEM_KEY.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("The TLS key " + file + " is not a PEM private key");
        }
        if (!m.group(1).isEmpty()) {
            throw new IllegalArgumentException("The TLS key " + file + " is a " + m.group(1).strip() + " key in the "
                    + "traditional format; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in " + file
                    + " -out key.pem");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("The TLS key " + file + " is neither an RSA nor an EC nor an Ed25519 key");
    }

    /** Opens the operator's key store and writes its key entries again under {@link #STORE_PASSWORD}. */
    private static byte[] copy(Path keystore, char[] password) throws IOException {
        KeyStore from;
        try (InputStream in = Files.newInputStream(keystore)) {
            from = KeyStore.getInstance("PKCS12");
            from.load(in, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("The TLS key store " + keystore + " cannot be opened with the given "
                    + "password (" + e.getClass().getSimpleName() + ")");
        }
        try {
            KeyStore to = KeyStore.getInstance("PKCS12");
            to.load(null, null);
            int keys = 0;
            for (String alias : java.util.Collections.list(from.aliases())) {
                if (from.isKeyEntry(alias)) {
                    to.setKeyEntry(alias, from.getKey(alias, password), STORE_PASSWORD.toCharArray(),
                            from.getCertificateChain(alias));
                    keys++;
                }
            }
            if (keys == 0) {
                throw new IllegalArgumentException("The TLS key store " + keystore + " holds no private key");
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            to.store(out, STORE_PASSWORD.toCharArray());
            return out.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("The private key in " + keystore + " cannot be read with the key store's "
                    + "password (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String str(Object o) {
        return o == null || String.valueOf(o).isBlank() ? null : String.valueOf(o).strip();
    }
}
