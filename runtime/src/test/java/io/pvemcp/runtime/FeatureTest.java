package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureTest {

    @TempDir
    Path dir;

    @Test
    void readsBundlesStartOrdersAndConfigurations() throws IOException {
        Path f = dir.resolve("f.json");
        Files.writeString(f, """
                { "feature-resource-version": "1.0", "id": "io.pvemcp:test:1.0", "title": "Test",
                  "bundles": [ { "id": "org.example:a:1.0", "start-order": "3" }, "org.example:b:2.0",
                               { "id": "org.example:c:3.0", "start-order": 4 } ],
                  "configurations": { "my.pid": { "key": "value", "n": 2 } } }
                """);
        Feature feature = Feature.read(f);
        assertThat(feature.id()).isEqualTo("io.pvemcp:test:1.0");
        assertThat(feature.bundles()).extracting(Feature.BundleRef::id, Feature.BundleRef::startOrder)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("org.example:a:1.0", 3),
                        org.assertj.core.groups.Tuple.tuple("org.example:b:2.0", 1),
                        org.assertj.core.groups.Tuple.tuple("org.example:c:3.0", 4));
        assertThat(feature.configurations().get("my.pid")).containsEntry("key", "value").containsEntry("n", 2);
        assertThat(feature.bundles().get(0).file(Path.of("system")))
                .isEqualTo(Path.of("system/org/example/a/1.0/a-1.0.jar"));
    }

    @Test
    void explainsBrokenFeatureFiles() throws IOException {
        Path notJson = dir.resolve("broken.json");
        Files.writeString(notJson, "{ nope");
        assertThatThrownBy(() -> Feature.read(notJson)).hasMessageContaining("is not valid JSON");
        Path noId = dir.resolve("noid.json");
        Files.writeString(noId, "{ \"bundles\": [] }");
        assertThatThrownBy(() -> Feature.read(noId)).hasMessageContaining("has no \"id\"");
        assertThatThrownBy(() -> new Feature.BundleRef("just-a-name", 1).file(dir))
                .hasMessageContaining("must be group:artifact:version");
        assertThatThrownBy(() -> Features.load(dir, java.util.List.of("missing"))).hasMessageContaining("feature 'missing' is missing");
    }
}
