package io.pvemcp.registry.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.spec.McpSchema;
import io.pvemcp.api.Prompt;
import io.pvemcp.api.PromptArgument;
import io.pvemcp.api.Scopes;
import io.pvemcp.registry.ToolRegistry.ContributionInfo;

/** An accepted prompt. */
final class PromptEntry extends Contributions.Entry<Prompt> {

    final String name;
    final List<PromptArgument> arguments;
    final McpSchema.Prompt descriptor;

    private PromptEntry(Contributions.Source<Prompt> source) {
        super(Properties.name(source.properties(), Prompt.NAME, "prompt"), source);
        Map<String, Object> p = source.properties();
        this.name = key;
        String title = Properties.optional(p, Prompt.TITLE, null);
        String description = Properties.required(p, Prompt.DESCRIPTION);
        List<PromptArgument> args = service.arguments();
        this.arguments = args == null ? List.of() : List.copyOf(args);
        List<McpSchema.PromptArgument> mcpArgs = new ArrayList<>();
        for (PromptArgument a : arguments) {
            mcpArgs.add(new McpSchema.PromptArgument(a.name(), null, a.description(), a.required()));
        }
        this.descriptor = new McpSchema.Prompt(name, title, description, mcpArgs);
    }

    static PromptEntry read(Contributions.Source<Prompt> source) {
        return new PromptEntry(source);
    }

    @Override
    ContributionInfo info() {
        return new ContributionInfo("prompt", name, descriptor.title() == null ? "" : descriptor.title(), "",
                Scopes.READ, "", true, false, bundle, bundleId, serviceId, ranking);
    }
}
