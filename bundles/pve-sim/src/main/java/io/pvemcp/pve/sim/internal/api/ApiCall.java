package io.pvemcp.pve.sim.internal.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.pve.contract.ApiMethod;
import io.pvemcp.pve.sim.internal.state.Backups;
import io.pvemcp.pve.sim.internal.state.Guests;
import io.pvemcp.pve.sim.internal.state.SimState;

/**
 * One authenticated, validated API call, handed to a handler.
 *
 * @param method the contract method
 * @param path the concrete path
 * @param params the parameters, path parameters included; booleans as {@code 1}/{@code 0}
 * @param authid the caller: {@code user@realm}, {@code user@realm!token}, or {@code null} for world methods
 * @param state the cluster state; handlers run while holding its monitor
 * @param contract the API contract, for the schemas of related methods
 */
public record ApiCall(ApiMethod method, String path, Map<String, Object> params, String authid, SimState state,
        io.pvemcp.pve.contract.ApiContract contract) {

    /**
     * @param name a parameter name
     * @return its value as text, or {@code null}
     */
    public String param(String name) {
        Object v = params.get(name);
        if (v instanceof List<?> l) {
            return l.isEmpty() ? null : String.valueOf(l.get(0));
        }
        return v == null ? null : String.valueOf(v);
    }

    /**
     * @param name a boolean parameter
     * @return whether it is set to true
     */
    public boolean flag(String name) {
        return "1".equals(param(name));
    }

    /**
     * @param name an integer parameter
     * @return its value, or {@code null}
     */
    public Integer integer(String name) {
        String v = param(name);
        return v == null ? null : Integer.valueOf(v.startsWith("+") ? v.substring(1) : v);
    }

    /** @return the {@code node} path parameter */
    public String node() {
        return param("node");
    }

    /** @return the {@code vmid} path parameter */
    public int vmid() {
        return integer("vmid");
    }

    /**
     * @param exclude parameters to leave out
     * @return every parameter as text, in call order, without the excluded ones
     */
    public Map<String, String> strings(String... exclude) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : params.keySet()) {
            out.put(k, param(k));
        }
        for (String e : exclude) {
            out.remove(e);
        }
        return out;
    }

    /**
     * @param name a list parameter ({@code a,b c;d} or repeated)
     * @return its items
     */
    public List<String> list(String name) {
        List<String> out = new ArrayList<>();
        Object v = params.get(name);
        List<?> values = v instanceof List<?> l ? l : v == null ? List.of() : List.of(v);
        for (Object item : values) {
            for (String part : String.valueOf(item).split("[,;\\s]+")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
        }
        return out;
    }

    /** @return VM and container operations on the state */
    public Guests guests() {
        return new Guests(state);
    }

    /** @return disk operations of VMs on the state */
    public io.pvemcp.pve.sim.internal.state.Disks disks() {
        return new io.pvemcp.pve.sim.internal.state.Disks(state);
    }

    /** @return backup operations on the state */
    public Backups backups() {
        return new Backups(state);
    }
}
