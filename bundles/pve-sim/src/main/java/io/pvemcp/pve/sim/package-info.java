/**
 * A simulated Proxmox VE cluster to embed in tests and demos: {@link io.pvemcp.pve.sim.Simulator}. In the
 * OSGi runtime the simulator runs as a component configured by PID {@code io.pvemcp.pve.sim}, and the
 * running instance is registered as a service of type {@link io.pvemcp.pve.sim.Simulator} with the properties
 * {@code pvemcp.sim.url}, {@code pvemcp.sim.port}, {@code pvemcp.sim.fingerprint} and, when it keeps its
 * certificates in a directory, {@code pvemcp.sim.ca.file}.
 */
@Version("1.0.0")
@Export
package io.pvemcp.pve.sim;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
