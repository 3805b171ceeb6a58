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
    }

    /**
     * @param scope the scope
     * @return a digest of its rules, for optimistic locking
     */
    public String digest(String scope) {
        return Integer.toHexString(rules(scope).toString().hashCode() ^ options(scope).toString().hashCode());
    }
}
