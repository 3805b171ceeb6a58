package io.pvemcp.pve.contract;

import java.util.List;
import java.util.Map;

/**
 * Checks data against a method's {@code returns} schema: types, required members, enums and items. Members
 * the schema does not list are allowed unless it says {@code additionalProperties: 0}.
 */
final class ReturnChecker {

    private ReturnChecker() {
    }

    @SuppressWarnings("unchecked")
    static void check(String where, Object schemaObject, Object value, List<String> problems) {
        if (!(schemaObject instanceof Map<?, ?> raw)) {
            return;
        }
        Map<String, Object> schema = (Map<String, Object>) raw;
        String type = schema.get("type") instanceof String t ? t : null;
        if (value == null) {
            if (type != null && !type.equals("null") && !ApiMethod.isOptional(schema)) {
                problems.add(where + ": is null, expected " + type);
            }
            return;
        }
        if (type != null) {
            String problem = typeProblem(type, value);
            if (problem != null) {
                problems.add(where + ": " + problem);
                return;
            }
        }
        if (schema.get("enum") instanceof List<?> values && !values.contains(String.valueOf(value))
                && !values.contains(value)) {
            problems.add(where + ": '" + value + "' is not one of " + values);
        }
        if (value instanceof Map<?, ?> map && schema.get("properties") instanceof Map<?, ?> props) {
            for (var e : ((Map<String, Object>) props).entrySet()) {
                Object member = map.get(e.getKey());
                Map<String, Object> ps = (Map<String, Object>) e.getValue();
                if (!map.containsKey(e.getKey())) {
                    if (!ApiMethod.isOptional(ps)) {
                        problems.add(where + "." + e.getKey() + ": is missing");
                    }
                    continue;
                }
                check(where + "." + e.getKey(), ps, member, problems);
            }
            Object additional = schema.get("additionalProperties");
            if (additional instanceof Number n && n.intValue() == 0) {
                for (Object k : map.keySet()) {
                    if (!((Map<String, Object>) props).containsKey(String.valueOf(k))) {
                        problems.add(where + "." + k + ": is not in the schema");
                    }
                }
            }
        }
        if (value instanceof List<?> list && schema.get("items") != null) {
            for (int i = 0; i < list.size(); i++) {
                check(where + "[" + i + "]", schema.get("items"), list.get(i), problems);
            }
        }
    }

    private static String typeProblem(String type, Object value) {
        return switch (type) {
            case "object" -> value instanceof Map ? null : "expected an object, got " + value.getClass().getSimpleName();
            case "array" -> value instanceof List ? null : "expected an array, got " + value.getClass().getSimpleName();
            case "string" -> value instanceof String ? null : "expected a string, got " + value;
            case "integer" -> value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) ? null
                    : "expected an integer, got " + value;
            case "number" -> value instanceof Number ? null : "expected a number, got " + value;
            case "boolean" -> value instanceof Boolean || value instanceof Number n && (n.intValue() == 0 || n.intValue() == 1)
                    ? null : "expected a boolean, got " + value;
            case "null" -> "expected null, got " + value;
            default -> null;
        };
    }
}
