package io.pvemcp.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.pvemcp.api.JsonSchema;

import org.junit.jupiter.api.Test;

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
    void rendersLocations() {
        assertThat(SchemaChecker.path("/disks/0/size")).isEqualTo("disks[0].size");
        assertThat(SchemaChecker.path("$.a.b")).isEqualTo("a.b");
        assertThat(SchemaChecker.path("/a~1b")).isEqualTo("a/b");
    }
}
