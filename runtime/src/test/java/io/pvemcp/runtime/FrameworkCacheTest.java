package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameworkCacheTest {

    @TempDir
    Path dir;

    @Test
    void aCompletedStartIsReusedByTheNextOneWithTheSameBundles() throws Exception {
        List<Path> bundles = bundles("a", "b");
        try (FrameworkCache first = FrameworkCache.open(dir, "stdio", bundles)) {
            assertThat(first.reused()).isFalse();
            assertThat(first.storage()).isEqualTo(dir.resolve("framework-stdio-0/felix"));
            Files.createDirectories(first.storage().resolve("bundle1"));
            first.completed();
        }
        try (FrameworkCache second = FrameworkCache.open(dir, "stdio", bundles)) {
            assertThat(second.reused()).isTrue();
            assertThat(second.storage().resolve("bundle1")).isDirectory();
        }
    }

    @Test
    void aStartThatDidNotCompleteLeavesNothingToReuse() throws Exception {
        List<Path> bundles = bundles("a");
        try (FrameworkCache first = FrameworkCache.open(dir, "stdio", bundles)) {
            Files.createDirectories(first.storage().resolve("bundle1"));
        }
        try (FrameworkCache second = FrameworkCache.open(dir, "stdio", bundles)) {
            assertThat(second.reused()).isFalse();
            assertThat(second.storage().resolve("bundle1")).doesNotExist();
        }
    }

    @Test
    void aChangedBundleFileEmptiesTheCache() throws Exception {
        List<Path> bundles = bundles("a", "b");
        try (FrameworkCache first = FrameworkCache.open(dir, "serve", bundles)) {
            Files.createDirectories(first.storage().resolve("bundle1"));
            first.completed();
        }
        Files.writeString(bundles.get(1), "rebuilt, longer");
        Files.setLastModifiedTime(bundles.get(1), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        try (FrameworkCache second = FrameworkCache.open(dir, "serve", bundles)) {
            assertThat(second.reused()).isFalse();
            assertThat(second.storage().resolve("bundle1")).doesNotExist();
        }
        try (FrameworkCache other = FrameworkCache.open(dir, "serve", bundles.subList(0, 1))) {
            assertThat(other.reused()).as("another set of bundles").isFalse();
        }
    }

    @Test
    void processesSideBySideTakeSlotsOfTheirOwnThenATemporaryCache() throws Exception {
        List<Path> bundles = bundles("a");
        List<FrameworkCache> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < FrameworkCache.SLOTS; i++) {
                held.add(FrameworkCache.open(dir, "stdio", bundles));
                assertThat(held.get(i).storage()).isEqualTo(dir.resolve("framework-stdio-" + i + "/felix"));
            }
            try (FrameworkCache extra = FrameworkCache.open(dir, "stdio", bundles)) {
                assertThat(extra.storage().startsWith(dir)).as("outside the slots").isFalse();
                assertThat(extra.reused()).isFalse();
                Path temporary = extra.storage();
                extra.close();
                assertThat(temporary).as("a temporary cache goes when it is closed").doesNotExist();
            }
            held.remove(0).close();
            try (FrameworkCache again = FrameworkCache.open(dir, "stdio", bundles)) {
                assertThat(again.storage()).as("a slot given up is free").isEqualTo(dir.resolve(
                        "framework-stdio-0/felix"));
            }
            try (FrameworkCache serve = FrameworkCache.open(dir, "serve", bundles)) {
                assertThat(serve.storage()).as("slots are per command").isEqualTo(dir.resolve(
                        "framework-serve-0/felix"));
            }
        } finally {
            held.forEach(FrameworkCache::close);
        }
    }

    @Test
    void theOldCacheOfEarlierVersionsIsDeleted() throws Exception {
        Path old = Files.createDirectories(dir.resolve("felix-cache/bundle1"));
        Files.writeString(old.resolve("bundle.info"), "x");
        FrameworkCache.forgetOld(dir);
        assertThat(dir.resolve("felix-cache")).doesNotExist();
    }

    private List<Path> bundles(String... names) throws Exception {
        List<Path> out = new java.util.ArrayList<>();
        for (String n : names) {
            Path p = dir.resolve("system/" + n + ".jar");
            Files.createDirectories(p.getParent());
            Files.writeString(p, n);
            out.add(p);
        }
        return out;
    }
}
