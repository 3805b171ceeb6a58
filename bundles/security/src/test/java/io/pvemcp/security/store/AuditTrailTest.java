package io.pvemcp.security.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hash chain notices every kind of tampering, and names the first broken entry. */
class AuditTrailTest {

    @TempDir
    Path dir;

    void write(int n, long maxBytes) throws Exception {
        try (AuditTrail trail = new AuditTrail(dir, maxBytes)) {
            for (int i = 1; i <= n; i++) {
                trail.append(Map.of("action", "tools/call", "target", "proxmox_vm_start", "arguments", Map.of("vmid", 100 + i)));
            }
        }
    }

    List<String> lines() throws Exception {
        return new ArrayList<>(Files.readAllLines(dir.resolve(AuditTrail.CURRENT)));
    }

    void save(List<String> lines) throws Exception {
        Files.write(dir.resolve(AuditTrail.CURRENT), lines, StandardCharsets.UTF_8);
    }

    @Test
    void anUntouchedTrailVerifiesAcrossRotationsAndRestarts() throws Exception {
        write(30, 4096);
        write(5, 4096);
        AuditTrail.Verification v = AuditTrail.verify(dir);
        assertThat(v.problem()).isNull();
        assertThat(v.entries()).isEqualTo(35);
        assertThat(v.files()).isGreaterThan(1);
        assertThat(AuditTrail.latest(dir, 3)).extracting(m -> m.get("seq")).containsExactly(33, 34, 35);
        assertThat(SecureFiles.readableByOthers(dir.resolve(AuditTrail.CURRENT))).isFalse();
    }

    @Test
    void twoProcessesWritingOneTrailKeepTheChain() throws Exception {
        try (AuditTrail server = new AuditTrail(dir, 4096); AuditTrail stdio = new AuditTrail(dir, 4096)) {
            for (int i = 0; i < 40; i++) {
                AuditTrail writer = i % 3 == 0 ? stdio : server;
                Map<String, Object> entry = writer.append(Map.of("action", "tools/call", "n", i));
                assertThat(entry.get("seq")).as("entry %d", i).isEqualTo((long) i + 1);
            }
        }
        AuditTrail.Verification v = AuditTrail.verify(dir);
        assertThat(v.problem()).isNull();
        assertThat(v.entries()).isEqualTo(40);
        assertThat(v.files()).as("rotated on the way").isGreaterThan(1);
    }

    @Test
    void callersInFlightTogetherShareForcesAndKeepOneChain() throws Exception {
        int threads = 8;
        int each = 60;
        java.util.Set<Long> seqs = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        try (AuditTrail a = new AuditTrail(dir, 8192); AuditTrail b = new AuditTrail(dir, 8192)) {
            List<Thread> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                AuditTrail writer = t % 2 == 0 ? a : b;
                int id = t;
                all.add(new Thread(() -> {
                    try {
                        for (int i = 0; i < each; i++) {
                            Map<String, Object> e = writer.append(Map.of("action", "tools/call", "thread", id, "n", i));
                            seqs.add(((Number) e.get("seq")).longValue());
                            // returned: written, so it is in the trail whoever reads it now (read under the folder's
                            // lock, as verify does: unlocked, a rotation between listing the files and reading them
                            // would hide it from the reader)
                            assertThat(SecureFiles.locked(dir, () -> inTrail(e))).as("entry %s", e.get("seq")).isTrue();
                        }
                    } catch (Throwable x) {
                        failed.compareAndSet(null, x);
                    }
                }));
            }
            all.forEach(Thread::start);
            for (Thread t : all) {
                t.join();
            }
        }
        assertThat(failed.get()).isNull();
        assertThat(seqs).hasSize(threads * each);
        AuditTrail.Verification v = AuditTrail.verify(dir);
        assertThat(v.problem()).isNull();
        assertThat(v.entries()).isEqualTo(threads * each);
        assertThat(v.files()).as("rotated on the way").isGreaterThan(1);
        assertThat(Files.size(dir.resolve(AuditTrail.HEAD))).isEqualTo(AuditTrail.HEAD_BYTES);
    }

    /** Whether the entry is in one of the trail's files (the current one or, rotated meanwhile, an older one). */
    private boolean inTrail(Map<String, Object> e) throws Exception {
        for (Path f : AuditTrail.files(dir)) {
            for (String l : Files.readAllLines(f)) {
                if (l.contains((String) e.get("hash"))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void verifyingALiveTrailWhileItIsWrittenAndRotatedRaisesNoFalseAlarm() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread writer = new Thread(() -> {
            try (AuditTrail trail = new AuditTrail(dir, 4096)) {
                for (int i = 0; i < 1500; i++) {
                    trail.append(Map.of("action", "tools/call", "n", i, "pad", "x".repeat(i % 200)));
                }
            } catch (Throwable e) {
                failed.set(e);
            } finally {
                done.set(true);
            }
        });
        writer.start();
        int runs = 0;
        List<String> problems = new ArrayList<>();
        while (!done.get() || runs < 20) {
            AuditTrail.Verification v = AuditTrail.verify(dir);
            if (!v.intact()) {
                problems.add(v.problem());
            }
            runs++;
        }
        writer.join();
        assertThat(failed.get()).isNull();
        assertThat(problems).as("verifications during writes (%d runs)", runs).isEmpty();
        assertThat(AuditTrail.verify(dir).entries()).isEqualTo(1500);
    }

    @Test
    void anEditedEntryIsFound() throws Exception {
        write(5, 1 << 20);
        List<String> lines = lines();
        lines.set(2, lines.get(2).replace("\"vmid\":103", "\"vmid\":999"));
        save(lines);
        assertThat(AuditTrail.verify(dir).problem()).startsWith("audit.jsonl line 3 (seq 3)").contains("was edited");
    }

    @Test
    void aDeletedEntryIsFound() throws Exception {
        write(5, 1 << 20);
        List<String> lines = lines();
        lines.remove(1);
        save(lines);
        assertThat(AuditTrail.verify(dir).problem()).contains("line 2 (seq 3)", "entries 2 are missing: deleted");
    }

    @Test
    void reorderedEntriesAreFound() throws Exception {
        write(5, 1 << 20);
        List<String> lines = lines();
        Collections.swap(lines, 1, 2);
        save(lines);
        AuditTrail.Verification v = AuditTrail.verify(dir);
        assertThat(v.intact()).isFalse();
        assertThat(v.problem()).contains("line 2 (seq 3)");
        assertThat(v.entries()).isEqualTo(1);
    }

    @Test
    void entriesCutOffTheEndAreFound() throws Exception {
        write(5, 1 << 20);
        List<String> lines = lines();
        save(lines.subList(0, 3));
        assertThat(AuditTrail.verify(dir).problem()).contains("entries 4 to 5 are missing at the end");
    }

    @Test
    void aRemovedRotatedFileIsFound() throws Exception {
        write(30, 4096);
        try (var files = Files.list(dir)) {
            Path first = files.filter(p -> p.getFileName().toString().startsWith("audit-")).sorted().findFirst().orElseThrow();
            Files.delete(first);
        }
        assertThat(AuditTrail.verify(dir).problem()).contains("the trail starts at seq");
    }

    @Test
    void aTornLastLineIsMovedAsideAndTheChainContinues() throws Exception {
        write(3, 1 << 20);
        Files.writeString(dir.resolve(AuditTrail.CURRENT), "{\"seq\":4,\"ti", java.nio.file.StandardOpenOption.APPEND);
        write(1, 1 << 20);
        assertThat(AuditTrail.verify(dir).intact()).isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("audit.jsonl.torn-"));
        }
    }
}
