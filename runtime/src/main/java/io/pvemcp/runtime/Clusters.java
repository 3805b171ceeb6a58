package io.pvemcp.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The Proxmox VE clusters the configuration names, as the launcher's commands see them: {@value #PRIMARY_PID}
 * (named by its {@code name}, else {@code default}) when it has a host or no other cluster exists, and one per
 * factory configuration {@value #FACTORY_PID}{@code ~NAME}.
 */
final class Clusters {

    static final String PRIMARY_PID = "io.pvemcp.pve.client";
    static final String FACTORY_PID = "io.pvemcp.pve.cluster";

    private Clusters() {
    }

    /** @return the clusters' settings by name, the primary first */
    static Map<String, Map<String, Object>> configured(Configurations config) {
        Map<String, Map<String, Object>> named = new LinkedHashMap<>();
        config.asMap().forEach((pid, props) -> {
            if (pid.startsWith(FACTORY_PID + "~")) {
                Object n = props.get("name");
                named.put(n == null || n.toString().isBlank() ? pid.substring(FACTORY_PID.length() + 1)
                        : n.toString().strip(), props);
            }
        });
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        Map<String, Object> primary = config.asMap().getOrDefault(PRIMARY_PID, Map.of());
        Object host = primary.get("host");
        if (named.isEmpty() || host != null && !host.toString().isBlank()) {
            Object n = primary.get("name");
            out.put(n == null || n.toString().isBlank() ? "default" : n.toString().strip(), primary);
        }
        named.forEach(out::putIfAbsent);
        return out;
    }

    /**
     * @param names cluster names an operator typed
     * @param option the option they were given in, for the message
     * @param config the configuration
     * @return the names, when each is a configured cluster
     * @throws IllegalArgumentException naming the one that is not, and those that are
     */
    static Set<String> checked(Set<String> names, String option, Configurations config) {
        Set<String> known = configured(config).keySet();
        for (String n : names) {
            if (!known.contains(n)) {
                throw new IllegalArgumentException(option + ": '" + n + "' is not a configured cluster; configured: "
                        + String.join(", ", known) + " (conf/" + FACTORY_PID + "~NAME.cfg adds one)");
            }
        }
        return names;
    }
}
