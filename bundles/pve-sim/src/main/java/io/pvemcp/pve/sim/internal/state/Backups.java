package io.pvemcp.pve.sim.internal.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Backups with {@code vzdump}: one task per call, backing up the node's guests one after the other, each
 * locked ({@code backup}) while the job runs. Call with the {@link SimState} lock held.
 */
public final class Backups {

    private final SimState s;

    /** @param state the cluster */
    public Backups(SimState state) {
        this.s = state;
    }

    /**
     * Starts a backup job on a node ({@code POST /nodes/{node}/vzdump}).
     *
     * @param node the node
     * @param params the call's parameters (vmid list, all, pool, exclude, storage, mode, compress, notes-template,
     *        protected), booleans as {@code 0}/{@code 1}
     * @param authid the caller
     * @return the task, or {@code null} when none of the guests lives on this node (Proxmox answers {@code OK})
     */
    public SimTask vzdump(String node, Map<String, String> params, String authid) {
        String storageId = params.getOrDefault("storage", "local");
        SimStorage storage = s.storage(storageId).orElseThrow(() -> PveError.fail("storage '" + storageId
                + "' does not exist"));
        if (!storage.content.contains("backup")) {
            throw PveError.fail("storage '" + storageId + "' does not support backups");
        }
        if (!storage.availableOn(node)) {
            throw PveError.fail("storage '" + storageId + "' is not available on node '" + node + "'");
        }
        Perms.require(s, authid, "/storage/" + storageId, "Datastore.AllocateSpace");
        boolean all = "1".equals(params.get("all"));
        List<Integer> wanted = new ArrayList<>();
        List<Integer> excluded = ids(params.get("exclude"));
        if (all) {
            wanted.addAll(s.guests().keySet());
        } else if (params.get("pool") != null) {
            SimPool pool = s.pools().get(params.get("pool"));
            if (pool == null) {
                throw PveError.fail("pool '" + params.get("pool") + "' does not exist");
            }
            wanted.addAll(pool.vmids);
        } else {
            wanted.addAll(ids(params.get("vmid")));
        }
        if (!all && params.get("pool") == null && wanted.isEmpty()) {
            throw PveError.param("vmid", "property is missing and it is not optional");
        }
        wanted.removeAll(excluded);
        List<Integer> local = new ArrayList<>();
        List<Integer> external = new ArrayList<>();
        for (int vmid : wanted) {
            SimGuest g = s.guests().get(vmid);
            if (g == null || g.node.equals(node)) {
                local.add(vmid);
            } else {
                external.add(vmid);
            }
        }
        if (local.isEmpty() && !all) {
            return null;
        }
        for (int vmid : local) {
            if (!all && !Perms.has(s, authid, "/vms/" + vmid, "VM.Backup")) {
                throw PveError.permission("/vms/" + vmid, "VM.Backup");
            }
        }
        local.removeIf(vmid -> all && !Perms.has(s, authid, "/vms/" + vmid, "VM.Backup"));
        local.sort(Integer::compare);
        String mode = params.getOrDefault("mode", "snapshot");
        String compress = params.getOrDefault("compress", "0");
        boolean protect = "1".equals(params.get("protected"));
        String notes = params.get("notes-template");
        Map<Integer, String> locked = new LinkedHashMap<>();
        Map<Integer, Boolean> wasRunning = new LinkedHashMap<>();
        long millis = 3000;
        for (int vmid : local) {
            SimGuest g = s.guests().get(vmid);
            if (g != null) {
                millis += Math.min(20_000, g.diskSize() / SimState.GIB * 50);
            }
        }
        return s.tasks().start(node, "vzdump", local.size() == 1 ? Integer.toString(local.get(0)) : "", authid,
                millis, t -> {
                    t.log("INFO: starting new backup job: vzdump " + describe(params));
                    if (!external.isEmpty()) {
                        t.log("INFO: skip external VMs: " + join(external));
                    }
                    for (int vmid : local) {
                        SimGuest g = s.guests().get(vmid);
                        if (g != null && g.lock() == null) {
                            g.config.put("lock", "backup");
                            locked.put(vmid, "backup");
                            wasRunning.put(vmid, g.running());
                            if (g.running() && mode.equals("stop")) {
                                g.status = "stopped";
                            } else if (g.running() && mode.equals("suspend")) {
                                g.paused = true;
                            }
                        }
                    }
                }, t -> {
                    int errors = 0;
                    for (int vmid : local) {
                        SimGuest g = s.guests().get(vmid);
                        if (g == null) {
                            t.log("ERROR: Backup of VM " + vmid + " failed - unable to find VM '" + vmid + "'");
                            errors++;
                            continue;
                        }
                        if (!locked.containsKey(vmid)) {
                            t.log("ERROR: Backup of VM " + vmid + " failed - " + g.kind() + " is locked (" + g.lock() + ")");
                            errors++;
                            continue;
                        }
                        t.log("INFO: Starting Backup of VM " + vmid + " (" + g.type + ")");
                        t.log("INFO: Backup started at " + java.time.Instant.ofEpochSecond(s.clock().seconds()));
                        t.log("INFO: status = " + (Boolean.TRUE.equals(wasRunning.get(vmid)) ? "running" : "stopped"));
                        t.log("INFO: backup mode: " + mode);
                        Map<String, String> cfg = new LinkedHashMap<>(g.config);
                        cfg.remove("lock");
                        SimVolume v = s.volumes().createBackup(storage, node, g, s.clock().seconds(), compress, cfg);
                        v.protectedFlag = protect;
                        if (notes != null) {
                            v.notes = notes.replace("{{guestname}}", g.name()).replace("{{vmid}}", Integer.toString(vmid))
                                    .replace("{{node}}", node).replace("{{cluster}}", s.clusterName());
                        }
                        t.log("INFO: creating archive '" + v.volid + "'");
                        t.log("INFO: Finished Backup of VM " + vmid + " (00:00:0" + (1 + vmid % 9) + ")");
                        unlock(g, wasRunning.get(vmid), mode);
                    }
                    if (errors > 0) {
                        throw PveError.fail("job errors");
                    }
                    t.log("INFO: Backup job finished successfully");
                }, t -> {
                    for (int vmid : locked.keySet()) {
                        SimGuest g = s.guests().get(vmid);
                        if (g != null && "backup".equals(g.lock())) {
                            unlock(g, wasRunning.get(vmid), mode);
                        }
                    }
                });
    }

    private void unlock(SimGuest g, Boolean wasRunning, String mode) {
        g.config.remove("lock");
        if (Boolean.TRUE.equals(wasRunning)) {
            if (mode.equals("stop")) {
                g.status = "running";
                g.startedAt = s.clock().seconds();
            } else if (mode.equals("suspend")) {
                g.paused = false;
            }
        }
    }

    private static String describe(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> {
            if (!k.equals("node")) {
                sb.append(k.equals("vmid") ? v.replace(',', ' ') + " " : "--" + k + " " + v + " ");
            }
        });
        return sb.toString().strip();
    }

    private static String join(List<Integer> ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            sb.append(sb.length() == 0 ? "" : ", ").append(id);
        }
        return sb.toString();
    }

    private static List<Integer> ids(String list) {
        List<Integer> out = new ArrayList<>();
        if (list == null) {
            return out;
        }
        for (String part : list.split("[,;\\s]+")) {
            if (!part.isEmpty()) {
                try {
                    out.add(Integer.parseInt(part));
                } catch (NumberFormatException e) {
                    throw PveError.param("vmid", "value '" + part + "' does not look like a valid VM ID");
                }
            }
        }
        return out;
    }
}
