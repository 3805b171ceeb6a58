package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.pvemcp.security.store.SecureFiles;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {

    @TempDir
    Path dir;

    @Test
    void turnsAPemCertificateAndKeyIntoAPrivateKeyStore() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=127.0.0.1")
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            openssl = null;
        }
        Assumptions.assumeTrue(openssl != null && openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0,
                "openssl makes the test pair");
        Map<String, String> props = Tls.frameworkProperties(Map.of("cert.file", cert.toString(), "key.file",
                key.toString()), dir.resolve("data"), 8443);
        assertThat(props).containsEntry("org.apache.felix.https.enable", "true")
                .containsEntry("org.apache.felix.http.enable", "false")
                .containsEntry("org.osgi.service.http.port.secure", "8443");
        Path store = Path.of(props.get("org.apache.felix.https.keystore"));
        assertThat(SecureFiles.readableByOthers(store)).isFalse();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(new ByteArrayInputStream(Files.readAllBytes(store)), props.get("org.apache.felix.https.keystore.password")
                .toCharArray());
        assertThat(ks.isKeyEntry("server")).isTrue();
        assertThat(ks.getCertificateChain("server")).hasSize(1);
    }

    @Test
    void anOperatorsKeyStoreIsCopiedSoItsPasswordNeverBecomesAFrameworkProperty() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=127.0.0.1")
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            openssl = null;
        }
        Assumptions.assumeTrue(openssl != null && openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0,
                "openssl makes the test pair");
        KeyStore operator = KeyStore.getInstance("PKCS12");
        operator.load(new ByteArrayInputStream(Tls.pkcs12(cert, key, "operator-secret".toCharArray())),
                "operator-secret".toCharArray());
        Path theirs = dir.resolve("operator.p12");
        try (var out = Files.newOutputStream(theirs)) {
            operator.store(out, "operator-secret".toCharArray());
        }
        Map<String, String> props = Tls.frameworkProperties(Map.of("keystore.file", theirs.toString(),
                "keystore.password", "operator-secret"), dir.resolve("data"), 8443);
        assertThat(props.values()).doesNotContain("operator-secret");
        Path copy = Path.of(props.get("org.apache.felix.https.keystore"));
        assertThat(copy).isNotEqualTo(theirs);
        assertThat(SecureFiles.readableByOthers(copy)).isFalse();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(new ByteArrayInputStream(Files.readAllBytes(copy)), props.get("org.apache.felix.https.keystore.password")
                .toCharArray());
        assertThat(ks.isKeyEntry("server")).isTrue();
        assertThatThrownBy(() -> Tls.frameworkProperties(Map.of("keystore.file", theirs.toString(), "keystore.password",
                "wrong"), dir.resolve("data"), 8443)).hasMessageContaining("cannot be opened with the given password");
    }

    @Test
    void explainsWhatIsWrongWithTheFiles() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate");
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Tls.frameworkProperties(Map.of("cert.file", cert.toString()), dir, 8443))
                .hasMessageContaining("MCP_TLS_KEY");
        assertThatThrownBy(() -> Tls.frameworkProperties(Map.of("cert.file", cert.toString(), "key.file", key.toString()),
                dir, 8443)).hasMessageContaining("cannot be read as PEM");
        assertThatThrownBy(() -> Tls.frameworkProperties(Map.of("keystore.file", key.toString()), dir, 8443))
                .hasMessageContaining("MCP_TLS_KEYSTORE_PASSWORD");
        assertThat(Tls.frameworkProperties(Map.of(), dir, 8443)).isEmpty();
    }
}
