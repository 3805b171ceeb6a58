package io.pvemcp.api;

import java.util.List;
import java.util.Map;

/**
 * Reads JSON-shaped Java values (what the Proxmox client returns and what tool arguments are made of):
 * {@code Map<String, Object>}, {@code List<Object>}, {@code String}, {@code Number}, {@code Boolean},
 * {@code null}. Accessors are lenient where Proxmox is: numbers may arrive as strings and booleans as
 * {@code 0}/{@code 1}.
 */
public final class Json {

    private Json() {
    }

    /**
     * @param value a JSON value
     * @return it as an object
     * @throws IllegalArgumentException if it is not an object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("expected a JSON object, got " + describe(value));
    }

    /**
     * @param value a JSON value
     * @return it as an array
     * @throws IllegalArgumentException if it is not an array
     */
    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new IllegalArgumentException("expected a JSON array, got " + describe(value));
    }

    /**
     * @param object an object
     * @param key a member name
     * @return the member as text, or {@code null} if absent or null
     */
    public static String string(Map<String, ?> object, String key) {
        Object v = object.get(key);
        return v == null ? null : v.toString();
    }

    /**
     * @param object an object
     * @param key a member name
     * @param fallback returned when the member is absent, null or not a number
     * @return the member as a long
     */
    public static long longValue(Map<String, ?> object, String key, long fallback) {
        Object v = object.get(key);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    /**
     * @param object an object
     * @param key a member name
     * @param fallback returned when the member is absent, null or not a number
     * @return the member as a double
     */
    public static double doubleValue(Map<String, ?> object, String key, double fallback) {
        Object v = object.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    /**
     * @param object an object
     * @param key a member name
     * @param fallback returned when the member is absent or null
     * @return the member as a boolean; Proxmox's {@code 0}/{@code 1} count as false/true
     */
    public static boolean bool(Map<String, ?> object, String key, boolean fallback) {
        Object v = object.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.intValue() != 0;
        }
        if (v instanceof String s) {
            return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "1", "true", "yes", "on" -> true;
                case "0", "false", "no", "off" -> false;
                default -> fallback;
            };
        }
        return fallback;
    }

    /**
     * Writes a JSON-shaped value as compact JSON text, e.g. for {@link ResourceContents#text}. Maps and lists
     * may nest; numbers, booleans and {@code null} are written as JSON literals, everything else as a string.
     *
     * @param value the value
     * @return the JSON text
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(sb, String.valueOf(e.getKey()));
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (value instanceof Iterable<?> l) {
            sb.append('[');
            boolean first = true;
            for (Object item : l) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                write(sb, item);
            }
            sb.append(']');
        } else if (value instanceof Double d && (d.isNaN() || d.isInfinite())
                || value instanceof Float f && (f.isNaN() || f.isInfinite())) {
            sb.append("null");
        } else if (value instanceof Number || value instanceof Boolean) {
            sb.append(value);
        } else {
            quote(sb, value.toString());
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return value.getClass().getSimpleName();
    }
}
