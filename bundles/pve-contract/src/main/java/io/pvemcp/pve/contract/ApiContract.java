package io.pvemcp.pve.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Proxmox VE API contract: finds the method a request addresses and checks its parameters.
 * Immutable and thread-safe once loaded; load it once ({@link #load()}) and share it.
 */
public final class ApiContract {

    /** The resource holding the contract, next to this class. */
    public static final String RESOURCE = "pve-api-9.1.json";

    private final String version;
    private final Segment root = new Segment();
    private final List<ApiMethod> methods = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private ApiContract(Map<String, Object> document) {
        this.version = String.valueOf(document.getOrDefault("pve_version", ""));
        for (Object p : (List<Object>) document.getOrDefault("paths", List.of())) {
            Map<String, Object> path = (Map<String, Object>) p;
            String template = String.valueOf(path.get("path"));
            Segment segment = root;
            for (String part : split(template)) {
                segment = segment.child(part);
            }
            for (var entry : ((Map<String, Object>) path.getOrDefault("methods", Map.of())).entrySet()) {
                ApiMethod method = new ApiMethod(entry.getKey(), template, (Map<String, Object>) entry.getValue());
                segment.methods.put(entry.getKey(), method);
                methods.add(method);
            }
            segment.template = template;
        }
    }

    /**
     * Loads the contract bundled with this class.
     *
     * @return the contract
     */
    public static ApiContract load() {
        try (InputStream in = ApiContract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("API contract resource " + RESOURCE + " is missing");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> document = new ObjectMapper().readValue(in, Map.class);
            return new ApiContract(document);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API contract", e);
        }
    }

    /** @return the Proxmox VE version the contract describes, e.g. {@code 9.1} */
    public String version() {
        return version;
    }

    /** @return every method of every path */
    public List<ApiMethod> methods() {
        return Collections.unmodifiableList(methods);
    }

    /**
     * Finds the method a request addresses.
     *
     * @param httpMethod {@code GET}, {@code POST}, {@code PUT} or {@code DELETE}
     * @param path a concrete path below {@code /api2/json}, raw (segments still URL-encoded), e.g.
     *        {@code /nodes/pve1/qemu/100/status/start}
     * @return the match, with the path parameters decoded; empty if the contract has no such method
     */
    public Optional<Match> find(String httpMethod, String path) {
        Map<String, String> params = new LinkedHashMap<>();
        Segment segment = match(root, split(path), 0, params);
        if (segment == null) {
            return Optional.empty();
        }
        ApiMethod method = segment.methods.get(httpMethod);
        return method == null ? Optional.empty() : Optional.of(new Match(method, Map.copyOf(params)));
    }

    /**
     * Finds a method by its path template, e.g. {@code /nodes/{node}/status}.
     *
     * @param httpMethod the HTTP method
     * @param template the path template as written in the contract
     * @return the method, if the contract has it
     */
    public Optional<ApiMethod> method(String httpMethod, String template) {
        Segment segment = root;
        for (String part : split(template)) {
            segment = part.startsWith("{") ? segment.variable : segment.children.get(part);
            if (segment == null) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(segment.methods.get(httpMethod));
    }

    private static Segment match(Segment segment, List<String> parts, int index, Map<String, String> params) {
        if (index == parts.size()) {
            return segment.methods.isEmpty() ? null : segment;
        }
        String raw = parts.get(index);
        Segment literal = segment.children.get(decode(raw));
        if (literal != null) {
            Segment found = match(literal, parts, index + 1, params);
            if (found != null) {
                return found;
            }
        }
        if (segment.variable != null) {
            params.put(segment.variableName, decode(raw));
            Segment found = match(segment.variable, parts, index + 1, params);
            if (found != null) {
                return found;
            }
            if (ACROSS_SLASHES.contains(segment.variableName) && index + 1 < parts.size()
                    && !segment.variable.methods.isEmpty()) {
                // a volume id written unescaped (local:iso/x.iso, as proxmoxer sends it) is routed as one value
                StringBuilder rest = new StringBuilder(decode(raw));
                for (int i = index + 1; i < parts.size(); i++) {
                    rest.append('/').append(decode(parts.get(i)));
                }
                params.put(segment.variableName, rest.toString());
                return segment.variable;
            }
            params.remove(segment.variableName);
        }
        return null;
    }

    /**
     * Path variables that a node routes across slashes when they are the last part of the path: the volume of the
     * storage content subtree ({@code /nodes/{node}/storage/{storage}/content/{volume}}).
     */
    private static final java.util.Set<String> ACROSS_SLASHES = java.util.Set.of("volume");

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        return parts;
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * A request matched to a contract method.
     *
     * @param method the method
     * @param pathParameters the values of the path's {@code {variables}}, decoded
     */
    public record Match(ApiMethod method, Map<String, String> pathParameters) {
    }

    private static final class Segment {
        final Map<String, Segment> children = new TreeMap<>();
        final Map<String, ApiMethod> methods = new LinkedHashMap<>();
        Segment variable;
        String variableName;
        String template;

        Segment child(String part) {
            if (part.startsWith("{") && part.endsWith("}")) {
                if (variable == null) {
                    variable = new Segment();
                    variableName = part.substring(1, part.length() - 1);
                }
                return variable;
            }
            return children.computeIfAbsent(part, k -> new Segment());
        }
    }
}
