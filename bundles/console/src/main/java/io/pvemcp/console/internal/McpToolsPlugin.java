package io.pvemcp.console.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.pvemcp.registry.ToolRegistry;
import io.pvemcp.registry.ToolRegistry.ContributionInfo;
import io.pvemcp.security.AuditLog;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.owasp.encoder.Encode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console page "MCP tools" ({@code /system/console/mcp-tools}): every bundle that contributes tools,
 * resources or prompts, with its tools, their scope and state, and switches for the bundle and each tool; the
 * bundles in the deploy folder that do not run and why; what the registry rejected and why; the open MCP sessions;
 * the latest audit entries. A switch is a POST with the session's CSRF value and takes effect at once.
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + McpToolsPlugin.LABEL,
        ServletConstants.PLUGIN_TITLE + "=MCP tools",
        ServletConstants.PLUGIN_CATEGORY + "=Proxmox MCP"})
public final class McpToolsPlugin extends AbstractServlet {

    static final String LABEL = "mcp-tools";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(McpToolsPlugin.class);

    private final transient BundleContext context;
    private final transient ToolRegistry registry;
    private final transient ConsoleAccess access;
    private final transient Problems problems;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile AuditLog audit;

    @Activate
    public McpToolsPlugin(BundleContext context, @Reference ToolRegistry registry, @Reference ConsoleAccess access,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL) ServiceComponentRuntime scr) {
        this.context = context;
        this.registry = registry;
        this.access = access;
        this.problems = new Problems(context, scr);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ConsoleAccess.Session session = access.session(req);
        // a request signed in with a console session (a cookie the browser adds by itself) must carry the session's
        // form secret, whatever other headers it has; only one without a session, admitted by its bearer token (which
        // no browser sends on its own), needs none
        boolean byToken = session == null && access.signedInByToken(req);
        if (!byToken && (session == null || !ConsoleAccess.sameOrigin(req)
                || !session.csrf().equals(req.getParameter("csrf")))) {
            resp.sendError(403, "The form expired or came from another site; reload the page and try again.");
            return;
        }
        String action = String.valueOf(req.getParameter("action"));
        String name = req.getParameter("name");
        String message;
        if (name == null || name.isBlank()) {
            resp.sendError(400, "Name the tool or bundle to switch.");
            return;
        }
        try {
            switch (action) {
                case "tool-on", "tool-off" -> registry.setToolEnabled(name, action.endsWith("on"));
                case "bundle-on", "bundle-off" -> registry.setBundleEnabled(name, action.endsWith("on"));
                default -> {
                    resp.sendError(400, "Unknown action '" + action + "'.");
                    return;
                }
            }
            String what = action.startsWith("tool") ? "Tool " : "Bundle ";
            message = what + name + " switched " + (action.endsWith("on") ? "on" : "off") + ".";
            LOG.info("{} by {} in the admin console", message, session == null ? "a token" : session.user());
        } catch (IllegalStateException e) {
            message = e.getMessage();
        }
        resp.setStatus(303);
        resp.setHeader("Location", req.getContextPath() + req.getServletPath() + "/" + LABEL + "?done="
                + URLEncoder.encode(message, StandardCharsets.UTF_8));
    }

    @Override
    public void renderContent(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ConsoleAccess.Session session = access.session(req);
        String csrf = session == null ? "" : session.csrf();
        ToolRegistry.Switches switches = registry.switches();
        PrintWriter w = resp.getWriter();
        w.println("<style>.mcp td,.mcp th{padding:2px 8px;text-align:left;vertical-align:top}.mcp .off{color:#a00;"
                + "font-weight:bold}.mcp .on{color:#060}.mcp form{display:inline;margin:0}.mcp h2{margin-top:1.2em}"
                + ".mcp .notice{border:1px solid #888;padding:4px 8px;background:#ffd}</style>");
        w.println("<div class=\"mcp\">");
        String done = req.getParameter("done");
        if (done != null) {
            w.println("<p class=\"notice\" role=\"status\">" + Encode.forHtml(done) + "</p>");
        }
        w.println("<p>Switched-off tools disappear from every connected client at once and are refused if called; "
                + "the switches are kept across restarts. <a href=\"/console/logout\">Sign out</a></p>");

        w.println("<h2>Proxmox VE clusters</h2>");
        List<String[]> clusterRows = new ArrayList<>();
        for (ToolRegistry.ClusterInfo c : registry.clusters()) {
            clusterRows.add(new String[] {c.name() + (c.isDefault() ? " (default)" : ""), c.host() == null ? ""
                    : c.host(), c.ok() ? "ok" : "unreachable: " + c.error(), c.ok() ? c.version() : "", c.ok()
                            ? c.nodesOnline() + " of " + c.nodes() : "", c.ok() ? (c.quorate() ? "yes" : "no") : "",
                c.ok() ? c.latencyMs() + " ms" : ""});
        }
        if (clusterRows.isEmpty()) {
            w.println("<p class=\"off\">No Proxmox VE connection: the Proxmox client is not running.</p>");
        } else {
            table(w, List.of("Cluster", "Host", "State", "Version", "Nodes online", "Quorum", "Latency"),
                    clusterRows);
        }

        Map<String, List<ContributionInfo>> byBundle = new TreeMap<>();
        for (List<ContributionInfo> list : List.of(registry.tools(), registry.resources(), registry.prompts())) {
            for (ContributionInfo c : list) {
                byBundle.computeIfAbsent(c.bundle(), k -> new ArrayList<>()).add(c);
            }
        }
        for (String b : switches.disabledBundles()) {
            byBundle.putIfAbsent(b, List.of());
        }
        w.println("<h2>Tool bundles</h2>");
        for (var e : byBundle.entrySet()) {
            String bundle = e.getKey();
            boolean on = !switches.disabledBundles().contains(bundle);
            Bundle b = find(bundle);
            long tools = e.getValue().stream().filter(c -> c.kind().equals("tool")).count();
            w.println("<h3 data-bundle=\"" + Encode.forHtmlAttribute(bundle) + "\">" + Encode.forHtml(bundle)
                    + (b == null ? " (not deployed)" : " " + Encode.forHtml(b.getVersion().toString()) + " ["
                            + b.getBundleId() + ", " + Problems.state(b.getState()) + "]")
                    + " &middot; " + tools + " tool(s) &middot; <span class=\"" + (on ? "on\">on" : "off\">off")
                    + "</span> " + button(on ? "bundle-off" : "bundle-on", bundle, on ? "Switch bundle off"
                            : "Switch bundle on", csrf) + "</h3>");
            if (e.getValue().isEmpty()) {
                continue;
            }
            w.println("<table class=\"nicetable\"><tr><th>Kind</th><th>Name</th><th>Title</th><th>Category</th>"
                    + "<th>Scope</th><th>Risk</th><th>State</th><th></th></tr>");
            for (ContributionInfo c : e.getValue()) {
                boolean tool = c.kind().equals("tool");
                boolean toolOn = !tool || !switches.disabledTools().contains(c.name());
                boolean served = on && toolOn;
                String hints = !tool ? "" : c.risk();
                w.println("<tr data-tool=\"" + Encode.forHtmlAttribute(c.name()) + "\"><td>" + c.kind() + "</td><td>"
                        + Encode.forHtml(c.name()) + "</td><td>" + Encode.forHtml(c.title()) + "</td><td>"
                        + Encode.forHtml(c.category()) + "</td><td>" + Encode.forHtml(c.scope()) + "</td><td>" + hints
                        + "</td><td class=\"" + (served ? "on\">on" : "off\">off") + "</td><td>"
                        + (tool ? button(toolOn ? "tool-off" : "tool-on", c.name(), toolOn ? "Switch off" : "Switch on",
                                csrf) : "") + "</td></tr>");
            }
            w.println("</table>");
        }
        List<String> orphanTools = new ArrayList<>(new TreeSet<>(switches.disabledTools()));
        orphanTools.removeIf(t -> registry.tools().stream().anyMatch(c -> c.name().equals(t)));
        if (!orphanTools.isEmpty()) {
            w.println("<p>Switched off, not deployed now: ");
            for (String t : orphanTools) {
                w.println(Encode.forHtml(t) + " " + button("tool-on", t, "Switch on", csrf));
            }
            w.println("</p>");
        }

        w.println("<h2>Problems</h2>");
        List<String[]> found = new ArrayList<>();
        for (ToolRegistry.Rejection r : registry.rejections()) {
            found.add(new String[] {r.bundle() + " [" + r.bundleId() + "]", r.kind() + " "
                    + (r.name() == null ? "(unnamed)" : r.name()), r.reason()});
        }
        found.addAll(problems.list());
        if (found.isEmpty()) {
            w.println("<p>None: every deployed bundle runs and every contribution was accepted.</p>");
        } else {
            table(w, List.of("Bundle", "What", "Why"), found);
        }

        w.println("<h2>MCP sessions</h2>");
        List<String[]> rows = new ArrayList<>();
        for (ToolRegistry.SessionInfo s : registry.sessions()) {
            rows.add(new String[] {s.id(), s.transport(), s.clientName() + " " + s.clientVersion(), s.protocolVersion(),
                    s.subject(), Instant.ofEpochMilli(s.startedAtMillis()).toString()});
        }
        if (rows.isEmpty()) {
            w.println("<p>No open sessions.</p>");
        } else {
            table(w, List.of("Session", "Transport", "Client", "Protocol", "Caller", "Since"), rows);
        }

        w.println("<h2>Latest audit entries</h2>");
        AuditLog log = audit;
        if (log == null) {
            w.println("<p class=\"off\">The audit log is not running: tool calls are refused.</p>");
        } else {
            rows = new ArrayList<>();
            List<Map<String, Object>> latest = new ArrayList<>(log.latest(25));
            java.util.Collections.reverse(latest);
            for (Map<String, Object> a : latest) {
                Object caller = a.get("caller");
                String subject = caller instanceof Map<?, ?> m ? String.valueOf(m.get("subject")) : String.valueOf(caller);
                rows.add(new String[] {String.valueOf(a.get("time")), subject, String.valueOf(a.get("action")),
                        String.valueOf(a.get("target")), String.valueOf(a.get("outcome"))});
            }
            if (rows.isEmpty()) {
                w.println("<p>No tool calls yet.</p>");
            } else {
                table(w, List.of("Time", "Caller", "Action", "Target", "Outcome"), rows);
            }
        }
        w.println("</div>");
    }

    private Bundle find(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    private static String button(String action, String name, String label, String csrf) {
        return "<form method=\"post\" action=\"" + LABEL + "\"><input type=\"hidden\" name=\"action\" value=\""
                + action + "\"><input type=\"hidden\" name=\"name\" value=\"" + Encode.forHtmlAttribute(name)
                + "\"><input type=\"hidden\" name=\"csrf\" value=\"" + Encode.forHtmlAttribute(csrf)
                + "\"><button type=\"submit\" name=\"switch\" value=\"" + action + "\">" + label + "</button></form>";
    }

    private static void table(PrintWriter w, List<String> head, List<String[]> rows) {
        w.print("<table class=\"nicetable\"><tr>");
        head.forEach(h -> w.print("<th>" + h + "</th>"));
        w.println("</tr>");
        for (String[] r : rows) {
            w.print("<tr>");
            for (String cell : r) {
                w.print("<td>" + Encode.forHtml(cell) + "</td>");
            }
            w.println("</tr>");
        }
        w.println("</table>");
    }
}
