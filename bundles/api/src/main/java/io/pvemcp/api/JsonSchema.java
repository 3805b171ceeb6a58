package io.pvemcp.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds JSON Schema (draft 2020-12) documents for {@link Tool#inputSchema()} and
 * {@link Tool#outputSchema()}, so schemas are checked by the compiler and fragments can be shared:
 *
 * <pre>
 * static final JsonSchema VMID = JsonSchema.integer().minimum(100).maximum(999_999_999)
 *         .description("Numeric ID of the VM, e.g. 100.");
 *
 * Map&lt;String, Object&gt; input = JsonSchema.object()
 *         .required("vmid", VMID)
 *         .optional("node", JsonSchema.string().description("Node name; found automatically when omitted."))
 *         .build();
 * </pre>
 *
 * Builders are mutable; {@link #build()} returns an immutable copy, and {@code required}/{@code optional}
 * copy the fragment they are given, so a shared fragment is never changed by later calls.
 */
public final class JsonSchema {

    private final Map<String, Object> schema = new LinkedHashMap<>();
    private final Map<String, Object> properties;
    private final List<String> required;

    private JsonSchema(String type) {
        if (type != null) {
            schema.put("type", type);
        }
        if ("object".equals(type)) {
            properties = new LinkedHashMap<>();
            required = new ArrayList<>();
        } else {
            properties = null;
            required = null;
        }
    }

    /** @return an object schema; unknown properties are rejected unless {@link #additionalProperties(boolean)} */
    public static JsonSchema object() {
        JsonSchema s = new JsonSchema("object");
        s.schema.put("additionalProperties", false);
        return s;
    }

    /** @return a string schema */
    public static JsonSchema string() {
        return new JsonSchema("string");
    }

    /** @return an integer schema */
    public static JsonSchema integer() {
        return new JsonSchema("integer");
    }

    /** @return a number schema */
    public static JsonSchema number() {
        return new JsonSchema("number");
    }

    /** @return a boolean schema */
    public static JsonSchema bool() {
        return new JsonSchema("boolean");
    }

    /**
     * @param items the schema of every item
     * @return an array schema
     */
    public static JsonSchema array(JsonSchema items) {
        JsonSchema s = new JsonSchema("array");
        s.schema.put("items", items.build());
        return s;
    }

    /**
     * @param types the JSON types allowed, e.g. {@code "string", "null"}
     * @return a schema allowing any of them
     */
    public static JsonSchema anyOfTypes(String... types) {
        JsonSchema s = new JsonSchema(null);
        s.schema.put("type", List.of(types));
        return s;
    }

    /** @param text what the value means, with an example @return this */
    public JsonSchema description(String text) {
        return put("description", text);
    }

    /** @param text a short title @return this */
    public JsonSchema title(String text) {
        return put("title", text);
    }

    /** @param values the allowed values @return this */
    public JsonSchema enumValues(Object... values) {
        return put("enum", List.of(values));
    }

    /** @param regex an ECMA-262 regular expression the whole value must match @return this */
    public JsonSchema pattern(String regex) {
        return put("pattern", regex);
    }

    /** @param format a format name, e.g. {@code date-time} @return this */
    public JsonSchema format(String format) {
        return put("format", format);
    }

    /** @param value inclusive minimum @return this */
    public JsonSchema minimum(Number value) {
        return put("minimum", value);
    }

    /** @param value inclusive maximum @return this */
    public JsonSchema maximum(Number value) {
        return put("maximum", value);
    }

    /** @param value minimum string length @return this */
    public JsonSchema minLength(int value) {
        return put("minLength", value);
    }

    /** @param value maximum string length @return this */
    public JsonSchema maxLength(int value) {
        return put("maxLength", value);
    }

    /** @param value minimum array length @return this */
    public JsonSchema minItems(int value) {
        return put("minItems", value);
    }

    /** @param value maximum array length @return this */
    public JsonSchema maxItems(int value) {
        return put("maxItems", value);
    }

    /** @param value the default, documented for the model @return this */
    public JsonSchema defaultValue(Object value) {
        return put("default", value);
    }

    /**
     * @param allowed whether an object may have properties the schema does not list
     * @return this
     */
    public JsonSchema additionalProperties(boolean allowed) {
        requireObject();
        return put("additionalProperties", allowed);
    }

    /**
     * Adds a property the value must have.
     *
     * @param name the property name
     * @param property its schema
     * @return this
     */
    public JsonSchema required(String name, JsonSchema property) {
        optional(name, property);
        required.add(name);
        return this;
    }

    /**
     * Adds a property the value may have.
     *
     * @param name the property name
     * @param property its schema
     * @return this
     */
    public JsonSchema optional(String name, JsonSchema property) {
        requireObject();
        Objects.requireNonNull(name, "name");
        properties.put(name, property.build());
        return this;
    }

    /**
     * Sets any other keyword.
     *
     * @param keyword the JSON Schema keyword
     * @param value its value (JSON-shaped)
     * @return this
     */
    public JsonSchema put(String keyword, Object value) {
        schema.put(Objects.requireNonNull(keyword, "keyword"), Objects.requireNonNull(value, keyword));
        return this;
    }

    /** @return the schema as an immutable JSON-shaped map */
    public Map<String, Object> build() {
        Map<String, Object> out = new LinkedHashMap<>(schema);
        if (properties != null) {
            out.put("properties", Collections.unmodifiableMap(new LinkedHashMap<>(properties)));
            if (!required.isEmpty()) {
                out.put("required", List.copyOf(required));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private void requireObject() {
        if (properties == null) {
            throw new IllegalStateException("properties apply to object schemas only");
        }
    }
}
