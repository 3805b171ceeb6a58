package io.pvemcp.registry.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

/**
 * JSON Schema 2020-12 checks: whether a tool's schema is itself valid, and whether arguments or results
 * conform to it, with one readable message per problem ("vmid: must have a minimum value of 100").
 */
final class SchemaChecker {

    private final ObjectMapper mapper;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012());
    private final Schema metaSchema = registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    SchemaChecker(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A compiled schema. */
    final class Compiled {
        private final Schema schema;

        private Compiled(Schema schema) {
            this.schema = schema;
        }

        /** @return one message per problem; empty if {@code instance} conforms */
        List<String> problems(Object instance) {
            JsonNode node = mapper.valueToTree(instance);
            return messages(schema.validate(node));
        }
    }

    /**
     * Checks a schema and compiles it.
     *
     * @param what what the schema describes, for the message, e.g. "input schema"
     * @param schema the schema
     * @return the compiled schema
     * @throws Contributions.Rejected if the schema is not valid JSON Schema 2020-12
     */
    Compiled compile(String what, Map<String, Object> schema) {
        JsonNode node;
        try {
            node = mapper.valueToTree(schema);
        } catch (IllegalArgumentException e) {
            throw new Contributions.Rejected("its " + what + " is not JSON: " + e.getMessage());
        }
        List<String> problems = messages(metaSchema.validate(node));
        if (!problems.isEmpty()) {
            throw new Contributions.Rejected("its " + what + " is not valid JSON Schema 2020-12: "
                    + String.join("; ", problems));
        }
        try {
            return new Compiled(registry.getSchema(node));
        } catch (RuntimeException e) {
            throw new Contributions.Rejected("its " + what + " cannot be compiled: " + e.getMessage());
        }
    }

    /** Renders a JSON Pointer ({@code /disks/0/size}) or a JSON path ({@code $.disks[0].size}) as {@code disks[0].size}. */
    static String path(String location) {
        if (location.startsWith("$.")) {
            return location.substring(2);
        }
        StringBuilder sb = new StringBuilder();
        for (String segment : location.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            String s = segment.replace("~1", "/").replace("~0", "~");
            if (s.chars().allMatch(Character::isDigit)) {
                sb.append('[').append(s).append(']');
            } else {
                sb.append(sb.length() == 0 ? "" : ".").append(s);
            }
        }
        return sb.toString();
    }

    private static List<String> messages(List<Error> errors) {
        List<String> out = new ArrayList<>();
        for (Error e : errors) {
            String m = e.getMessage();
            String location = e.getInstanceLocation() == null ? "$" : e.getInstanceLocation().toString();
            if (m.startsWith("$")) {
                m = m.startsWith("$.") ? m.substring(2) : m.startsWith("$: ") ? m.substring(3) : m.substring(1);
            } else if (!location.equals("$") && !location.isEmpty() && !location.equals("/")) {
                m = path(location) + ": " + m;
            }
            if (!out.contains(m)) {
                out.add(m);
            }
        }
        return out;
    }
}
