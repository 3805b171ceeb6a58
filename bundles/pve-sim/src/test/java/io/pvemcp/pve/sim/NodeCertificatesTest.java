package io.pvemcp.pve.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
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
}
