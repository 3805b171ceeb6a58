package io.pvemcp.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads features by name from the distribution's {@code features/} folder, and decides which ones form the
 * product: configuration PID {@value #PID} ({@code conf/io.pvemcp.runtime.cfg}) lists them in {@code features} and
 * leaves single bundles out with {@code exclude}.
 */
final class Features {

    /** The launcher's own configuration; never given to Configuration Admin. */
    static final String PID = "io.pvemcp.runtime";
    /** The features of the product when nothing else is configured. */
    static final List<String> DEFAULT = List.of("base", "mcp", "tools", "deploy", "console");
    /** Features the rest cannot do without. */
    static final List<String> REQUIRED = List.of("base", "mcp");

    private Features() {
    }

    /**
     * @param home the distribution folder
     * @param names feature names, e.g. {@code base}, in installation order
     * @return the features
     * @throws IOException if a feature file is missing or invalid
     */
    static List<Feature> load(Path home, List<String> names) throws IOException {
        List<Feature> out = new ArrayList<>();
        for (String name : names) {
            Path file = home.resolve("features").resolve(name + ".json");
            if (!Files.isRegularFile(file)) {
                throw new IOException("feature '" + name + "' is missing: " + file + ". Features here: "
                        + String.join(", ", available(home)));
            }
            out.add(Feature.read(file));
        }
        return out;
    }

    /**
     * The features the launcher's configuration selects, plus those a command line asks for, minus the bundles it
     * excludes.
     *
     * @param home the distribution folder
     * @param runtime the properties of PID {@value #PID} (may be empty)
     * @param extra features the command adds, e.g. {@code sim} for demo mode
     * @return the features to install
     * @throws IOException if a feature is missing or invalid
     * @throws IllegalArgumentException if the configuration leaves out what the server cannot run without, or
     *         excludes a bundle no feature has
     */
    static List<Feature> select(Path home, Map<String, Object> runtime, List<String> extra) throws IOException {
        return select(home, runtime, extra, List.of());
    }

    /**
     * As {@link #select(Path, Map, List)}, without the given features and bundles, for a command that has no use for
     * them (the stdio server needs neither the HTTP transport nor the console).
     *
     * @param without feature names and bundle keys ({@code group:artifact}) to leave out
     */
    static List<Feature> select(Path home, Map<String, Object> runtime, List<String> extra, List<String> without)
            throws IOException {
        Set<String> names = new LinkedHashSet<>();
        Object configured = runtime.get("features");
        List<String> base = configured == null || String.valueOf(configured).isBlank() ? DEFAULT : list(configured);
        for (String r : REQUIRED) {
            if (!base.contains(r)) {
                throw new IllegalArgumentException("The feature list '" + String.join(", ", base) + "' leaves out '" + r
                        + "', without which the server cannot run. Keep " + String.join(" and ", REQUIRED)
                        + " in features (conf/io.pvemcp.runtime.cfg or MCP_FEATURES).");
            }
        }
        names.addAll(base);
        names.addAll(extra);
        names.removeAll(without);
        List<Feature> features = new ArrayList<>();
        for (Feature f : load(home, List.copyOf(names))) {
            features.add(new Feature(f.id(), f.name(), f.bundles().stream().filter(b -> !without.contains(b.key()))
                    .toList(), f.configurations()));
        }
        List<String> exclude = list(runtime.getOrDefault("exclude", ""));
        if (exclude.isEmpty()) {
            return features;
        }
        List<Feature> out = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        for (Feature f : features) {
            List<Feature.BundleRef> kept = new ArrayList<>();
            for (Feature.BundleRef b : f.bundles()) {
                String match = exclude.stream().filter(e -> excludes(e, b)).findFirst().orElse(null);
                if (match == null) {
                    kept.add(b);
                } else {
                    used.add(match);
                }
            }
            out.add(new Feature(f.id(), f.name(), List.copyOf(kept), f.configurations()));
        }
        List<String> unknown = exclude.stream().filter(e -> !used.contains(e)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("exclude names " + String.join(", ", unknown) + ", which no selected "
                    + "feature has. Use an artifact id such as tools-ct, or group:artifact such as io.pvemcp:tools-ct.");
        }
        return out;
    }

    /**
     * The features with the given bundles installed but not started, for a command that has no use for them running
     * but keeps them so that what needs them still resolves (a plugin that also registers a servlet, on stdio).
     *
     * @param features the features
     * @param keys bundle keys ({@code group:artifact})
     * @return the features, the given bundles marked not to start
     */
    static List<Feature> installOnly(List<Feature> features, List<String> keys) {
        return features.stream().map(f -> new Feature(f.id(), f.name(), f.bundles().stream()
                .map(b -> keys.contains(b.key()) ? new Feature.BundleRef(b.id(), b.startOrder(), false) : b).toList(),
                f.configurations())).toList();
    }

    private static boolean excludes(String entry, Feature.BundleRef b) {
        String key = b.key();
        return entry.equals(key) || entry.equals(b.id()) || entry.equals(key.substring(key.indexOf(':') + 1));
    }

    private static List<String> list(Object value) {
        return Stream.of(String.valueOf(value).split("[,\\s]+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> available(Path home) {
        try (Stream<Path> files = Files.list(home.resolve("features"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
