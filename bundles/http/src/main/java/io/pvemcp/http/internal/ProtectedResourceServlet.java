package io.pvemcp.http.internal;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.pvemcp.security.Gatekeeper;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The OAuth 2.0 Protected Resource Metadata (RFC 9728) at {@code /.well-known/oauth-protected-resource} and
 * below it ({@code .../mcp}, as RFC 9728 derives it from the resource's path). Public, readable from browsers.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/*"})
@HttpWhiteboardServletName("oauth-protected-resource")
public final class ProtectedResourceServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Gatekeeper gatekeeper;
    private final transient ObjectMapper json = new ObjectMapper();

    @Activate
    public ProtectedResourceServlet(@Reference Gatekeeper gatekeeper) {
        this.gatekeeper = gatekeeper;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Access-Control-Allow-Origin", "*");
        if (!gatekeeper.authenticationRequired()) {
            resp.setStatus(404);
            resp.setContentType("application/json");
            resp.getWriter().write("{\"error\":\"authentication is switched off on this server\"}");
            return;
        }
        resp.setStatus(200);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "max-age=300");
        json.writeValue(resp.getOutputStream(), gatekeeper.resourceMetadata());
    }

    @Override
    protected void doOptions(HttpServletRequest req, HttpServletResponse resp) {
        resp.setHeader("Access-Control-Allow-Origin", "*");
        resp.setHeader("Access-Control-Allow-Methods", "GET");
        resp.setHeader("Access-Control-Allow-Headers", "MCP-Protocol-Version");
        resp.setStatus(204);
    }
}
