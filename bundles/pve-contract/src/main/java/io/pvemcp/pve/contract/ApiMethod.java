package io.pvemcp.pve.contract;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;


/**
 * One method of one path of the Proxmox VE API: its parameters, permissions and return type, and the
 * parameter check a real node performs before it runs the method.
 */
public final class ApiMethod {

    private final String httpMethod;
    private final String path;
    private final String name;
    private final boolean protectedMethod;
    private final boolean allowToken;
    private final boolean additionalProperties;
    private final Map<String, Map<String, Object>> properties;
    private final Map<Pattern, String> indexedProperties;
    private final Object permissions;
    private final Object returns;

    @SuppressWarnings("unchecked")
    ApiMethod(String httpMethod, String path, Map<String, Object> node) {
        this.httpMethod = httpMethod;
        this.path = path;
        this.name = String.valueOf(node.getOrDefault("name", ""));
        this.protectedMethod = flag(node.get("protected"), false);
        this.allowToken = flag(node.get("allowtoken"), true);
        Map<String, Object> parameters = (Map<String, Object>) node.getOrDefault("parameters", Map.of());
        this.additionalProperties = flag(parameters.get("additionalProperties"), true);
        Map<String, Map<String, Object>> props = new LinkedHashMap<>();
        Map<Pattern, String> indexed = new LinkedHashMap<>();
        Object declared = parameters.get("properties");
        if (declared instanceof Map<?, ?> m) {
            for (var e : ((Map<String, Object>) m).entrySet()) {
                props.put(e.getKey(), Collections.unmodifiableMap((Map<String, Object>) e.getValue()));
                if (e.getKey().endsWith("[n]")) {
                    String base = e.getKey().substring(0, e.getKey().length() - 3);
                    indexed.put(Pattern.compile(Pattern.quote(base) + "\\d+"), e.getKey());
                }
            }
        }
        this.properties = Collections.unmodifiableMap(props);
        this.indexedProperties = Collections.unmodifiableMap(indexed);
        this.permissions = node.get("permissions");
        this.returns = node.get("returns");
    }

    private static boolean flag(Object value, boolean fallback) {
        return value instanceof Number n ? n.intValue() != 0 : fallback;
    }

    /** @return {@code GET}, {@code POST}, {@code PUT} or {@code DELETE} */
    public String httpMethod() {
        return httpMethod;
    }

    /** @return the path template, e.g. {@code /nodes/{node}/status} */
    public String path() {
        return path;
    }

    /** @return the method's name in the API, e.g. {@code vm_start} */
    public String name() {
        return name;
    }

    /** @return {@code true} if a node runs it in its privileged daemon ({@code protected: 1}) */
    public boolean isProtected() {
        return protectedMethod;
    }

    /** @return {@code true} if API tokens may call it */
    public boolean allowToken() {
        return allowToken;
    }

    /** @return {@code true} if parameters the contract does not list are accepted */
    public boolean additionalPropertiesAllowed() {
        return additionalProperties;
    }

    /** @return the parameter schemas by name; indexed parameters appear as {@code net[n]} */
    public Map<String, Map<String, Object>> parameters() {
        return properties;
    }

    /**
     * Finds the schema of a concrete parameter name; {@code net3} finds {@code net[n]}.
     *
     * @param parameter a parameter name
     * @return its schema, if the contract lists it
     */
    public Optional<Map<String, Object>> parameter(String parameter) {
        Map<String, Object> schema = properties.get(parameter);
        if (schema != null) {
            return Optional.of(schema);
        }
        for (var e : indexedProperties.entrySet()) {
            if (e.getKey().matcher(parameter).matches()) {
                return Optional.of(properties.get(e.getValue()));
            }
        }
        return Optional.empty();
    }

    /** @return the permission rule as JSON-shaped values ({@code {"check": [...]}} or {@code {"user": "all"}}), or {@code null} */
    public Object permissions() {
        return permissions;
    }

    /** @return the JSON Schema of the {@code data} this method returns, as JSON-shaped values, or {@code null} */
    public Object returns() {
        return returns;
    }

    /**
     * Checks parameters as a Proxmox VE node does before running the method.
     *
     * @param params the parameters, path parameters included; values are strings (as sent in a query or a
     *        form), numbers, booleans, or lists of those for repeated parameters
     * @return the errors by parameter name, in PVE's wording; empty if the parameters are valid
     */
    public Map<String, String> check(Map<String, ?> params) {
        return new ParameterChecker(this).check(params);
    }

    /**
     * Checks data a method returned against its {@code returns} schema.
     *
     * @param data the {@code data} member of an answer, as JSON-shaped values
     * @return the problems found, empty if the data conforms
     */
    public List<String> checkReturn(Object data) {
        List<String> problems = new ArrayList<>();
        ReturnChecker.check("data", returns, data, problems);
        return problems;
    }

    @Override
    public String toString() {
        return httpMethod + " " + path;
    }

    /** @return the names of the required parameters, path parameters included */
    public List<String> requiredParameters() {
        return properties.entrySet().stream()
                .filter(e -> !isOptional(e.getValue()) && !e.getKey().endsWith("[n]"))
                .map(Map.Entry::getKey).toList();
    }

    static boolean isOptional(Map<String, Object> schema) {
        Object o = schema.get("optional");
        return o instanceof Number n && n.intValue() == 1 || Boolean.TRUE.equals(o);
    }
}
