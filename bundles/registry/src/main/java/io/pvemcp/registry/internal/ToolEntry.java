package io.pvemcp.registry.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.modelcontextprotocol.spec.McpSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.registry.ToolRegistry;
import io.pvemcp.registry.ToolRegistry.ContributionInfo;

/** An accepted tool: its metadata, compiled schemas and MCP descriptor. */
final class ToolEntry extends Contributions.Entry<Tool> {

    /** Results checked against the full output schema: the first ones, then one in so many (see checksFully). */
    static final int FULL_CHECKS = 64;
    static final int SAMPLE_EVERY = 32;

    final String name;
    final String category;
    final String scope;
    final Risk risk;
    final boolean readOnly;
    final boolean destructive;
    /** Whether the registry adds {@code ha} to the arguments: the tool can stop or remove a workload. */
    final boolean haArgument;
    final SchemaChecker.Compiled input;
    final SchemaChecker.Compiled output;
    private final List<String> outputRequired;
    private final AtomicLong results = new AtomicLong();
    final McpSchema.Tool descriptor;
    final ToolRegistry.ToolDescription description;
    /** Whether the tool talks to Proxmox (every tool but the registry's own), and so takes {@code cluster}. */
    final boolean proxmox;
    /** The descriptor and description with {@code cluster}, by the clusters a caller reaches. */
    private final Map<List<String>, Map.Entry<McpSchema.Tool, ToolRegistry.ToolDescription>> withClusters =
            new java.util.concurrent.ConcurrentHashMap<>();

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
        this.risk = risk(p);
        this.readOnly = risk == Risk.READ;
        this.destructive = risk == Risk.DESTROY;
        this.haArgument = risk == Risk.DESTROY || risk == Risk.POWER;
        boolean idempotent = Properties.flag(p, Tool.IDEMPOTENT, false);
        boolean openWorld = Properties.flag(p, Tool.OPEN_WORLD, false);

        Map<String, Object> inputSchema = objectSchema("input schema", service.inputSchema());
        Map<String, Object> outputSchema = service.outputSchema();
        if (outputSchema != null) {
            objectSchema("output schema", outputSchema);
        }
        if (!readOnly) {
            Safety.checkOwnArguments(inputSchema);
        }
        this.input = schemas.compile("input schema", inputSchema);
        this.output = outputSchema == null ? null : schemas.compile("output schema", outputSchema);
        this.outputRequired = outputSchema != null && outputSchema.get("required") instanceof List<?> r
                ? r.stream().map(String::valueOf).toList() : List.of();
        // the preview that a changing tool answers to dry_run is named by that argument; it is the same for every
        // tool, so the lean output schema in tools/list describes the tool's own result only (it requires no field,
        // so a preview conforms to it)
        Map<String, Object> wireOutput = WireSchemas.output(outputSchema);
        if (!readOnly) {
            inputSchema = Safety.withSafetyArguments(inputSchema, haArgument);
            outputSchema = outputSchema == null ? null : Safety.withPreviewResult(outputSchema);
        }

        // hints at their defaults (readOnly false, idempotent false) and those a read makes meaningless (destructive,
        // idempotent) are left out; the title is the tool's own
        McpSchema.ToolAnnotations annotations = McpSchema.ToolAnnotations.builder()
                .readOnlyHint(readOnly ? Boolean.TRUE : null).destructiveHint(readOnly ? null : destructive)
                .idempotentHint(idempotent && !readOnly ? Boolean.TRUE : null).openWorldHint(openWorld).build();
        this.description = new ToolRegistry.ToolDescription(name, title == null ? "" : title, description, category, scope,
                risk.id(), readOnly, destructive, idempotent, openWorld, inputSchema, outputSchema);
        this.descriptor = McpSchema.Tool.builder().name(name).title(title).description(description)
                .inputSchema(WireSchemas.input(inputSchema)).outputSchema(wireOutput)
                .annotations(annotations).build();
        this.proxmox = !McpServerCore.BUNDLE.equals(bundle);
    }

    /**
     * @param reachable the clusters the caller reaches, its default first
     * @param several whether the server has more than one cluster
     * @return the tool as {@code tools/list} shows it to that caller: with more than one cluster the result names
     *         its cluster, and a caller that reaches more than one chooses with {@code cluster}
     */
    McpSchema.Tool descriptor(List<String> reachable, boolean several) {
        return !several || !proxmox ? descriptor : clustered(reachable).getKey();
    }

    /** @return the tool as the REST API describes it to a caller, see {@link #descriptor(List, boolean)} */
    ToolRegistry.ToolDescription description(List<String> reachable, boolean several) {
        return !several || !proxmox ? description : clustered(reachable).getValue();
    }

    private Map.Entry<McpSchema.Tool, ToolRegistry.ToolDescription> clustered(List<String> reachable) {
        if (withClusters.size() > 64) {
            withClusters.clear();
        }
        return withClusters.computeIfAbsent(List.copyOf(reachable), r -> {
            ToolRegistry.ToolDescription d = description;
            ToolRegistry.ToolDescription cd = new ToolRegistry.ToolDescription(d.name(), d.title(), d.description(),
                    d.category(), d.scope(), d.risk(), d.readOnly(), d.destructive(), d.idempotent(), d.openWorld(),
                    withArgument(d.inputSchema(), r), withMember(d.outputSchema()));
            McpSchema.Tool t = descriptor;
            McpSchema.Tool ct = McpSchema.Tool.builder().name(t.name()).title(t.title()).description(t.description())
                    .inputSchema(WireSchemas.input(withArgument(d.inputSchema(), r)))
                    .outputSchema(withMember(t.outputSchema())).annotations(t.annotations()).build();
            return Map.entry(ct, cd);
        });
    }

    /** @return the input schema with {@code cluster}, when the caller has a choice */
    private static Map<String, Object> withArgument(Map<String, Object> schema, List<String> reachable) {
        if (reachable.size() < 2 || !(schema.get("properties") instanceof Map<?, ?> props)) {
            return schema;
        }
        Map<String, Object> p = new java.util.LinkedHashMap<>();
        props.forEach((k, v) -> p.put((String) k, v));
        p.put(Clusters.ARGUMENT, Map.of("type", "string", "enum", reachable, "description", "Cluster; default "
                + reachable.get(0)));
        Map<String, Object> out = new java.util.LinkedHashMap<>(schema);
        out.put("properties", p);
        return out;
    }

    /** @return the output schema with the {@code cluster} member every result carries */
    private static Map<String, Object> withMember(Map<String, Object> schema) {
        if (schema == null || !(schema.get("properties") instanceof Map<?, ?> props)) {
            return schema;
        }
        Map<String, Object> p = new java.util.LinkedHashMap<>();
        p.put(Clusters.ARGUMENT, Map.of("type", "string"));
        props.forEach((k, v) -> p.put((String) k, v));
        Map<String, Object> out = new java.util.LinkedHashMap<>(schema);
        out.put("properties", p);
        return out;
    }

    /**
     * Whether this result is checked against the full output schema: the first {@value #FULL_CHECKS} results of a
     * tool and every {@value #SAMPLE_EVERY}th after them. The others get the cheap structural check (the required
     * members are there); a tool's results keep their shape from call to call, so a tool that breaks its schema
     * is caught by its first calls (and by its tests, which check every result), while a full validation of every
     * result cost about a tenth of the server's time per call.
     */
    boolean checksFully() {
        long n = results.getAndIncrement();
        return n < FULL_CHECKS || n % SAMPLE_EVERY == 0;
    }

    /** @return the required members of the output schema that the result lacks, as problems */
    List<String> missingRequired(Map<String, Object> structured) {
        List<String> missing = null;
        for (String k : outputRequired) {
            if (!structured.containsKey(k)) {
                (missing == null ? missing = new ArrayList<>() : missing).add("$: required property '" + k
                        + "' not found");
            }
        }
        return missing == null ? List.of() : missing;
    }

    static ToolEntry read(Contributions.Source<Tool> source, SchemaChecker schemas) {
        return new ToolEntry(source, schemas);
    }

    /** The declared risk; for bundles built before it existed, what their hints say. */
    private static Risk risk(Map<String, Object> p) {
        Object declared = p.get(Tool.RISK);
        if (declared instanceof Object[] a) {
            declared = a.length == 0 ? null : a.length == 1 ? a[0] : a;
        } else if (declared instanceof java.util.Collection<?> c) {
            declared = c.isEmpty() ? null : c.size() == 1 ? c.iterator().next() : c;
        }
        if (declared == null || declared.toString().isBlank()) {
            boolean readOnly = Properties.flag(p, Tool.READ_ONLY, false);
            return readOnly ? Risk.READ : Properties.flag(p, Tool.DESTRUCTIVE, true) ? Risk.DESTROY : Risk.CHANGE;
        }
        if (declared instanceof Risk r) {
            return r;
        }
        if (declared instanceof Object[] || declared instanceof java.util.Collection<?>) {
            throw new Contributions.Rejected("it declares more than one risk class (" + Tool.RISK + "); declare one");
        }
        try {
            return Risk.of(declared.toString());
        } catch (IllegalArgumentException e) {
            throw new Contributions.Rejected("its " + Tool.RISK + " " + e.getMessage());
        }
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
                scope, risk.id(), readOnly, destructive, bundle, bundleId, serviceId, ranking);
    }
}
