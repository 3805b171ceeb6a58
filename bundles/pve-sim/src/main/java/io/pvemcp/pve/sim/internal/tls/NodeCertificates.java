package io.pvemcp.pve.sim.internal.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The TLS identity of a simulated node, as a fresh Proxmox VE node has it: a cluster CA
 * ({@code pve-root-ca.pem}) and a node certificate ({@code pve-ssl.pem}) signed by it, for the node's names
 * and addresses. Generated on first use; kept in a directory when one is given, so that clients that pinned
 * the certificate or trust the CA keep working across restarts. Keys are ECDSA P-256 rather than a real node's
 * RSA 2048, so that a first start takes milliseconds; TLS clients do not tell the difference.
 */
public final class NodeCertificates {

    /** ecdsa-with-SHA256: the simulator's keys are ECDSA P-256, quick to make (a real node uses RSA 2048). */
    private static final String SHA256_ECDSA = "1.2.840.10045.4.3.2";
    /** sha256WithRSAEncryption: to sign with an RSA CA kept from an older data folder or copied from a real node. */
    private static final String SHA256_RSA = "1.2.840.113549.1.1.11";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey caKey;
    private final X509Certificate caCertificate;
    private final PrivateKey nodeKey;
    private final X509Certificate nodeCertificate;

    private NodeCertificates(PrivateKey caKey, X509Certificate ca, PrivateKey nodeKey, X509Certificate node) {
        this.caKey = caKey;
        this.caCertificate = ca;
        this.nodeKey = nodeKey;
        this.nodeCertificate = node;
    }

    /**
     * Loads the certificates from {@code dir}, or creates them (and writes them there).
     *
     * @param dir where to keep them, or {@code null} to keep them in memory only
     * @param nodeName the node name, used as common name and DNS name
     * @param dnsNames further DNS names the certificate must cover
     * @param addresses IP addresses the certificate must cover
     * @return the certificates
     * @throws IOException if the directory cannot be read or written
     * @throws GeneralSecurityException if the JVM lacks EC or SHA-256
     */
    public static NodeCertificates loadOrCreate(Path dir, String nodeName, List<String> dnsNames,
            List<InetAddress> addresses) throws IOException, GeneralSecurityException {
        List<String> names = new ArrayList<>();
        names.add(nodeName);
        for (String n : dnsNames) {
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        PrivateKey caKey = null;
        X509Certificate ca = null;
        if (dir != null && Files.exists(dir.resolve("pve-root-ca.pem")) && Files.exists(dir.resolve("pve-root-ca.key"))) {
            try {
                ca = readCertificate(dir.resolve("pve-root-ca.pem"));
                caKey = readKey(dir.resolve("pve-root-ca.key"), ca);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                ca = null; // unreadable or mismatched: made anew below, as a node whose CA files were lost
            }
        }
        if (ca == null || caKey == null || ca.getNotAfter().getTime() < System.currentTimeMillis()) {
            KeyPair pair = keyPair();
            caKey = pair.getPrivate();
            ca = caCertificate(pair);
            if (dir != null) {
                Files.createDirectories(dir);
                writePem(dir.resolve("pve-root-ca.pem"), "CERTIFICATE", ca.getEncoded(), false);
                writePem(dir.resolve("pve-root-ca.key"), "PRIVATE KEY", caKey.getEncoded(), true);
            }
        }
        PrivateKey nodeKey = null;
        X509Certificate node = null;
        if (dir != null && Files.exists(dir.resolve("pve-ssl.pem")) && Files.exists(dir.resolve("pve-ssl.key"))) {
            try {
                X509Certificate existing = readCertificate(dir.resolve("pve-ssl.pem"));
                if (covers(existing, names, addresses) && issuedBy(existing, ca)
                        && existing.getNotAfter().getTime() > System.currentTimeMillis()) {
                    nodeKey = readKey(dir.resolve("pve-ssl.key"), existing);
                    node = existing;
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                node = null;
            }
        }
        if (node == null) {
            KeyPair pair = keyPair();
            nodeKey = pair.getPrivate();
            node = nodeCertificate(pair.getPublic(), caKey, ca, nodeName, names, addresses);
            if (dir != null) {
                writePem(dir.resolve("pve-ssl.pem"), "CERTIFICATE", node.getEncoded(), false);
                writePem(dir.resolve("pve-ssl.key"), "PRIVATE KEY", nodeKey.getEncoded(), true);
            }
        }
        return new NodeCertificates(caKey, ca, nodeKey, node);
    }

    /** @return an SSL context that presents the node certificate with its CA */
    public SSLContext sslContext() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = new char[0];
        ks.setKeyEntry("pve-ssl", nodeKey, pw, new java.security.cert.Certificate[] {nodeCertificate, caCertificate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, RANDOM);
        return ctx;
    }

    /** @return the CA certificate in PEM format */
    public String caPem() {
        try {
            return pem("CERTIFICATE", caCertificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the node certificate */
    public X509Certificate nodeCertificate() {
        return nodeCertificate;
    }

    /** @return the SHA-256 fingerprint of the node certificate, as Proxmox shows it ({@code AB:CD:...}) */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(nodeCertificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static X509Certificate caCertificate(KeyPair pair) throws GeneralSecurityException {
        byte[] name = name(new String[][] {{"2.5.4.3", "Proxmox Virtual Environment"},
                {"2.5.4.11", UUID.randomUUID().toString()}, {"2.5.4.10", "PVE Cluster Manager CA"}});
        ZonedDateTime now = ZonedDateTime.now();
        byte[] ski = keyId(pair.getPublic());
        byte[] extensions = Der.sequence(
                extension("2.5.29.19", true, Der.sequence(Der.bool(true))),
                extension("2.5.29.15", true, namedBits(0x86)),
                extension("2.5.29.14", false, Der.octets(ski)));
        return sign(pair.getPrivate(), name, name, pair.getPublic(), now.minusDays(1), now.plusYears(10), extensions);
    }

    private static X509Certificate nodeCertificate(PublicKey key, PrivateKey caKey, X509Certificate ca,
            String nodeName, List<String> dnsNames, List<InetAddress> addresses) throws GeneralSecurityException {
        byte[] subject = name(new String[][] {{"2.5.4.11", "PVE Cluster Node"},
                {"2.5.4.10", "Proxmox Virtual Environment"}, {"2.5.4.3", nodeName + ".local"}});
        List<byte[]> san = new ArrayList<>();
        for (String dns : dnsNames) {
            san.add(Der.implicit(2, dns.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII)));
        }
        for (InetAddress a : addresses) {
            san.add(Der.implicit(7, a.getAddress()));
        }
        ZonedDateTime now = ZonedDateTime.now();
        byte[] extensions = Der.sequence(
                extension("2.5.29.19", false, Der.sequence()),
                extension("2.5.29.15", true, namedBits(0x80)),
                extension("2.5.29.37", false, Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1"))),
                extension("2.5.29.17", false, Der.sequence(san.toArray(new byte[0][]))),
                extension("2.5.29.14", false, Der.octets(keyId(key))),
                extension("2.5.29.35", false, Der.sequence(Der.implicit(0, subjectKeyId(ca)))));
        return sign(caKey, ca.getSubjectX500Principal().getEncoded(), subject, key, now.minusDays(1),
                now.plusYears(2), extensions);
    }

    private static X509Certificate sign(PrivateKey issuerKey, byte[] issuer, byte[] subject, PublicKey key,
            ZonedDateTime notBefore, ZonedDateTime notAfter, byte[] extensions) throws GeneralSecurityException {
        boolean rsa = "RSA".equals(issuerKey.getAlgorithm());
        byte[] algorithm = rsa ? Der.sequence(Der.oid(SHA256_RSA), Der.nul()) : Der.sequence(Der.oid(SHA256_ECDSA));
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(2)),
                Der.integer(new BigInteger(64, RANDOM).abs().add(BigInteger.ONE)),
                algorithm,
                issuer,
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                subject,
                key.getEncoded(),
                Der.explicit(3, extensions));
        Signature s = Signature.getInstance(rsa ? "SHA256withRSA" : "SHA256withECDSA");
        s.initSign(issuerKey);
        s.update(tbs);
        byte[] cert = Der.sequence(tbs, algorithm, Der.bits(s.sign()));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(cert));
    }

    private static byte[] name(String[][] rdns) {
        byte[][] sets = new byte[rdns.length][];
        for (int i = 0; i < rdns.length; i++) {
            sets[i] = Der.set(Der.sequence(Der.oid(rdns[i][0]), Der.utf8(rdns[i][1])));
        }
        return Der.sequence(sets);
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octets(value))
                : Der.sequence(Der.oid(oid), Der.octets(value));
    }

    /** A DER named-bit BIT STRING from the first byte of flags, trailing zero bits dropped. */
    private static byte[] namedBits(int flags) {
        int unused = Integer.numberOfTrailingZeros(flags);
        return Der.tlv(Der.BIT_STRING, new byte[] {(byte) unused, (byte) flags});
    }

    private static byte[] keyId(PublicKey key) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-1").digest(key.getEncoded());
    }

    /** The CA's own subject key identifier (which another tool may have computed differently), else ours. */
    private static byte[] subjectKeyId(X509Certificate ca) throws GeneralSecurityException {
        byte[] ext = ca.getExtensionValue("2.5.29.14");
        // OCTET STRING { OCTET STRING keyIdentifier }, short lengths: identifiers are at most a few dozen bytes
        if (ext != null && ext.length > 4 && ext[0] == 0x04 && ext[2] == 0x04 && ext[3] == ext.length - 4) {
            return java.util.Arrays.copyOfRange(ext, 4, ext.length);
        }
        return keyId(ca.getPublicKey());
    }

    private static boolean covers(X509Certificate cert, List<String> names, List<InetAddress> addresses) {
        try {
            var san = cert.getSubjectAlternativeNames();
            if (san == null) {
                return false;
            }
            List<String> present = new ArrayList<>();
            for (List<?> entry : san) {
                present.add(String.valueOf(entry.get(1)).toLowerCase(Locale.ROOT));
            }
            for (String n : names) {
                if (!present.contains(n.toLowerCase(Locale.ROOT))) {
                    return false;
                }
            }
            for (InetAddress a : addresses) {
                if (!present.contains(a.getHostAddress())) {
                    return false;
                }
            }
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean issuedBy(X509Certificate cert, X509Certificate ca) {
        try {
            cert.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
    }

    /** Reads a PKCS#8 key of the certificate's key algorithm, and checks that it belongs to the certificate. */
    private static PrivateKey readKey(Path file, X509Certificate cert) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        String algorithm = cert.getPublicKey().getAlgorithm();
        PrivateKey key = KeyFactory.getInstance(algorithm)
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        Signature s = Signature.getInstance("RSA".equals(algorithm) ? "SHA256withRSA" : "SHA256withECDSA");
        s.initSign(key);
        s.update(new byte[] {1});
        byte[] signature = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(new byte[] {1});
        if (!s.verify(signature)) {
            throw new GeneralSecurityException(file + " does not hold the key of its certificate");
        }
        return key;
    }

    private static void writePem(Path file, String type, byte[] der, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (secret) {
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
        }
        Files.writeString(tmp, pem(type, der), StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
