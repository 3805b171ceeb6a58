package io.pvemcp.registry.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.pvemcp.registry.ToolRegistry;
import io.pvemcp.registry.ToolRegistry.ContributionInfo;
import io.pvemcp.registry.ToolRegistry.Rejection;
import io.pvemcp.registry.ToolRegistry.SessionInfo;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Shell commands (Apache Felix Gogo, {@code serve --shell}) that show what the registry serves:
 * {@code mcp:tools}, {@code mcp:resources}, {@code mcp:prompts}, {@code mcp:rejections}, {@code mcp:sessions}, and
 * switch tools or whole bundles on and off: {@code mcp:disable proxmox_vm_delete}, {@code mcp:enable bundle io.pvemcp.tools.ct}.
 * Plain methods on a service with the Gogo command properties, so the bundle needs no shell import.
 */
@Component(service = RegistryCommands.class, property = {
        "osgi.command.scope=mcp",
        "osgi.command.function=tools",
        "osgi.command.function=resources",
        "osgi.command.function=prompts",
        "osgi.command.function=rejections",
        "osgi.command.function=sessions",
        "osgi.command.function=enable",
        "osgi.command.function=disable"})
public final class RegistryCommands {

    private final ToolRegistry registry;

    @Activate
    public RegistryCommands(@Reference ToolRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param args a tool name, or {@code bundle} and a bundle's symbolic name
     * @return what was done
     */
    public String enable(String... args) {
        return toggle(true, args);
    }

    /**
     * @param args a tool name, or {@code bundle} and a bundle's symbolic name
     * @return what was done
     */
    public String disable(String... args) {
        return toggle(false, args);
    }

    private String toggle(boolean on, String... args) {
        String verb = on ? "enable" : "disable";
        if (args.length == 2 && args[0].equals("bundle")) {
            registry.setBundleEnabled(args[1], on);
            return "bundle " + args[1] + " " + verb + "d";
        }
        if (args.length == 1) {
            registry.setToolEnabled(args[0], on);
            return "tool " + args[0] + " " + verb + "d";
        }
        return "usage: mcp:" + verb + " TOOL  or  mcp:" + verb + " bundle SYMBOLIC-NAME";
    }

    /** @return the tools clients can see, one per line */
    public String tools() {
        return contributions(registry.tools(), "tools", registry.switches());
    }

    /** @return the resources, one per line */
    public String resources() {
        return contributions(registry.resources(), "resources", registry.switches());
    }

    /** @return the prompts, one per line */
    public String prompts() {
        return contributions(registry.prompts(), "prompts", registry.switches());
    }

    /** @return the refused contributions with the reason */
    public String rejections() {
        List<Rejection> all = registry.rejections();
        if (all.isEmpty()) {
            return "No rejected contributions.";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KIND", "NAME", "BUNDLE", "SERVICE", "REASON"});
        for (Rejection r : all) {
            rows.add(new String[] {r.kind(), r.name() == null ? "(unnamed)" : r.name(),
                    r.bundle() + " [" + r.bundleId() + "]", String.valueOf(r.serviceId()), r.reason()});
        }
        return table(rows);
    }

    /** @return the open MCP sessions */
    public String sessions() {
        List<SessionInfo> all = registry.sessions();
        if (all.isEmpty()) {
            return "No open MCP sessions.";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "TRANSPORT", "CLIENT", "PROTOCOL", "CALLER", "SINCE"});
        for (SessionInfo s : all) {
            rows.add(new String[] {s.id(), s.transport(), s.clientName() + " " + s.clientVersion(),
                    s.protocolVersion(), s.subject(), Instant.ofEpochMilli(s.startedAtMillis()).toString()});
        }
        return table(rows);
    }

    private static String contributions(List<ContributionInfo> all, String what, ToolRegistry.Switches switches) {
        if (all.isEmpty()) {
            return "No " + what + ".";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "STATE", "CATEGORY", "SCOPE", "RISK", "BUNDLE", "SERVICE", "RANKING"});
        for (ContributionInfo c : all) {
            String hints = c.kind().equals("tool") && !c.risk().isEmpty() ? c.risk() : "-";
            boolean on = switches.allows(c.bundle(), c.kind().equals("tool") ? c.name() : null);
            rows.add(new String[] {c.name(), on ? "on" : "off", c.category().isEmpty() ? "-" : c.category(), c.scope(), hints,
                    c.bundle() + " [" + c.bundleId() + "]", String.valueOf(c.serviceId()), String.valueOf(c.ranking())});
        }
        return table(rows);
    }

    static String table(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                width[i] = Math.max(width[i], String.valueOf(row[i]).length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                String cell = String.valueOf(row[i]);
                b.append(cell);
                if (i < row.length - 1) {
                    b.append(" ".repeat(width[i] - cell.length() + 2));
                }
            }
            b.append('\n');
        }
        return b.toString().stripTrailing();
    }
}
