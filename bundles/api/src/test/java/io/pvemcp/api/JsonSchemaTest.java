package io.pvemcp.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonSchemaTest {

    @Test
    void buildsObjectSchemasThatRefuseUnknownProperties() {
        JsonSchema vmid = JsonSchema.integer().minimum(100).maximum(999_999_999).description("VM id");
        Map<String, Object> schema = JsonSchema.object()
                .required("vmid", vmid)
                .optional("node", JsonSchema.string().pattern("^[a-z0-9]+$"))
                .optional("tags", JsonSchema.array(JsonSchema.string()).maxItems(5))
                .build();
        assertThat(schema).containsEntry("type", "object").containsEntry("additionalProperties", false)
                .containsEntry("required", List.of("vmid"));
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) schema.get("properties");
        assertThat(props.get("vmid")).isEqualTo(Map.of("type", "integer", "minimum", 100, "maximum", 999_999_999,
                "description", "VM id"));
        assertThat(props.get("tags")).isEqualTo(Map.of("type", "array", "items", Map.of("type", "string"), "maxItems", 5));
    }

    @Test
    void sharedFragmentsAreCopiedNotAliased() {
        JsonSchema node = JsonSchema.string();
        Map<String, Object> a = JsonSchema.object().optional("node", node).build();
        node.description("changed later");
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) a.get("properties");
        assertThat(props.get("node")).isEqualTo(Map.of("type", "string"));
        assertThatThrownBy(() -> a.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesPropertiesOnNonObjects() {
        assertThatThrownBy(() -> JsonSchema.string().optional("x", JsonSchema.string()))
                .isInstanceOf(IllegalStateException.class);
        assertThat(JsonSchema.anyOfTypes("string", "null").build()).containsEntry("type", List.of("string", "null"));
    }
}
