package io.pvemcp.registry.internal;

import static io.pvemcp.registry.internal.Fixtures.objects;
import static io.pvemcp.registry.internal.Fixtures.props;
import static io.pvemcp.registry.internal.Fixtures.simple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verify;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Resource;
import io.pvemcp.api.ResourceContents;
import io.pvemcp.api.Tool;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

class ContributionsTest {

    final SchemaChecker schemas = new SchemaChecker(new ObjectMapper());
    final Contributions<Tool, ToolEntry> tools = new Contributions<>("tool", Tool.NAME, s -> ToolEntry.read(s, schemas));

    @Test
    void acceptsValidToolsAndBuildsTheirDescriptor() {
        Map<String, Object> p = props("proxmox_vm_list", 1, 0);
        p.put(Tool.READ_ONLY, true);
        p.put(Tool.TITLE, "List VMs");
        assertThat(tools.add(objects(simple("ok"), p, "b"), p)).isTrue();
        ToolEntry e = tools.get("proxmox_vm_list");
        assertThat(e.descriptor.annotations().readOnlyHint()).isTrue();
        assertThat(e.descriptor.annotations().destructiveHint()).as("meaningless for a read, left out").isNull();
        assertThat(e.description.destructive()).isFalse();
        assertThat(e.descriptor.title()).isEqualTo("List VMs");
        assertThat(e.scope).isEqualTo("proxmox:read");
        assertThat(tools.infos()).singleElement().satisfies(i -> assertThat(i.bundle()).isEqualTo("b"));
    }

    @Test
    void writeToolsAreDestructiveUnlessTheySayOtherwise() {
        Map<String, Object> p = props("proxmox_vm_stop", 1, 0);
        tools.add(objects(simple("ok"), p, "b"), p);
        assertThat(tools.get("proxmox_vm_stop").descriptor.annotations().destructiveHint()).isTrue();
    }

    @Test
    void refusesInvalidContributionsWithAReason() {
        Map<String, Object> badName = props("bad name", 1, 0);
        Map<String, Object> noDescription = props("no_description", 2, 0);
        noDescription.remove(Tool.DESCRIPTION);
        Map<String, Object> badScope = props("bad_scope", 3, 0);
        badScope.put(Tool.SCOPE, "root");
        Map<String, Object> badSchema = props("bad_schema", 4, 0);
        Map<String, Object> arraySchema = props("array_schema", 5, 0);
        Map<String, Object> noService = props("no_service", 6, 0);

        assertThat(tools.add(objects(simple("x"), badName, "b"), badName)).isFalse();
        assertThat(tools.add(objects(simple("x"), noDescription, "b"), noDescription)).isFalse();
        assertThat(tools.add(objects(simple("x"), badScope, "b"), badScope)).isFalse();
        assertThat(tools.add(objects(Fixtures.tool(Map.of("type", "object", "properties", Map.of("x", Map.of("type", 7))),
                null, c -> null), badSchema, "b"), badSchema)).isFalse();
        assertThat(tools.add(objects(Fixtures.tool(Map.of("type", "array"), null, c -> null), arraySchema, "b"),
                arraySchema)).isFalse();
        assertThat(tools.add(objects((Tool) null, noService, "b"), noService)).isFalse();

        assertThat(tools.active()).isEmpty();
        assertThat(tools.rejections()).extracting(r -> r.name() + ": " + r.reason()).containsExactly(
                "bad name: the tool name 'bad name' is not valid: use 1 to 64 letters, digits, '_' or '-' (e.g. proxmox_vm_list)",
                "no_description: the service property pvemcp.tool.description is missing or empty",
                "bad_scope: the scope 'root' is not one of [proxmox:read, proxmox:power, proxmox:write, proxmox:destroy, proxmox:admin]",
                "bad_schema: its input schema is not valid JSON Schema 2020-12: "
                        + tools.rejections().get(3).reason().substring("its input schema is not valid JSON Schema 2020-12: ".length()),
                "array_schema: its input schema must describe a JSON object (\"type\": \"object\")",
                "no_service: the service could not be obtained (its component failed to activate; see the log)");
        assertThat(tools.rejections().get(3).reason()).contains("properties.x.type: does not have a value in the enumeration");
    }

    @Test
    void theHigherRankingWinsAndTheOtherIsPromotedWhenItLeaves() {
        Map<String, Object> low = props("proxmox_vm_list", 10, 0);
        Map<String, Object> high = props("proxmox_vm_list", 11, 5);
        var lowObjects = objects(simple("low"), low, "standard");
        var highObjects = objects(simple("high"), high, "custom");
        assertThat(tools.add(lowObjects, low)).isTrue();
        assertThat(tools.add(highObjects, high)).isTrue();
        assertThat(tools.get("proxmox_vm_list").bundle).isEqualTo("custom");
        assertThat(tools.rejections()).singleElement().satisfies(r -> {
            assertThat(r.bundle()).isEqualTo("standard");
            assertThat(r.reason()).contains("already provided by bundle custom (service 11, ranking 5)");
        });

        assertThat(tools.remove(highObjects, high)).isTrue();
        assertThat(tools.get("proxmox_vm_list").bundle).isEqualTo("standard");
        assertThat(tools.rejections()).isEmpty();
        verify(highObjects).ungetService(org.mockito.ArgumentMatchers.any());
    }

    @Test
    void onEqualRankingTheOlderServiceWins() {
        Map<String, Object> first = props("t", 3, 0);
        Map<String, Object> second = props("t", 4, 0);
        tools.add(objects(simple("a"), first, "a"), first);
        assertThat(tools.add(objects(simple("b"), second, "b"), second)).isFalse();
        assertThat(tools.get("t").serviceId).isEqualTo(3L);
    }

    @Test
    void refusesAnInvalidOutputSchema() {
        Map<String, Object> p = props("t", 1, 0);
        Tool t = Fixtures.tool(JsonSchema.object().build(), Map.of("type", "string"), c -> null);
        assertThat(tools.add(objects(t, p, "b"), p)).isFalse();
        assertThat(tools.rejections().get(0).reason()).contains("output schema must describe a JSON object");
    }

    @Test
    void resourcesMatchTheirTemplates() {
        Contributions<Resource, ResourceEntry> resources = new Contributions<>("resource", Resource.URI, ResourceEntry::read);
        Map<String, Object> p = Map.of(Resource.URI, "proxmox://nodes/{node}/status", Resource.NAME, "node-status",
                Constants.SERVICE_ID, 1L, Constants.SERVICE_RANKING, 0);
        Resource r = request -> ResourceContents.text(request.uri(), null, "x");
        assertThat(resources.add(objects(r, p, "b"), p)).isTrue();
        ResourceEntry e = resources.get("proxmox://nodes/{node}/status");
        assertThat(e.template).isTrue();
        assertThat(e.match("proxmox://nodes/pve1/status")).containsEntry("node", "pve1");
        assertThat(e.match("proxmox://nodes/pve1/other")).isNull();
        assertThat(e.match("proxmox://nodes/a%20b/status")).containsEntry("node", "a b");

        Map<String, Object> bad = Map.of(Resource.URI, "not a uri", Resource.NAME, "x", Constants.SERVICE_ID, 2L);
        assertThat(resources.add(objects(r, bad, "b"), bad)).isFalse();
        assertThat(resources.rejections().get(0).reason()).contains("must look like scheme://path");
    }
}
