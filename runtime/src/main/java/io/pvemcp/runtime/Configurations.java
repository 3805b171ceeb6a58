package io.pvemcp.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The configurations the launcher gives Configuration Admin, by PID: first the features' own, then the files
 * in {@code conf/} ({@code <pid>.cfg}, or {@code <factoryPid>~<name>.cfg}, Java properties syntax), then the
 * environment variables listed in {@code environment.properties}, then the command line's.
 */
final class Configurations {

    /** Where an environment variable goes. */
    record EnvMapping(String variable, String pid, String property) {
    }

    private final Map<String, Map<String, Object>> byPid = new TreeMap<>();
    private final List<String> applied = new ArrayList<>();

    /**
     * The configuration a runtime starts with: the features' own, then {@code conf/}, then the environment; without
     * the launcher's own settings ({@value Features#PID}), which are no OSGi configuration.
     *
     * @param home the distribution folder
     * @param features the selected features
     * @return the configuration
     * @throws IOException if a file of {@code conf/} cannot be read
     */
    static Configurations forRuntime(Path home, List<Feature> features) throws IOException {
        Configurations config = new Configurations();
        features.forEach(config::addFeature);
        config.readDirectory(Home.conf(home));
        config.applyEnvironment(System.getenv());
        config.asMap().remove(Features.PID);
        return config;
    }

    /** @return the configurations by PID (factory configurations as {@code factoryPid~name}) */
    Map<String, Map<String, Object>> asMap() {
        return byPid;
    }

    /** @return the environment variables that overrode a setting, for the log */
    List<String> appliedVariables() {
        return applied;
    }

    /** @return the properties of a PID, created when missing */
    Map<String, Object> pid(String pid) {
        return byPid.computeIfAbsent(pid, k -> new LinkedHashMap<>());
    }

    /** Adds a feature's configurations; later sources override them. */
    void addFeature(Feature feature) {
        feature.configurations().forEach((pid, props) -> pid(pid).putAll(props));
    }

    /**
     * Reads every {@code .cfg} file of a directory.
     *
     * @param dir the directory; ignored if it does not exist
     * @throws IOException if a file cannot be read
     */
    void readDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.cfg")) {
            ds.forEach(files::add);
        }
        files.sort(null);
        for (Path f : files) {
            String name = f.getFileName().toString();
            String pid = name.substring(0, name.length() - 4);
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IllegalArgumentException e) {
                throw new IOException("configuration file " + f + " is malformed: " + e.getMessage(), e);
            }
            Map<String, Object> props = pid(pid);
            for (String k : p.stringPropertyNames()) {
                props.put(k.strip(), p.getProperty(k).strip());
            }
        }
    }

    /**
     * Applies the environment variables of the mapping.
     *
     * @param env the environment
     */
    void applyEnvironment(Map<String, String> env) {
        for (EnvMapping m : environmentMappings()) {
            String value = env.get(m.variable());
            if (value != null && !value.isBlank()) {
                pid(m.pid()).put(m.property(), value.strip());
                applied.add(m.variable());
            }
        }
        for (String variable : new java.util.TreeSet<>(env.keySet())) {
            String value = env.get(variable);
            if (variable.startsWith(CLUSTER_PREFIX) && value != null && !value.isBlank()) {
                Map.Entry<String, String> target = clusterSetting(variable);
                pid(target.getKey()).put(target.getValue(), value.strip());
                applied.add(variable);
            }
        }
    }

    /** Further clusters from the environment: {@code PROXMOX_CLUSTER_<NAME>_<SETTING>}. */
    static final String CLUSTER_PREFIX = "PROXMOX_CLUSTER_";
    /** The settings of a further cluster by the end of its variable's name, longest first. */
    private static final Map<String, String> CLUSTER_SETTINGS = new LinkedHashMap<>();

    static {
        for (String[] s : new String[][] {{"TOKEN_SECRET", "token.secret"}, {"CACHE_TTL_MS", "cache.ttl.ms"},
            {"FINGERPRINT", "fingerprint"}, {"VERIFY_SSL", "verify.ssl"}, {"TOKEN_ID", "token.id"},
            {"USERNAME", "username"}, {"PASSWORD", "password"}, {"CA_FILE", "ca.file"}, {"DEFAULT", "default.cluster"},
            {"HOST", "host"}, {"PORT", "port"}}) {
            CLUSTER_SETTINGS.put(s[0], s[1]);
        }
    }

    /**
     * @param variable {@code PROXMOX_CLUSTER_<NAME>_<SETTING>}, e.g. {@code PROXMOX_CLUSTER_LAB_TOKEN_SECRET}
     * @return the PID ({@code io.pvemcp.pve.cluster~lab}: the name in lower case) and the property it sets
     * @throws IllegalArgumentException when the variable names no cluster or no setting a cluster has
     */
    static Map.Entry<String, String> clusterSetting(String variable) {
        String rest = variable.substring(CLUSTER_PREFIX.length());
        for (Map.Entry<String, String> s : CLUSTER_SETTINGS.entrySet()) {
            if (rest.endsWith("_" + s.getKey()) && rest.length() > s.getKey().length() + 1) {
                String name = rest.substring(0, rest.length() - s.getKey().length() - 1).toLowerCase(java.util.Locale.ROOT);
                if (name.matches("[a-z0-9][a-z0-9._-]*")) {
                    return Map.entry(Clusters.FACTORY_PID + "~" + name, s.getValue());
                }
            }
        }
        throw new IllegalArgumentException("The environment variable " + variable + " names no cluster setting: write "
                + CLUSTER_PREFIX + "<NAME>_<SETTING> with SETTING one of " + String.join(", ", CLUSTER_SETTINGS.keySet())
                + ", e.g. PROXMOX_CLUSTER_LAB_HOST");
    }

    /** @return the environment variables the launcher reads, in documentation order */
    static List<EnvMapping> environmentMappings() {
        List<EnvMapping> out = new ArrayList<>();
        Properties p = new Properties() {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Object put(Object key, Object value) {
                String target = String.valueOf(value).strip();
                int slash = target.indexOf('/');
                out.add(new EnvMapping(String.valueOf(key), target.substring(0, slash), target.substring(slash + 1)));
                return super.put(key, value);
            }
        };
        try (InputStream in = Configurations.class.getResourceAsStream("environment.properties")) {
            p.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the launcher's environment.properties is missing", e);
        }
        return out;
    }
}
