package io.pvemcp.tools.guest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.pve.ProxmoxClient;

/**
 * Where a new guest goes: its node, its VMID and the storage of its disks, as given or chosen with sensible
 * defaults, each checked before Proxmox is asked, with messages that list the valid choices.
 */
public final class Placement {

    private Placement() {
    }

    /**
     * @param pve the client
     * @param requested the node the caller named, or {@code null} to choose the online node with the most free
     *        memory
     * @return the node
     * @throws ToolException if the named node is not in the cluster or offline, or no node is online
     */
    public static String node(ProxmoxClient pve, String requested) {
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (Object o : Json.list(pve.get("/cluster/resources", Map.of("type", "node")).join())) {
            nodes.add(Json.map(o));
        }
        List<String> online = nodes.stream().filter(n -> "online".equals(n.get("status")))
                .map(n -> Json.string(n, "node")).sorted().toList();
        if (requested != null) {
            boolean known = nodes.stream().anyMatch(n -> requested.equals(n.get("node")));
            if (!known) {
                throw new ToolException("Node " + requested + " is not part of the cluster. Nodes: "
                        + String.join(", ", nodes.stream().map(n -> Json.string(n, "node")).sorted().toList()) + ".");
            }
            if (!online.contains(requested)) {
                throw new ToolException("Node " + requested + " is offline. Online nodes: " + (online.isEmpty()
                        ? "none" : String.join(", ", online)) + ".");
            }
            return requested;
        }
        return nodes.stream().filter(n -> "online".equals(n.get("status")))
                .max(Comparator.comparingLong(n -> Json.longValue(n, "maxmem", 0) - Json.longValue(n, "mem", 0)))
                .map(n -> Json.string(n, "node"))
                .orElseThrow(() -> new ToolException("No node of the cluster is online, so nothing can be created."));
    }

    /**
     * @param pve the client
     * @param requested the VMID the caller asked for, or {@code null} for the next free one
     * @return the VMID
     * @throws ToolException if the requested VMID is taken; the message names the guest that has it
     */
    public static int vmid(ProxmoxClient pve, Long requested) {
        if (requested == null) {
            return Integer.parseInt(String.valueOf(pve.get("/cluster/nextid", Map.of()).join()));
        }
        for (Object o : Json.list(pve.get("/cluster/resources", Map.of("type", "vm")).join())) {
            Map<String, Object> r = Json.map(o);
            if (Json.longValue(r, "vmid", -1) == requested) {
                throw new ToolException("VMID " + requested + " is taken by " + ("qemu".equals(r.get("type")) ? "VM "
                        : "container ") + r.get("name") + " on " + r.get("node") + ". Leave vmid out to use the next "
                        + "free one.");
            }
        }
        return requested.intValue();
    }

    /**
     * @param pve the client
     * @param node the node
     * @param content the content the storage must hold: {@code images} (VM disks), {@code rootdir} (container
     *        volumes), {@code iso}, {@code vztmpl}, {@code backup}
     * @param requested the storage the caller named, or {@code null} to choose: {@code local-lvm} if it fits,
     *        else the one with the most free space
     * @return the storage id
     * @throws ToolException if the named storage does not exist on the node, is disabled or cannot hold
     *         {@code content}, or no storage can
     */
    public static String storage(ProxmoxClient pve, String node, String content, String requested) {
        List<Map<String, Object>> usable = new ArrayList<>();
        for (Object o : Json.list(pve.get("/nodes/{node}/storage", Map.of("node", node, "content", content,
                "enabled", 1)).join())) {
            usable.add(Json.map(o));
        }
        List<String> names = usable.stream().map(s -> Json.string(s, "storage")).sorted().toList();
        if (requested != null) {
            if (!names.contains(requested)) {
                throw new ToolException("Storage " + requested + " cannot hold " + describe(content) + " on node " + node
                        + " (it does not exist there, is disabled or holds other content). Storages that can: "
                        + (names.isEmpty() ? "none" : String.join(", ", names)) + ".");
            }
            return requested;
        }
        if (names.contains("local-lvm")) {
            return "local-lvm";
        }
        return usable.stream().max(Comparator.comparingLong(s -> Json.longValue(s, "avail", 0)))
                .map(s -> Json.string(s, "storage"))
                .orElseThrow(() -> new ToolException("No storage on node " + node + " can hold " + describe(content)
                        + "."));
    }

    private static String describe(String content) {
        return switch (content) {
            case "images" -> "VM disks";
            case "rootdir" -> "container volumes";
            case "iso" -> "ISO images";
            case "vztmpl" -> "container templates";
            default -> content;
        };
    }
}
