package io.pvemcp.api;

import java.util.List;
import java.util.Map;

/**
 * What a call of a changing {@link Tool} would do, found out without changing anything ({@link Tool#preview}). The
 * registry answers {@code dry_run: true} with it, shows its {@link #summary()} to the human who confirms the call,
 * and holds its {@link #targets()} against the operator's guard rails (protected tags, VMIDs and pools, HA).
 *
 * @param summary what will happen, in one or two plain sentences a person can say yes or no to, e.g. "Delete VM 108
 *        (web01) on pve1 and its 2 disks, for good. It is running and will be stopped first."
 * @param targets what the call acts on, as it is now; empty when it only creates
 * @param requests the Proxmox requests the call would make, in order
 * @param after the state afterwards, in a sentence
 * @param undoable whether the call can be undone (a start can, a delete cannot)
 * @param interrupts whether the call stops or removes a running workload (stop, shutdown, reboot, delete of a
 *        running guest); HA-managed targets then need the caller's explicit {@code ha: true}
 * @since 1.5
 */
public record Preview(String summary, List<Target> targets, List<Request> requests, String after, boolean undoable,
        boolean interrupts) {

    /** Copies the lists. */
    public Preview {
        targets = targets == null ? List.of() : List.copyOf(targets);
        requests = requests == null ? List.of() : List.copyOf(requests);
    }

    /**
     * A guest (or other object) a call acts on, as it is before the call.
     *
     * @param kind {@code qemu}, {@code lxc}, or another kind of object
     * @param vmid its VMID, or {@code null} for objects that have none
     * @param name its name, or {@code null}
     * @param node the node it is on, or {@code null}
     * @param status e.g. {@code running}, {@code stopped}
     * @param tags its Proxmox tags
     * @param pool its pool, or {@code null}
     * @param ha its HA state (e.g. {@code started}) when HA manages it, otherwise {@code null}
     * @param protection whether Proxmox protection is on
     */
    public record Target(String kind, Long vmid, String name, String node, String status, List<String> tags,
            String pool, String ha, boolean protection) {

        /** Copies the tags. */
        public Target {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }

    /**
     * A Proxmox request a call would make.
     *
     * @param method the HTTP method
     * @param path the path as sent, e.g. {@code /nodes/pve1/qemu/108}
     * @param params the parameters
     */
    public record Request(String method, String path, Map<String, Object> params) {

        /** Copies the parameters. */
        public Request {
            params = params == null ? Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        }
    }
}
