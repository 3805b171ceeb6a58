package io.pvemcp.security.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminPasswordTest {

    @Test
    void storesASaltedHashThatOnlyThePasswordMatches(@TempDir Path dir) throws Exception {
        assertThat(AdminPassword.read(dir)).isNull();
        AdminPassword.write(dir, "correct horse battery".toCharArray());
        String stored = AdminPassword.read(dir);
        assertThat(stored).startsWith("pbkdf2-sha256$").doesNotContain("correct horse");
        assertThat(AdminPassword.verify("correct horse battery".toCharArray(), stored)).isTrue();
        assertThat(AdminPassword.verify("correct horse batterY".toCharArray(), stored)).isFalse();
        assertThat(AdminPassword.verify("".toCharArray(), stored)).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(AdminPassword.FILE))))
                .isEqualTo("rw-------");
        assertThat(AdminPassword.hash("correct horse battery".toCharArray())).as("salted").isNotEqualTo(stored);
    }

    @Test
    void refusesShortPasswordsAndGarbage() {
        assertThatThrownBy(() -> AdminPassword.hash("short".toCharArray())).hasMessageContaining("at least 12");
        assertThat(AdminPassword.verify("anything at all".toCharArray(), "plain-text")).isFalse();
        assertThat(AdminPassword.verify("anything at all".toCharArray(), null)).isFalse();
        assertThat(AdminPassword.verify("anything at all".toCharArray(), "pbkdf2-sha256$x$y$z")).isFalse();
    }
}
