package io.pvemcp.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.pvemcp.registry.ToolRegistry.ToolDescription;

import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {

    @Test
    @SuppressWarnings("unchecked")
    void oneOperationPerToolWithItsSchemasAndLocalReferencesMoved() {
        Map<String, Object> input = Map.of("type", "object", "$defs", Map.of("address", Map.of("type", "object")),
                "properties", Map.of("address", Map.of("$ref", "#/$defs/address"), "tags", Map.of("type", "array",
                        "items", Map.of("$ref", "#/$defs/address"))));
        ToolDescription t = new ToolDescription("proxmox_vm_start", "Start a VM", "Starts a VM.", "vm", "proxmox:power",
                "power", false, false, true, false, input, Map.of("type", "object"));
        Map<String, Object> doc = OpenApiDocument.build("http://127.0.0.1:8000", "0.1.0", List.of(t));
        assertThat(doc).containsEntry("openapi", "3.1.0");
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        assertThat(paths).containsKeys("/api/v1/tools", "/api/v1/openapi.json", "/api/v1/tools/proxmox_vm_start");
        Map<String, Object> post = (Map<String, Object>) ((Map<String, Object>) paths.get("/api/v1/tools/proxmox_vm_start"))
                .get("post");
        assertThat(post).containsEntry("operationId", "proxmox_vm_start").containsEntry("x-scope", "proxmox:power");
        assertThat((String) post.get("description")).contains("Scope: proxmox:power", "idempotent");
        assertThat((Map<String, Object>) post.get("responses")).containsKeys("200", "400", "401", "403", "404", "422",
                "429", "503");
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas");
        Map<String, Object> moved = (Map<String, Object>) schemas.get("proxmox_vm_start_input");
        Map<String, Object> props = (Map<String, Object>) moved.get("properties");
        assertThat((Map<String, Object>) props.get("address")).containsEntry("$ref",
                "#/components/schemas/proxmox_vm_start_input/$defs/address");
        assertThat((Map<String, Object>) ((Map<String, Object>) props.get("tags")).get("items")).containsEntry("$ref",
                "#/components/schemas/proxmox_vm_start_input/$defs/address");
        assertThat(schemas).containsKey("proxmox_vm_start_output");
        assertThat(input.get("properties")).as("the tool's own schema is not changed")
                .isEqualTo(Map.of("address", Map.of("$ref", "#/$defs/address"), "tags", Map.of("type", "array", "items",
                        Map.of("$ref", "#/$defs/address"))));
    }
}
