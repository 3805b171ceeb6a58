package io.pvemcp.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.pvemcp.registry.ToolRegistry;

import org.junit.jupiter.api.Test;

class RegistryCommandsTest {

    private static ToolRegistry registry(List<ToolRegistry.ContributionInfo> tools, List<ToolRegistry.Rejection> rejections) {
        return new ToolRegistry() {
            @Override
            public List<ContributionInfo> tools() {
                return tools;
            }

            @Override
            public boolean started() {
                return true;
            }

            @Override
            public List<ContributionInfo> resources() {
                return List.of();
            }

            @Override
            public List<ContributionInfo> prompts() {
                return List.of();
            }

            @Override
            public List<Rejection> rejections() {
                return rejections;
            }

            @Override
            public List<SessionInfo> sessions() {
                return List.of();
            }

            @Override
            public List<ClusterInfo> clusters() {
                return List.of();
            }

            @Override
            public Switches switches() {
                return new Switches(java.util.Set.of(), java.util.Set.of("proxmox_vm_start"));
            }

            @Override
            public void setBundleEnabled(String symbolicName, boolean enabled) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void setToolEnabled(String tool, boolean enabled) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<ToolDescription> describeTools(io.pvemcp.api.Caller caller) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.util.concurrent.CompletionStage<CallOutcome> call(io.pvemcp.api.Caller caller, String tool,
                    java.util.Map<String, Object> arguments) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<Approval> approvals() {
                return List.of();
            }

            @Override
            public Approval approval(String id) {
                return null;
            }

            @Override
            public Approval decide(String id, boolean approve, String by) {
                throw new IllegalStateException("none");
            }
        };
    }

    @Test
    void listsToolsInAlignedColumns() {
        RegistryCommands commands = new RegistryCommands(registry(List.of(
                new ToolRegistry.ContributionInfo("tool", "proxmox_vm_start", "Start", "vm", "power", "power", false, false,
                        "io.pvemcp.tools.vm", 12, 40, 0),
                new ToolRegistry.ContributionInfo("tool", "proxmox_system_version", "", "system", "read", "read", true, false,
                        "io.pvemcp.tools.system", 11, 38, 5)), List.of()));
        String[] lines = commands.tools().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("NAME").contains("SCOPE", "RISK", "BUNDLE");
        assertThat(lines[1]).contains("proxmox_vm_start", " off ", "power", "io.pvemcp.tools.vm [12]");
        assertThat(lines[2]).contains(" on ", " read ", "io.pvemcp.tools.system [11]").endsWith("5");
        int category = lines[0].indexOf("CATEGORY");
        assertThat(lines[1].indexOf(" vm ") + 1).isEqualTo(category);
        assertThat(lines[2].indexOf(" system ") + 1).isEqualTo(category);
        assertThat(commands.resources()).isEqualTo("No resources.");
        assertThat(commands.sessions()).isEqualTo("No open MCP sessions.");
    }

    @Test
    void showsWhyAContributionWasRejected() {
        RegistryCommands commands = new RegistryCommands(registry(List.of(), List.of(
                new ToolRegistry.Rejection("tool", null, "com.example.broken", 30, 77, "the input schema is invalid"))));
        assertThat(commands.rejections()).contains("(unnamed)", "com.example.broken [30]", "77",
                "the input schema is invalid");
        assertThat(commands.tools()).isEqualTo("No tools.");
    }
}
