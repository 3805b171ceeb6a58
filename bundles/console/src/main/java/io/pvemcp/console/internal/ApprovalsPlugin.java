package io.pvemcp.console.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.pvemcp.registry.ToolRegistry;
import io.pvemcp.registry.ToolRegistry.Approval;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.owasp.encoder.Encode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console page "MCP approvals" ({@code /system/console/mcp-approvals}): the tool calls held for a person's
 * yes because their client could not ask its user, each with what it will do, who asked and until when, and buttons
 * to approve (the call runs at once, as its caller) or reject it; below, those decided in the last hour and how they
 * ended. A decision is a POST with the session's CSRF value and is audited with the name of the console user.
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + ApprovalsPlugin.LABEL,
        ServletConstants.PLUGIN_TITLE + "=MCP approvals",
        ServletConstants.PLUGIN_CATEGORY + "=Proxmox MCP"})
public final class ApprovalsPlugin extends AbstractServlet {

    static final String LABEL = "mcp-approvals";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalsPlugin.class);

    private final transient ToolRegistry registry;
    private final transient ConsoleAccess access;

    @Activate
    public ApprovalsPlugin(@Reference ToolRegistry registry, @Reference ConsoleAccess access) {
        this.registry = registry;
        this.access = access;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ConsoleAccess.Session session = access.session(req);
        boolean byToken = session == null && access.signedInByToken(req);
        if (!byToken && (session == null || !ConsoleAccess.sameOrigin(req)
                || !session.csrf().equals(req.getParameter("csrf")))) {
            resp.sendError(403, "The form expired or came from another site; reload the page and try again.");
            return;
        }
        String action = String.valueOf(req.getParameter("action"));
        String id = req.getParameter("id");
        if (id == null || id.isBlank() || !(action.equals("approve") || action.equals("reject"))) {
            resp.sendError(400, "Name the approval (id) and the decision (action=approve or action=reject).");
            return;
        }
        String by = session != null ? "console user " + session.user() : "an administrator token in the console";
        String message;
        try {
            Approval a = registry.decide(id, action.equals("approve"), by);
            message = "Approval " + a.id() + " of " + a.tool() + (action.equals("approve") ? " approved: the call runs."
                    : " rejected: nothing was done.");
            LOG.info("{} by {}", message, by);
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
        PrintWriter w = resp.getWriter();
        w.println("<style>.mcpa td,.mcpa th{padding:2px 8px;text-align:left;vertical-align:top}.mcpa form{display:"
                + "inline;margin:0}.mcpa .summary{white-space:pre-line}.mcpa .notice{border:1px solid #888;padding:4px "
                + "8px;background:#ffd}.mcpa .destroy{color:#a00;font-weight:bold}</style>");
        w.println("<div class=\"mcpa\">");
        String done = req.getParameter("done");
        if (done != null) {
            w.println("<p class=\"notice\" role=\"status\">" + Encode.forHtml(done) + "</p>");
        }
        w.println("<p>Calls wait here when they need a person's yes (by default every destroy-class call) and their "
                + "client cannot ask its user. An approved call runs at once as the caller that made it, with every "
                + "other check; the caller picks up the outcome with proxmox_approval_status. "
                + "<a href=\"/console/logout\">Sign out</a></p>");
        List<Approval> all = registry.approvals();
        w.println("<h2>Pending</h2>");
        List<Approval> pending = all.stream().filter(a -> a.state().equals("pending")).toList();
        if (pending.isEmpty()) {
            w.println("<p id=\"no-pending\">Nothing waits for approval.</p>");
        } else {
            w.println("<table class=\"nicetable\"><tr><th>Id</th><th>Tool</th><th>Risk</th><th>What it will do</th>"
                    + "<th>Asked by</th><th>Expires</th><th></th></tr>");
            for (Approval a : pending) {
                w.println("<tr data-approval=\"" + Encode.forHtmlAttribute(a.id()) + "\"><td>" + Encode.forHtml(a.id())
                        + "</td><td>" + Encode.forHtml(a.tool()) + "</td><td class=\"" + Encode.forHtmlAttribute(
                        a.risk()) + "\">" + Encode.forHtml(a.risk()) + "</td><td class=\"summary\">"
                        + Encode.forHtml(a.summary()) + "</td><td>" + Encode.forHtml(a.subject() + (a.token() == null
                        ? "" : " (token " + a.token() + ")")) + "</td><td>" + Instant.ofEpochMilli(a.expires())
                        + "</td><td>" + button("approve", a.id(), "Approve", csrf) + " "
                        + button("reject", a.id(), "Reject", csrf) + "</td></tr>");
            }
            w.println("</table>");
        }
        w.println("<h2>Decided in the last hour</h2>");
        List<Approval> decided = all.stream().filter(a -> !a.state().equals("pending")).toList();
        if (decided.isEmpty()) {
            w.println("<p>None.</p>");
        } else {
            w.println("<table class=\"nicetable\"><tr><th>Id</th><th>Tool</th><th>State</th><th>Decided by</th>"
                    + "<th>When</th><th>Outcome</th></tr>");
            for (Approval a : decided) {
                w.println("<tr data-approval=\"" + Encode.forHtmlAttribute(a.id()) + "\"><td>" + Encode.forHtml(a.id())
                        + "</td><td>" + Encode.forHtml(a.tool()) + "</td><td class=\"state\">"
                        + Encode.forHtml(a.state()) + "</td><td>" + Encode.forHtml(String.valueOf(a.decidedBy()))
                        + "</td><td>" + (a.decided() > 0 ? Instant.ofEpochMilli(a.decided()).toString() : "")
                        + "</td><td>" + Encode.forHtml(a.result() == null ? "" : a.result()) + "</td></tr>");
            }
            w.println("</table>");
        }
        w.println("</div>");
    }

    private static String button(String action, String id, String label, String csrf) {
        return "<form method=\"post\" action=\"" + LABEL + "\"><input type=\"hidden\" name=\"action\" value=\""
                + action + "\"><input type=\"hidden\" name=\"id\" value=\"" + Encode.forHtmlAttribute(id)
                + "\"><input type=\"hidden\" name=\"csrf\" value=\"" + Encode.forHtmlAttribute(csrf)
                + "\"><button type=\"submit\" name=\"decision\" value=\"" + action + "\">" + label + "</button></form>";
    }
}
