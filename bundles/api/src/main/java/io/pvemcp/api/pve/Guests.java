package io.pvemcp.api.pve;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.pvemcp.api.Json;

/**
 * Finds VMs and containers by VMID, so that tools need not ask for the node: Proxmox VE addresses a guest
 * through its node ({@code /nodes/{node}/qemu/{vmid}}), and the cluster's resource list
 * ({@code /cluster/resources?type=vm}) knows every guest's node.
 */
public final class Guests {

    private Guests() {
    }

    /**
     * Locates a guest.
     *
     * @param client the client
     * @param vmid the VMID
     * @param type {@code qemu} or {@code lxc} to accept only that kind, or {@code null} for either
     * @param node the node the caller named, or {@code null}; if given it must be where the guest lives
     * @return the guest; fails with a {@link ProxmoxException} of kind {@link ProxmoxException.Kind#NOT_FOUND}
     *         whose message says what was searched, when the cluster has no such guest (or the credentials may not
     *         see it), when it is of the other kind, or when it lives on another node than the one named
     */
    public static CompletableFuture<GuestRef> locate(ProxmoxClient client, int vmid, String type, String node) {
        String wanted = type == null ? "guest" : type.equals("qemu") ? "VM" : "container";
        return client.get("/cluster/resources", Map.of("type", "vm")).thenApply(data -> {
            for (Object o : Json.list(data)) {
                Map<String, Object> r = Json.map(o);
                if (Json.longValue(r, "vmid", -1) != vmid) {
                    continue;
                }
                String found = Json.string(r, "type");
                String at = Json.string(r, "node");
                GuestRef ref = new GuestRef(vmid, found, at, Json.string(r, "name"),
                        r.get("status") == null ? "unknown" : Json.string(r, "status"), Json.bool(r, "template", false),
                        r.get("lock") == null ? null : Json.string(r, "lock"));
                if (type != null && !type.equals(found)) {
                    throw notFound(vmid, "VMID " + vmid + " is a " + ref.kind() + " (" + ref.name() + " on " + at
                            + "), not a " + wanted + ".");
                }
                if (node != null && !node.equals(at)) {
                    throw notFound(vmid, ref.kind() + " " + vmid + " (" + ref.name() + ") lives on node " + at
                            + ", not on " + node + ". Leave the node out or use " + at + ".");
                }
                return ref;
            }
            throw notFound(vmid, "No " + wanted + " with VMID " + vmid + " exists in the cluster (searched the "
                    + "resources of all nodes" + (node == null ? "" : ", including " + node) + "), or the Proxmox "
                    + "account may not see it (it needs VM.Audit on /vms/" + vmid + "). List the guests to find "
                    + "the right VMID.");
        });
    }

    private static ProxmoxException notFound(int vmid, String message) {
        return new ProxmoxException(ProxmoxException.Kind.NOT_FOUND, 0, message, null, Map.of(), "GET",
                "/cluster/resources", null);
    }
}
