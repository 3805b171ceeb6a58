package io.pvemcp.api.pve;

import java.util.Map;
import java.util.Objects;

/**
 * Where a VM or container lives, as the cluster's resource list knows it; found with {@link Guests#locate}.
 *
 * @param vmid the VMID
 * @param type {@code qemu} or {@code lxc}
 * @param node the node it lives on
 * @param name its name (VM) or host name (container)
 * @param status {@code running}, {@code stopped}, or {@code unknown} while its node is offline
 * @param template whether it is a template
 * @param lock its lock ({@code backup}, {@code migrate}, ...), or {@code null}
 */
public record GuestRef(int vmid, String type, String node, String name, String status, boolean template,
        String lock) {

    /** @throws NullPointerException if type, node or status is {@code null} */
    public GuestRef {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(status, "status");
    }

    /** @return {@code VM} or {@code container}, for messages */
    public String kind() {
        return type.equals("qemu") ? "VM" : "container";
    }

    /**
     * @param suffix the rest of the path, e.g. {@code /status/start}, or an empty string
     * @return the path template of this guest, e.g. {@code /nodes/{node}/qemu/{vmid}/status/start}
     */
    public String path(String suffix) {
        return "/nodes/{node}/" + type + "/{vmid}" + suffix;
    }

    /** @return the path parameters {@code node} and {@code vmid} of this guest */
    public Map<String, Object> params() {
        return Map.of("node", node, "vmid", vmid);
    }

    /**
     * @param extra further parameters
     * @return the path parameters of this guest plus {@code extra}
     */
    public Map<String, Object> params(Map<String, ?> extra) {
        java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>(extra);
        m.put("node", node);
        m.put("vmid", vmid);
        return m;
    }
}
