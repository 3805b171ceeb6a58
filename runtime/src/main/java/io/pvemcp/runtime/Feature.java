package io.pvemcp.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A feature: a named set of bundles (and optionally configurations), read from a file in the OSGi Feature
 * JSON format ({@code features/*.json}). Bundles are Maven coordinates {@code group:artifact:version}, found
 * in the distribution's {@code system/} folder, which has the layout of a Maven repository.
 *
 * @param id the feature id
 * @param name a short human-readable name
 * @param bundles the bundles, in installation order
 * @param configurations configurations by PID
 */
record Feature(String id, String name, List<BundleRef> bundles, Map<String, Map<String, Object>> configurations) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A bundle of a feature.
     *
     * @param id {@code group:artifact:version}
     * @param startOrder the start level
     * @param start whether the launcher starts it ({@code false}: installed, so that what needs it resolves, and
     *        left stopped)
     */
    record BundleRef(String id, int startOrder, boolean start) {

        BundleRef(String id, int startOrder) {
            this(id, startOrder, true);
        }

        /** @return {@code group:artifact} */
        String key() {
            int last = id.lastIndexOf(':');
            return last < 0 ? id : id.substring(0, last);
        }

        /** @return the jar below {@code system} */
        Path file(Path system) {
            String[] p = id.split(":");
            if (p.length != 3 || p[0].isBlank() || p[1].isBlank() || p[2].isBlank()) {
                throw new IllegalArgumentException("bundle id '" + id + "' must be group:artifact:version");
            }
            return system.resolve(p[0].replace('.', '/')).resolve(p[1]).resolve(p[2]).resolve(p[1] + "-" + p[2] + ".jar");
        }
    }

    /**
     * Reads a feature file.
     *
     * @param file the file
     * @return the feature
     * @throws IOException if the file cannot be read or is not a feature
     */
    static Feature read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IOException("feature file " + file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("id").isTextual()) {
            throw new IOException("feature file " + file + " has no \"id\"");
        }
        List<BundleRef> bundles = new ArrayList<>();
        for (JsonNode b : root.path("bundles")) {
            String id = b.isTextual() ? b.asText() : b.path("id").asText(null);
            if (id == null) {
                throw new IOException("feature file " + file + " lists a bundle without \"id\"");
            }
            JsonNode order = b.path("start-order");
            int startOrder = order.isMissingNode() ? 1 : order.isNumber() ? order.asInt() : Integer.parseInt(order.asText());
            bundles.add(new BundleRef(id, Math.max(1, startOrder)));
        }
        Map<String, Map<String, Object>> configurations = new LinkedHashMap<>();
        var it = root.path("configurations").fields();
        while (it.hasNext()) {
            var e = it.next();
            @SuppressWarnings("unchecked")
            Map<String, Object> props = JSON.convertValue(e.getValue(), LinkedHashMap.class);
            configurations.put(e.getKey(), props);
        }
        return new Feature(root.path("id").asText(), root.path("name").asText(root.path("id").asText()),
                List.copyOf(bundles), configurations);
    }
}
