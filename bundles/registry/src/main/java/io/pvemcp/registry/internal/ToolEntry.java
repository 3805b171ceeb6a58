package io.pvemcp.registry.internal;

import java.util.Map;

import io.modelcontextprotocol.spec.McpSchema;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.registry.ToolRegistry;
import io.pvemcp.registry.ToolRegistry.ContributionInfo;

/** An accepted tool: its metadata, compiled schemas and MCP descriptor. */
final class ToolEntry extends Contributions.Entry<Tool> {

    final String name;
    final String category;
    final String scope;
    final boolean readOnly;
    final boolean destructive;
    final SchemaChecker.Compiled input;
    final SchemaChecker.Compiled output;
    final McpSchema.Tool descriptor;
    final ToolRegistry.ToolDescription description;

    private ToolEntry(Contributions.Source<Tool> source, SchemaChecker schemas) {
        super(Properties.name(source.properties(), Tool.NAME, "tool"), source);
        Map<String, Object> p = source.properties();
        this.name = key;
        String description = Properties.required(p, Tool.DESCRIPTION);
        String title = Properties.optional(p, Tool.TITLE, null);
        this.category = Properties.required(p, Tool.CATEGORY);
        this.scope = Properties.optional(p, Tool.SCOPE, Scopes.READ);
        if (!Scopes.isKnown(scope)) {
            throw new Contributions.Rejected("the scope '" + scope + "' is not one of " + Scopes.ALL);
        }
        this.readOnly = Properties.flag(p, Tool.READ_ONLY, false);
        this.destructive = !readOnly && Properties.flag(p, Tool.DESTRUCTIVE, true);
        boolean idempotent = Properties.flag(p, Tool.IDEMPOTENT, false);
        boolean openWorld = Properties.flag(p, Tool.OPEN_WORLD, false);

        Map<String, Object> inputSchema = objectSchema("input schema", service.inputSchema());
        Map<String, Object> outputSchema = service.outputSchema();
        if (outputSchema != null) {
            objectSchema("output schema", outputSchema);
        }
        this.input = schemas.compile("input schema", inputSchema);
        this.output = outputSchema == null ? null : schemas.compile("output schema", outputSchema);

        McpSchema.ToolAnnotations annotations = McpSchema.ToolAnnotations.builder().title(title)
                .readOnlyHint(readOnly).destructiveHint(destructive).idempotentHint(idempotent)
                .openWorldHint(openWorld).build();
        this.description = new ToolRegistry.ToolDescription(name, title == null ? "" : title, description, category, scope,
                readOnly, destructive, idempotent, openWorld, inputSchema, outputSchema);
        this.descriptor = McpSchema.Tool.builder().name(name).title(title).description(description)
                .inputSchema(inputSchema).outputSchema(outputSchema).annotations(annotations).build();
    }

    static ToolEntry read(Contributions.Source<Tool> source, SchemaChecker schemas) {
        return new ToolEntry(source, schemas);
    }

    private static Map<String, Object> objectSchema(String what, Map<String, Object> schema) {
        if (schema == null) {
            throw new Contributions.Rejected("its " + what + " is null");
        }
        if (!"object".equals(schema.get("type"))) {
            throw new Contributions.Rejected("its " + what + " must describe a JSON object (\"type\": \"object\")");
        }
        return schema;
    }

    @Override
    ContributionInfo info() {
        return new ContributionInfo("tool", name, descriptor.title() == null ? "" : descriptor.title(), category,
                scope, readOnly, destructive, bundle, bundleId, serviceId, ranking);
    }
}
