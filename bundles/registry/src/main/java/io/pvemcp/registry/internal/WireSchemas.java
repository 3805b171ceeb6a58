package io.pvemcp.registry.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The form in which {@code tools/list} carries a tool's schemas. A model pays for every character of it, so it
 * carries what a model needs to call the tool and read its answer, and leaves to the server what only validation
 * needs:
 * <ul>
 * <li>input: every argument with its type, description, enum and default, and which are required; string
 * patterns, numeric bounds, length and item limits and {@code additionalProperties} are left out (the server checks
 * arguments against the full schema and names what to fix, and a description states a bound a model should know);
 * <li>output: the result's fields with their types and enums; nested objects and arrays of objects by type only
 * (their fields are in the OpenAPI document); which fields are required is left to the server, which checks every
 * result against the full schema.
 * </ul>
 * The full schemas stay what the registry validates against and what OpenAPI and the console show; whatever conforms
 * to a full schema conforms to its lean form.
 */
final class WireSchemas {

    private static final Set<String> DROPPED = Set.of("description", "title", "minimum", "maximum", "pattern",
            "format", "minLength", "maxLength", "minItems", "maxItems", "default", "examples");

    private WireSchemas() {
    }

    private static final Set<String> INPUT_DROPPED = Set.of("pattern", "minLength", "maxLength", "minItems",
            "maxItems", "minimum", "maximum", "examples", "title", "additionalProperties");

    static Map<String, Object> output(Map<String, Object> schema) {
        return schema == null ? null : shallow(lean(schema));
    }

    static Map<String, Object> input(Map<String, Object> schema) {
        return schema == null ? null : inputs(schema);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> inputs(Map<String, Object> schema) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : schema.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (INPUT_DROPPED.contains(k) && !(v instanceof Map)) {
                continue;
            }
            if (k.equals("properties") && v instanceof Map<?, ?> props) {
                Map<String, Object> p = new LinkedHashMap<>();
                props.forEach((name, s) -> p.put((String) name, s instanceof Map<?, ?> m
                        ? inputs((Map<String, Object>) m) : s));
                out.put(k, p);
            } else if (k.equals("items") && v instanceof Map<?, ?> m) {
                out.put(k, inputs((Map<String, Object>) m));
            } else {
                out.put(k, v);
            }
        }
        return out;
    }

    /** The top-level fields as they are; below them, objects and arrays of objects by type only. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> shallow(Map<String, Object> schema) {
        if (!(schema.get("properties") instanceof Map<?, ?> props)) {
            return schema;
        }
        Map<String, Object> p = new LinkedHashMap<>();
        props.forEach((name, s) -> p.put((String) name, s instanceof Map<?, ?> m ? typeOnly((Map<String, Object>) m)
                : s));
        Map<String, Object> out = new LinkedHashMap<>(schema);
        out.put("properties", p);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> typeOnly(Map<String, Object> s) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : List.of("type", "enum", "anyOf")) {
            if (s.containsKey(k)) {
                out.put(k, s.get(k));
            }
        }
        if (s.get("items") instanceof Map<?, ?> items) {
            Object t = items.get("type");
            out.put("items", "object".equals(t) || t == null ? Map.of("type", "object")
                    : typeOnly((Map<String, Object>) items));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> lean(Map<String, Object> schema) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : schema.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (DROPPED.contains(k) && !(v instanceof Map) || k.equals("additionalProperties") && !(v instanceof Map)
                    || k.equals("required")) {
                continue;
            }
            if (k.equals("properties") && v instanceof Map<?, ?> props) {
                Map<String, Object> p = new LinkedHashMap<>();
                props.forEach((name, s) -> p.put((String) name, s instanceof Map<?, ?> m
                        ? lean((Map<String, Object>) m) : s));
                out.put(k, p);
            } else if ((k.equals("items") || k.equals("additionalProperties")) && v instanceof Map<?, ?> m) {
                out.put(k, lean((Map<String, Object>) m));
            } else if ((k.equals("anyOf") || k.equals("oneOf")) && v instanceof List<?> l) {
                List<Object> kept = l.stream().map(s -> s instanceof Map<?, ?> m ? lean((Map<String, Object>) m)
                        : s).filter(s -> !(s instanceof Map<?, ?> m && m.isEmpty())).toList();
                if (kept.size() == l.size()) {
                    out.put(k, kept);
                }
            } else {
                out.put(k, v);
            }
        }
        return out;
    }
}
