package io.pvemcp.pve.sim.internal.api;

import java.util.Map;

/**
 * What a handler returns when the answer carries attributes beside {@code data}, as Proxmox VE's {@code changes} of
 * a node's network configuration.
 *
 * @param data the {@code data}
 * @param attributes the other members of the answer
 */
record Answer(Object data, Map<String, Object> attributes) {
}
