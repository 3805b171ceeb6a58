package io.pvemcp.pve.sim.internal.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.pve.sim.internal.state.Perms;
import io.pvemcp.pve.sim.internal.state.PveError;
import io.pvemcp.pve.sim.internal.state.SimGuest;
import io.pvemcp.pve.sim.internal.state.SimPool;
import io.pvemcp.pve.sim.internal.state.SimState;
import io.pvemcp.pve.sim.internal.state.SimStorage;

/** Resource pools ({@code /pools}, and the deprecated {@code /pools/{poolid}}). */
final class PoolHandlers {

    private PoolHandlers() {
    }

    static void register(Map<String, ApiHandler> h) {
        h.put("GET /pools", c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (SimPool p : c.state().pools().values()) {
                if (c.param("poolid") != null && !c.param("poolid").equals(p.id())) {
                    continue;
                }
                if (!Perms.has(c.state(), c.authid(), "/pool/" + p.id(), "Pool.Audit")) {
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("poolid", p.id());
                if (p.comment() != null) {
                    m.put("comment", p.comment());
                }
                if (c.param("poolid") != null) {
                    m.put("members", members(c, p));
                }
                out.add(m);
            }
            if (c.param("poolid") != null && out.isEmpty()) {
                throw PveError.fail("pool '" + c.param("poolid") + "' does not exist");
            }
            return out;
        });
        h.put("POST /pools", c -> {
            String id = c.param("poolid");
            if (c.state().pools().containsKey(id)) {
                throw PveError.fail("create pool failed: pool '" + id + "' already exists");
            }
            c.state().addPool(id, c.param("comment"));
            return null;
        });
        h.put("PUT /pools", PoolHandlers::update);
        h.put("PUT /pools/{poolid}", PoolHandlers::update);
        h.put("DELETE /pools", PoolHandlers::delete);
        h.put("DELETE /pools/{poolid}", PoolHandlers::delete);
        h.put("GET /pools/{poolid}", c -> {
            SimPool p = pool(c);
            Map<String, Object> m = new LinkedHashMap<>();
            if (p.comment() != null) {
                m.put("comment", p.comment());
            }
            m.put("members", members(c, p));
            return m;
        });
    }

    private static SimPool pool(ApiCall c) {
        SimPool p = c.state().pools().get(c.param("poolid"));
        if (p == null) {
            throw PveError.fail("pool '" + c.param("poolid") + "' does not exist");
        }
        return p;
    }

    private static List<Map<String, Object>> members(ApiCall c, SimPool p) {
        SimState s = c.state();
        String type = c.param("type");
        List<Map<String, Object>> out = new ArrayList<>();
        for (int vmid : p.vmids()) {
            SimGuest g = s.guests().get(vmid);
            if (g == null || type != null && !type.equals(g.type())) {
                continue;
            }
            if (Perms.has(s, c.authid(), "/vms/" + vmid, "VM.Audit")) {
                out.add(s.guestResource(g));
            }
        }
        for (String id : p.storages()) {
            if (type != null && !type.equals("storage")) {
                continue;
            }
            SimStorage st = s.storage(id).orElse(null);
            if (st == null) {
                continue;
            }
            for (Map<String, Object> r : s.resources("storage")) {
                if (id.equals(r.get("storage"))) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    private static Object update(ApiCall c) {
        SimPool p = pool(c);
        SimState s = c.state();
        boolean delete = c.flag("delete");
        if (c.param("comment") != null) {
            p.comment(c.param("comment"));
        }
        for (String v : c.list("vms")) {
            int vmid = Integer.parseInt(v);
            SimGuest g = s.guests().get(vmid);
            if (delete) {
                p.vmids().remove(vmid);
                continue;
            }
            if (g == null) {
                throw PveError.fail("update pool failed: VM " + vmid + " does not exist");
            }
            Perms.require(s, c.authid(), "/vms/" + vmid, "VM.Allocate");
            String current = s.poolOf(vmid);
            if (current != null && !current.equals(p.id())) {
                if (!c.flag("allow-move")) {
                    throw PveError.fail("update pool failed: VM " + vmid + " belongs already to pool '" + current
                            + "' and 'allow-move' is not set");
                }
                Perms.require(s, c.authid(), "/pool/" + current, "Pool.Allocate");
                s.pools().get(current).vmids().remove(vmid);
            }
            p.vmids().add(vmid);
        }
        for (String id : c.list("storage")) {
            if (delete) {
                p.storages().remove(id);
                continue;
            }
            if (s.storage(id).isEmpty()) {
                throw PveError.fail("update pool failed: storage '" + id + "' does not exist");
            }
            Perms.require(s, c.authid(), "/storage/" + id, "Datastore.Allocate");
            p.storages().add(id);
        }
        return null;
    }

    private static Object delete(ApiCall c) {
        SimPool p = pool(c);
        if (!p.vmids().isEmpty() || !p.storages().isEmpty()) {
            throw PveError.fail("delete pool failed: pool '" + p.id() + "' is not empty");
        }
        c.state().removePool(p.id());
        return null;
    }
}
