package io.pvemcp.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.pvemcp.api.JsonSchema;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaCheckerTest {

    final SchemaChecker checker = new SchemaChecker(new ObjectMapper());

    @Test
    void namesTheArgumentOfEachProblem() {
        SchemaChecker.Compiled schema = checker.compile("input schema", JsonSchema.object()
                .required("vmid", JsonSchema.integer().minimum(100))
                .optional("disks", JsonSchema.array(JsonSchema.object().required("size", JsonSchema.integer())))
                .build());
        assertThat(schema.problems(Map.of("vmid", 100))).isEmpty();
        assertThat(schema.problems(Map.of("vmid", 5))).singleElement().asString().startsWith("vmid: ");
        assertThat(schema.problems(Map.of("vmid", 100, "disks", List.of(Map.of("size", "big")))))
                .singleElement().asString().startsWith("disks[0].size: ");
        assertThat(schema.problems(Map.of("vmid", 100, "colour", "red"))).singleElement().asString().contains("colour");
        assertThat(schema.problems(Map.of())).singleElement().asString().contains("vmid");
    }

    @Test
    void refusesSchemasThatAreNotJsonSchema() {
        assertThatThrownBy(() -> checker.compile("input schema", Map.of("type", "object", "required", "vmid")))
                .isInstanceOf(Contributions.Rejected.class).hasMessageContaining("not valid JSON Schema 2020-12");
    }

    @Test
    void aSchemaFoundValidAtOneStartIsNotCheckedAgainAtTheNext(@TempDir Path state) throws Exception {
        Map<String, Object> schema = JsonSchema.object().required("vmid", JsonSchema.integer().minimum(100)).build();
        SchemaChecker first = new SchemaChecker(new ObjectMapper(), state);
        first.compile("input schema", schema);
        assertThat(state.resolve(SchemaChecker.KNOWN_FILE)).doesNotExist();
        first.save();
        List<String> digests = Files.readAllLines(state.resolve(SchemaChecker.KNOWN_FILE), StandardCharsets.US_ASCII);
        assertThat(digests).singleElement().asString().hasSize(64);

        // the next start takes it from the list, compiles it at first use and checks instances as before
        SchemaChecker next = new SchemaChecker(new ObjectMapper(), state);
        SchemaChecker.Compiled compiled = next.compile("input schema", schema);
        assertThat(compiled.problems(Map.of("vmid", 100))).isEmpty();
        assertThat(compiled.problems(Map.of("vmid", 5))).singleElement().asString().startsWith("vmid: ");
        next.save();
        assertThat(Files.readAllLines(state.resolve(SchemaChecker.KNOWN_FILE), StandardCharsets.US_ASCII))
                .isEqualTo(digests);

        // a schema not on the list, even one member away, is checked at once
        assertThatThrownBy(() -> next.compile("input schema", Map.of("type", "object", "required", "vmid")))
                .isInstanceOf(Contributions.Rejected.class).hasMessageContaining("not valid JSON Schema 2020-12");
        next.save();
        assertThat(Files.readAllLines(state.resolve(SchemaChecker.KNOWN_FILE), StandardCharsets.US_ASCII))
                .isEqualTo(digests);
    }

    @Test
    void anUnreadableListMeansEverySchemaIsChecked(@TempDir Path state) throws Exception {
        Files.createDirectories(state.resolve(SchemaChecker.KNOWN_FILE));
        Files.writeString(state.resolve(SchemaChecker.KNOWN_FILE).resolve("keep"), "a folder where the list belongs");
        SchemaChecker checker = new SchemaChecker(new ObjectMapper(), state);
        assertThatThrownBy(() -> checker.compile("input schema", Map.of("type", "object", "required", "vmid")))
                .isInstanceOf(Contributions.Rejected.class);
        assertThat(checker.compile("input schema", JsonSchema.object().build()).problems(Map.of())).isEmpty();
        checker.save(); // cannot replace a folder: logged, nothing thrown
    }

    @Test
    void rendersLocations() {
        assertThat(SchemaChecker.path("/disks/0/size")).isEqualTo("disks[0].size");
        assertThat(SchemaChecker.path("$.a.b")).isEqualTo("a.b");
        assertThat(SchemaChecker.path("/a~1b")).isEqualTo("a/b");
    }
}
