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
                { "feature-resource-version": "1.0", "id": "io.pvemcp:test:1.0", "name": "Test",
                  "bundles": [ { "id": "org.example:a:1.0", "start-order": "3" }, "org.example:b:2.0",
                               { "id": "org.example:c:3.0", "start-order": 4 } ],
                  "configurations": { "my.pid": { "key": "value", "n": 2 } } }
                """);
        Feature feature = Feature.read(f);
        assertThat(feature.id()).isEqualTo("io.pvemcp:test:1.0");
        assertThat(feature.name()).isEqualTo("Test");
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

    private void feature(String name, String... bundles) throws IOException {
        Files.createDirectories(dir.resolve("features"));
        StringBuilder b = new StringBuilder();
        for (String id : bundles) {
            b.append(b.length() == 0 ? "" : ", ").append('"').append(id).append('"');
        }
        Files.writeString(dir.resolve("features").resolve(name + ".json"), "{ \"feature-resource-version\": \"1.0\", "
                + "\"id\": \"io.pvemcp:" + name + ":1\", \"bundles\": [" + b + "] }");
    }

    @Test
    void configurationSelectsFeaturesAndLeavesBundlesOut() throws IOException {
        feature("base", "org.example:cm:1");
        feature("mcp", "io.pvemcp:registry:1");
        feature("tools", "io.pvemcp:tools-vm:1", "io.pvemcp:tools-ct:1", "io.pvemcp:tools-storage:1");
        feature("deploy", "org.example:fileinstall:1");
        feature("console", "org.example:webconsole:1");
        feature("sim", "io.pvemcp:pve-sim:1");
        java.util.List<Feature> all = Features.select(dir, java.util.Map.of(), java.util.List.of("sim"));
        assertThat(all).extracting(Feature::id).containsExactly("io.pvemcp:base:1", "io.pvemcp:mcp:1",
                "io.pvemcp:tools:1", "io.pvemcp:deploy:1", "io.pvemcp:console:1", "io.pvemcp:sim:1");

        java.util.List<Feature> some = Features.select(dir, java.util.Map.of("features", "base, mcp, tools",
                "exclude", "tools-ct io.pvemcp:tools-storage"), java.util.List.of());
        assertThat(some).extracting(Feature::id).containsExactly("io.pvemcp:base:1", "io.pvemcp:mcp:1",
                "io.pvemcp:tools:1");
        assertThat(some.get(2).bundles()).extracting(Feature.BundleRef::id).containsExactly("io.pvemcp:tools-vm:1");

        assertThatThrownBy(() -> Features.select(dir, java.util.Map.of("features", "base, tools"), java.util.List.of()))
                .hasMessageContaining("leaves out 'mcp'");
        assertThatThrownBy(() -> Features.select(dir, java.util.Map.of("exclude", "tools-lxc"), java.util.List.of()))
                .hasMessageContaining("tools-lxc").hasMessageContaining("which no selected feature has");
        assertThatThrownBy(() -> Features.select(dir, java.util.Map.of("features", "base, mcp, extras"),
                java.util.List.of())).hasMessageContaining("feature 'extras' is missing")
                .hasMessageContaining("base, console, deploy, mcp, sim, tools");
    }

    @Test
    void bundlesInstalledOnlyKeepTheirPlaceAndStartOrder() throws IOException {
        feature("base", "org.example:cm:1");
        feature("mcp", "org.example:jetty:1", "io.pvemcp:registry:1");
        java.util.List<Feature> all = Features.installOnly(Features.select(dir, java.util.Map.of("features",
                "base, mcp"), java.util.List.of()), java.util.List.of("org.example:jetty"));
        assertThat(all.get(1).bundles()).extracting(Feature.BundleRef::id, Feature.BundleRef::startOrder,
                Feature.BundleRef::start).containsExactly(org.assertj.core.groups.Tuple.tuple("org.example:jetty:1", 1,
                false), org.assertj.core.groups.Tuple.tuple("io.pvemcp:registry:1", 1, true));
        assertThat(all.get(0).bundles()).extracting(Feature.BundleRef::start).containsExactly(true);
    }
}
