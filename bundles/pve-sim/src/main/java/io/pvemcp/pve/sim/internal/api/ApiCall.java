package io.pvemcp.pve.sim.internal.api;

import java.util.List;
import java.util.Map;

import io.pvemcp.pve.sim.contract.ApiMethod;
import io.pvemcp.pve.sim.internal.state.SimState;

/**
 * One authenticated, validated API call, handed to a handler.
 *
 * @param method the contract method
 * @param path the concrete path
 * @param params the parameters, path parameters included
 * @param authid the caller: {@code user@realm}, {@code user@realm!token}, or {@code null} for world methods
 * @param state the cluster state; handlers run while holding its monitor
 */
public record ApiCall(ApiMethod method, String path, Map<String, Object> params, String authid, SimState state) {

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
}
