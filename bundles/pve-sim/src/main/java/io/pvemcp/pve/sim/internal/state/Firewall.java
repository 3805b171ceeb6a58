package io.pvemcp.pve.sim.internal.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Firewall rules and options per scope: {@code cluster}, {@code node/pve1}, {@code vm/100}. Rule positions
 * are list indexes, as in Proxmox VE. Guarded by the {@link SimState} lock.
 */
public final class Firewall {

    private final Map<String, List<Map<String, Object>>> rules = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> options = new LinkedHashMap<>();
    private final Map<String, Map<String, Map<String, Object>>> aliases = new LinkedHashMap<>();
    private final Map<String, Map<String, Map<String, Object>>> ipsets = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> groups = new LinkedHashMap<>();

    /**
     * @param scope the scope: {@code cluster}, {@code vm/100}, {@code ct/200}
     * @return its aliases by name: name, cidr, comment (live)
     */
    public Map<String, Map<String, Object>> aliases(String scope) {
        return aliases.computeIfAbsent(scope, s -> new LinkedHashMap<>());
    }

    /**
     * @param scope the scope: {@code cluster}, {@code vm/100}, {@code ct/200}
     * @return its IP sets by name: name, comment, and {@code entries} (cidr, nomatch, comment) (live)
     */
    public Map<String, Map<String, Object>> ipsets(String scope) {
        return ipsets.computeIfAbsent(scope, s -> new LinkedHashMap<>());
    }

    /** @return the cluster's security groups by name: group, comment; their rules are the scope {@code group/NAME} */
    public Map<String, Map<String, Object>> groups() {
        return groups;
    }

    /**
     * @param scope the scope
     * @return its rules, in order (live)
     */
    public List<Map<String, Object>> rules(String scope) {
        return rules.computeIfAbsent(scope, s -> new ArrayList<>());
    }

    /**
     * @param scope the scope
     * @return its options (live)
     */
    public Map<String, Object> options(String scope) {
        return options.computeIfAbsent(scope, s -> new LinkedHashMap<>());
    }

    /** @param scope a scope that no longer exists, such as a deleted guest's */
    void forget(String scope) {
        rules.remove(scope);
        options.remove(scope);
        aliases.remove(scope);
        ipsets.remove(scope);
    }

    /**
     * @param scope the scope
     * @return a digest of its rules, for optimistic locking
     */
    public String digest(String scope) {
        return Integer.toHexString(rules(scope).toString().hashCode() ^ options(scope).toString().hashCode());
    }
}
