package io.pvemcp.console.internal;

import java.io.IOException;
import java.io.PrintWriter;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.owasp.encoder.Encode;

/**
 * {@code /console/login}: the administrator signs in with the password or an admin-scoped token and gets a
 * session cookie ({@code HttpOnly}, {@code SameSite=Strict}). The form carries a one-time value that must match a
 * cookie set with it (login CSRF), and the request must come from this origin. {@code /console/logout} ends the
 * session.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ConsoleAccess.LOGIN_PATH, "/console/logout"})
@HttpWhiteboardServletName("pvemcp-console-login")
public final class LoginServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String FORM_COOKIE = "pvemcp_login";

    @Reference
    private transient ConsoleAccess access;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!access.reachable(req, resp)) {
            return;
        }
        if (req.getServletPath().equals("/console/logout")) {
            access.logout(req, resp);
            resp.sendRedirect(ConsoleAccess.LOGIN_PATH);
            return;
        }
        page(req, resp, null, 200);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!access.reachable(req, resp)) {
            return;
        }
        if (!ConsoleAccess.sameOrigin(req) || !formValueMatches(req)) {
            page(req, resp, "The sign-in form expired or came from another site. Sign in again.", 403);
            return;
        }
        if (req.getServletPath().equals("/console/logout")) {
            access.logout(req, resp);
            resp.sendRedirect(ConsoleAccess.LOGIN_PATH);
            return;
        }
        String password = req.getParameter("password");
        String token = req.getParameter("token");
        String problem;
        String user;
        io.pvemcp.api.Caller signedInWith = null;
        if (token != null && !token.isBlank()) {
            ConsoleAccess.TokenCheck check = access.checkToken(req.getRemoteAddr(), token,
                    ConsoleAccess.isLoopback(req.getRemoteAddr()));
            problem = check.problem();
            signedInWith = check.caller();
            user = "admin (token)";
        } else if (password != null && !password.isEmpty()) {
            problem = access.checkPassword(req.getRemoteAddr(), password.toCharArray());
            user = "admin";
        } else {
            problem = "Enter the administrator password or an admin token.";
            user = null;
        }
        if (problem != null) {
            page(req, resp, problem, problem.startsWith("Too many") ? 429 : 401);
            return;
        }
        access.open(user, signedInWith, req, resp);
        String next = req.getParameter("next");
        resp.setStatus(303);
        resp.setHeader("Location", next != null && next.startsWith("/system/console") && !next.startsWith("//")
                ? next : ConsoleAccess.HOME);
    }

    private static boolean formValueMatches(HttpServletRequest req) {
        String sent = req.getParameter("form");
        if (sent == null || req.getCookies() == null) {
            return false;
        }
        for (Cookie c : req.getCookies()) {
            if (FORM_COOKIE.equals(c.getName()) && java.security.MessageDigest.isEqual(c.getValue().getBytes(),
                    sent.getBytes())) {
                return true;
            }
        }
        return false;
    }

    private void page(HttpServletRequest req, HttpServletResponse resp, String problem, int status) throws IOException {
        String form = ConsoleAccess.random();
        resp.setStatus(status);
        resp.setContentType("text/html;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                + "frame-ancestors 'none'");
        resp.addHeader("Set-Cookie", FORM_COOKIE + "=" + form + "; Path=" + ConsoleAccess.LOGIN_PATH.substring(0,
                ConsoleAccess.LOGIN_PATH.lastIndexOf('/')) + "; HttpOnly; SameSite=Strict" + (req.isSecure()
                        ? "; Secure" : ""));
        String next = req.getParameter("next");
        PrintWriter w = resp.getWriter();
        w.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in - Proxmox MCP "
                + "Server</title><style>body{font-family:sans-serif;max-width:28em;margin:4em auto;color:#222}"
                + "label{display:block;margin-top:1em}input{width:100%;padding:.4em;box-sizing:border-box}"
                + "button{margin-top:1.2em;padding:.5em 1.5em}.problem{color:#a00;border:1px solid #a00;padding:.5em}"
                + "small{color:#555}</style></head><body>");
        w.println("<h1>Proxmox MCP Server</h1><p>Administrator sign-in for the admin console.</p>");
        if (problem != null) {
            w.println("<p class=\"problem\" role=\"alert\">" + Encode.forHtml(problem) + "</p>");
        }
        if (!access.passwordConfigured()) {
            w.println("<p><small>No administrator password is set yet: sign in with a token that has the scope "
                    + "proxmox:admin, or set a password with <code>proxmox-mcp console-password</code> (or "
                    + "MCP_CONSOLE_PASSWORD).</small></p>");
        }
        w.println("<form method=\"post\" action=\"" + ConsoleAccess.LOGIN_PATH + "\">");
        w.println("<input type=\"hidden\" name=\"form\" value=\"" + form + "\">");
        if (next != null) {
            w.println("<input type=\"hidden\" name=\"next\" value=\"" + Encode.forHtmlAttribute(next) + "\">");
        }
        w.println("<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" "
                + "autocomplete=\"current-password\" autofocus>");
        w.println("<label for=\"token\">or an admin token</label><input id=\"token\" name=\"token\" type=\"password\" "
                + "autocomplete=\"off\">");
        w.println("<button type=\"submit\">Sign in</button></form></body></html>");
    }
}
