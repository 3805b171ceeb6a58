package io.pvemcp.pve.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCertificatesTest {

    @Test
    void generatesACaSignedNodeCertificateOnceAndKeepsIt(@TempDir Path dir) throws Exception {
        String fingerprint;
        try (Simulator sim = Simulator.builder().port(0).dataDirectory(dir).authFailureDelay(Duration.ZERO).start()) {
            fingerprint = sim.fingerprint();
            assertThat(fingerprint).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
            assertThat(sim.caFile()).contains(dir.resolve("pve-root-ca.pem"));
            // the CA alone is enough to verify the node, hostname included
            assertThat(new SimClient(sim).get("/version", java.util.Map.of(), java.util.Map.of()).status()).isEqualTo(401);
        }
        assertThat(Files.getPosixFilePermissions(dir.resolve("pve-ssl.key")))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        assertThat(Files.getPosixFilePermissions(dir.resolve("pve-root-ca.key")))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        try (Simulator again = Simulator.builder().port(0).dataDirectory(dir).start()) {
            assertThat(again.fingerprint()).isEqualTo(fingerprint);
        }
    }

    @Test
    void keepsAnRsaCaFromAnEarlierFolderAndSignsWithIt(@TempDir Path dir) throws Exception {
        Path p12 = dir.resolve("ca.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-alias", "ca", "-dname",
                "CN=Proxmox Virtual Environment,O=PVE Cluster Manager CA", "-ext", "bc:c", "-validity", "365",
                "-keystore", p12.toString(), "-storetype", "PKCS12", "-storepass", "changeit")
                .redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(p12)) {
            ks.load(in, "changeit".toCharArray());
        }
        X509Certificate ca = (X509Certificate) ks.getCertificate("ca");
        PrivateKey key = (PrivateKey) ks.getKey("ca", "changeit".toCharArray());
        Path sim = Files.createDirectories(dir.resolve("sim"));
        Files.writeString(sim.resolve("pve-root-ca.pem"), pem("CERTIFICATE", ca.getEncoded()));
        Files.writeString(sim.resolve("pve-root-ca.key"), pem("PRIVATE KEY", key.getEncoded()));

        try (Simulator s = Simulator.builder().port(0).dataDirectory(sim).authFailureDelay(Duration.ZERO).start()) {
            assertThat(s.caCertificatePem()).isEqualTo(Files.readString(sim.resolve("pve-root-ca.pem")));
            X509Certificate node = read(sim.resolve("pve-ssl.pem"));
            node.verify(ca.getPublicKey());
            assertThat(node.getSigAlgName()).isEqualTo("SHA256withRSA");
            assertThat(new SimClient(s).get("/version", Map.of(), Map.of()).status()).isEqualTo(401);
        }
    }

    @Test
    void replacesKeyFilesItCannotRead(@TempDir Path dir) throws Exception {
        try (Simulator sim = Simulator.builder().port(0).dataDirectory(dir).start()) {
            assertThat(sim.fingerprint()).isNotEmpty();
        }
        Files.writeString(dir.resolve("pve-root-ca.key"), "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        String oldCa = Files.readString(dir.resolve("pve-root-ca.pem"));
        try (Simulator sim = Simulator.builder().port(0).dataDirectory(dir).authFailureDelay(Duration.ZERO).start()) {
            assertThat(sim.caCertificatePem()).isNotEqualTo(oldCa);
            read(dir.resolve("pve-ssl.pem")).verify(read(dir.resolve("pve-root-ca.pem")).getPublicKey());
            assertThat(new SimClient(sim).get("/version", Map.of(), Map.of()).status()).isEqualTo(401);
        }
    }

    private static X509Certificate read(Path file) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
