package io.pvemcp.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The arguments of a tool call, already validated against the tool's input schema. The typed accessors
 * still check what they return, so a tool whose schema is looser than its code fails with a clear
 * {@link ToolException} ("Invalid argument 'vmid': ...") rather than a {@link ClassCastException}.
 */
public final class Arguments {

    private final Map<String, Object> values;

    /**
     * @param values the arguments as JSON-shaped values; {@code null} means none
     */
    public Arguments(Map<String, Object> values) {
        this.values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** @return all arguments, unmodifiable */
    public Map<String, Object> asMap() {
        return values;
    }

    /**
     * @param name an argument name
     * @return {@code true} if the argument is present and not {@code null}
     */
    public boolean has(String name) {
        return values.get(name) != null;
    }

    /**
     * @param name an argument name
     * @return the value
     * @throws ToolException if it is missing or not a string
     */
    public String string(String name) {
        return optionalString(name).orElseThrow(() -> missing(name));
    }

    /**
     * @param name an argument name
     * @param fallback the value when absent
     * @return the value or {@code fallback}
     */
    public String string(String name, String fallback) {
        return optionalString(name).orElse(fallback);
    }

    /**
     * @param name an argument name
     * @return the value, if present
     * @throws ToolException if present but not a string
     */
    public Optional<String> optionalString(String name) {
        Object v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s) {
            return Optional.of(s);
        }
        throw ToolException.invalidArgument(name, "expected a string, got " + Json.describe(v) + ".");
    }

    /**
     * @param name an argument name
     * @return the value
     * @throws ToolException if missing or not an integer
     */
    public long integer(String name) {
        return optionalInteger(name).orElseThrow(() -> missing(name));
    }

    /**
     * @param name an argument name
     * @param fallback the value when absent
     * @return the value or {@code fallback}
     */
    public long integer(String name, long fallback) {
        return optionalInteger(name).orElse(fallback);
    }

    /**
     * @param name an argument name
     * @return the value, if present
     * @throws ToolException if present but not an integer that fits a {@code long}
     */
    public Optional<Long> optionalInteger(String name) {
        Object v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return Optional.of(((Number) v).longValue());
        }
        if (v instanceof BigInteger b && b.bitLength() < 64) {
            return Optional.of(b.longValue());
        }
        if (v instanceof Number n) {
            BigDecimal d = new BigDecimal(n.toString());
            if (d.stripTrailingZeros().scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
                return Optional.of(d.longValue());
            }
        }
        throw ToolException.invalidArgument(name, "expected an integer, got " + Json.describe(v) + " (" + v + ").");
    }

    /**
     * @param name an argument name
     * @param fallback the value when absent
     * @return the value or {@code fallback}
     * @throws ToolException if present but not a number
     */
    public double number(String name, double fallback) {
        Object v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw ToolException.invalidArgument(name, "expected a number, got " + Json.describe(v) + ".");
    }

    /**
     * @param name an argument name
     * @param fallback the value when absent
     * @return the value or {@code fallback}
     * @throws ToolException if present but not a boolean
     */
    public boolean bool(String name, boolean fallback) {
        Object v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw ToolException.invalidArgument(name, "expected true or false, got " + Json.describe(v) + ".");
    }

    /**
     * @param name an argument name
     * @return the array of strings, empty if absent
     * @throws ToolException if present but not an array of strings
     */
    public List<String> strings(String name) {
        Object v = values.get(name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object item : list) {
                if (!(item instanceof String s)) {
                    throw ToolException.invalidArgument(name, "expected an array of strings, found "
                            + Json.describe(item) + ".");
                }
                out.add(s);
            }
            return List.copyOf(out);
        }
        throw ToolException.invalidArgument(name, "expected an array of strings, got " + Json.describe(v) + ".");
    }

    /**
     * @param name an argument name
     * @return the object, if present
     * @throws ToolException if present but not an object
     */
    public Optional<Map<String, Object>> object(String name) {
        Object v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Map) {
            return Optional.of(Json.map(v));
        }
        throw ToolException.invalidArgument(name, "expected an object, got " + Json.describe(v) + ".");
    }

    private static ToolException missing(String name) {
        return ToolException.invalidArgument(name, "this argument is required.");
    }

    @Override
    public String toString() {
        return "Arguments" + values.keySet();
    }
}
