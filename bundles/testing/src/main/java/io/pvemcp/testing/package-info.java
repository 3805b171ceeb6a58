/**
 * Test support for tool bundles: {@link io.pvemcp.testing.SimulatedCluster} (the Proxmox VE simulator with a
 * real client connected to it), {@link io.pvemcp.testing.RecordingToolCall} (a tool call that records what a
 * tool reports) and {@link io.pvemcp.testing.JsonSchemas} (checks values against a tool's schemas). Used in test
 * scope only.
 */
@Version("1.0.0")
@Export
package io.pvemcp.testing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
