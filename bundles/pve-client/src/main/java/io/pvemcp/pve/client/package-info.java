/**
 * Makes a Proxmox VE client outside the OSGi runtime, for command-line tools, tests of tool bundles and other
 * programs: {@link io.pvemcp.pve.client.ProxmoxClients#create(java.util.Map)}. Inside the runtime, use the
 * {@link io.pvemcp.api.pve.ProxmoxClient} service instead.
 */
@Version("1.0.0")
@Export
package io.pvemcp.pve.client;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
