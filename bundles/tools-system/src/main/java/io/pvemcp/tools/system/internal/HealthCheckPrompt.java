package io.pvemcp.tools.system.internal;

import java.util.List;

import io.pvemcp.api.Prompt;
import io.pvemcp.api.PromptArgument;
import io.pvemcp.api.PromptRequest;
import io.pvemcp.api.PromptResult;
import io.pvemcp.api.PromptService;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/** A read-only health review of the cluster, as a workflow the assistant follows with the server's tools. */
@Component(service = Prompt.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@PromptService(name = "proxmox_cluster_health_check", title = "Check the health of the Proxmox cluster",
        description = "Reviews the cluster without changing anything: connection, quorum, node status and load, "
                + "guests and storage, and ends with a short report of findings and recommended actions.")
public final class HealthCheckPrompt implements Prompt {

    @Override
    public List<PromptArgument> arguments() {
        return List.of(new PromptArgument("focus", "Optional: a node name or a concern to look at first, "
                + "e.g. pve2 or 'memory pressure'.", false));
    }

    @Override
    public PromptResult get(PromptRequest request) {
        String focus = request.arguments().get("focus");
        String text = """
                Please check the health of my Proxmox VE cluster. Do not change anything: use read-only tools only.

                1. Call proxmox_test_connection. If it fails, stop and tell me what to fix, quoting its error.
                2. Read the resource proxmox://cluster/overview for the cluster, its nodes, guests and storage.
                3. Check: Is the cluster quorate? Is any node offline? Does any node use more than 85% of its memory \
                or more than 80% of its CPU? Is storage more than 85% full? Do the nodes run the same Proxmox VE \
                version (proxmox_system_version with each node)?
                4. Use any other read-only tools you have (for example lists of VMs, containers, storage or tasks) \
                to look deeper at what you found.

                Finish with a short report: a table of the nodes (status, CPU %, memory %, uptime), then the problems \
                you found ordered by severity, each with the recommended action and the tool that would carry it out. \
                Say clearly when everything is fine.""";
        if (focus != null && !focus.isBlank()) {
            text += "\n\nLook at this first: " + focus.strip();
        }
        return new PromptResult("Read-only health check of the Proxmox VE cluster", List.of(PromptResult.Message.user(text)));
    }
}
