package io.pvemcp.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.pvemcp.api.JsonSchema;

import org.junit.jupiter.api.Test;

class WireSchemasTest {

    final ObjectMapper mapper = new ObjectMapper();
    final SchemaChecker checker = new SchemaChecker(mapper);

    final Map<String, Object> full = Safety.withPreviewResult(JsonSchema.object()
            .required("vmid", JsonSchema.integer().minimum(100).description("The VMID"))
            .required("status", JsonSchema.string().enumValues("running", "stopped").description("State afterwards"))
            .optional("disks", JsonSchema.array(JsonSchema.object()
                    .required("key", JsonSchema.string().pattern("^[a-z]+\\d+$"))
                    .optional("size_bytes", JsonSchema.integer().minimum(0))).maxItems(30))
            .optional("id", JsonSchema.anyOfTypes("integer", "string").description("Either"))
            .build());

    @Test
    void keepsTheStructureAndDropsWhatOnlyOurValidationNeeds() throws Exception {
        Map<String, Object> lean = WireSchemas.output(full);
        String json = mapper.writeValueAsString(lean);
        assertThat(json).doesNotContain("description", "minimum", "pattern", "maxItems", "additionalProperties")
                .contains("\"enum\":[\"running\",\"stopped\"]", "\"disks\":{\"type\":\"array\",\"items\":"
                        + "{\"type\":\"object\"}}", "dry_run",
                "\"id\":{\"type\":[\"integer\",\"string\"]}").doesNotContain("required");
        assertThat(json.length()).isLessThan(mapper.writeValueAsString(full).length() * 2 / 3);
        checker.compile("lean output schema", lean);
    }

    @Test
    void whatTheFullFormAcceptsTheLeanFormAcceptsAndTheShapeStillCounts() {
        // which fields are required is the server's check: it validates every result against the full form
        assertThat(checker.compile("full", full).problems(Map.of("status", "running"))).isNotEmpty();
        SchemaChecker.Compiled f = checker.compile("full", full);
        SchemaChecker.Compiled l = checker.compile("lean", WireSchemas.output(full));
        for (Map<String, Object> ok : List.of(Map.<String, Object>of("vmid", 100, "status", "running"),
                Map.<String, Object>of("vmid", 101, "status", "stopped", "disks", List.of(Map.of("key", "scsi0",
                        "size_bytes", 1024))), Map.<String, Object>of("dry_run", Map.of("summary", "x")))) {
            assertThat(f.problems(ok)).isEmpty();
            assertThat(l.problems(ok)).as("lean accepts %s", ok).isEmpty();
        }
        for (Map<String, Object> bad : List.of(Map.<String, Object>of("vmid", "100", "status", "running"),
                Map.<String, Object>of("vmid", 100, "status", "paused"),
                Map.<String, Object>of("vmid", 100, "status", "running", "disks", List.of("scsi0")))) {
            assertThat(f.problems(bad)).isNotEmpty();
            assertThat(l.problems(bad)).as("lean refuses %s", bad).isNotEmpty();
        }
    }

    @Test
    void inputsKeepWhatAModelNeedsAndLeavePatternsToTheServer() throws Exception {
        Map<String, Object> full = JsonSchema.object()
                .required("vmid", JsonSchema.integer().minimum(100).maximum(999_999_999))
                .optional("name", JsonSchema.string().pattern("^[a-z]+$").maxLength(63).description("DNS name"))
                .optional("tags", JsonSchema.array(JsonSchema.string().pattern("^[a-z]+$")).maxItems(20))
                .optional("mode", JsonSchema.string().enumValues("snapshot", "stop").defaultValue("snapshot"))
                .build();
        String json = mapper.writeValueAsString(WireSchemas.input(full));
        assertThat(json).doesNotContain("pattern", "maxLength", "maxItems", "minimum", "maximum", "additionalProperties")
                .contains("\"description\":\"DNS name\"", "\"enum\":[\"snapshot\",\"stop\"]",
                        "\"default\":\"snapshot\"", "\"required\":[\"vmid\"]", "\"type\":\"integer\"");
        checker.compile("lean input schema", WireSchemas.input(full));
    }
}
