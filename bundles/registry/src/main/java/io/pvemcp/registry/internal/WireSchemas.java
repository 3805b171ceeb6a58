package io.pvemcp.registry.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The form in which {@code tools/list} carries a tool's output schema: its structure (types, properties, items,
 * enums, the top-level {@code required} and {@code anyOf}), without what only our own validation needs
 * (descriptions, bounds, patterns, {@code additionalProperties}, nested {@code required}). The full schema stays
 * what the registry validates results against and what OpenAPI and the console show. A model pays for every
 * character of {@code tools/list}; a client validating a result against the lean form accepts what the full form
 * accepts.
 */
final class WireSchemas {

    private static final Set<String> DROPPED = Set.of("description", "title", "minimum", "maximum", "pattern",
            "format", "minLength", "maxLength", "minItems", "maxItems", "default", "examples");

    private WireSchemas() {
    }

    static Map<String, Object> output(Map<String, Object> schema) {
        return schema == null ? null : lean(schema, true);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> lean(Map<String, Object> schema, boolean top) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : schema.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (DROPPED.contains(k) && !(v instanceof Map) || k.equals("additionalProperties") && !(v instanceof Map)
                    || k.equals("required") && !top) {
                continue;
            }
            if (k.equals("properties") && v instanceof Map<?, ?> props) {
                Map<String, Object> p = new LinkedHashMap<>();
                props.forEach((name, s) -> p.put((String) name, s instanceof Map<?, ?> m
                        ? lean((Map<String, Object>) m, false) : s));
                out.put(k, p);
            } else if ((k.equals("items") || k.equals("additionalProperties")) && v instanceof Map<?, ?> m) {
                out.put(k, lean((Map<String, Object>) m, false));
            } else if ((k.equals("anyOf") || k.equals("oneOf")) && v instanceof List<?> l) {
                out.put(k, l.stream().map(s -> s instanceof Map<?, ?> m ? lean((Map<String, Object>) m, top) : s)
                        .toList());
            } else {
                out.put(k, v);
            }
        }
        return out;
    }
}
