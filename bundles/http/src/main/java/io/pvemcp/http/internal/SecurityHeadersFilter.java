package io.pvemcp.http.internal;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

/**
 * Headers every answer of the server carries, in every servlet context (the admin console has its own): HSTS when
 * it was served over TLS (browsers then refuse plain HTTP to this host for a year), no content sniffing, and no
 * framing by other pages (clickjacking). Asynchronous, like the MCP servlet behind it.
 */
@Component(service = Filter.class)
@HttpWhiteboardContextSelect("(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=*)")
@HttpWhiteboardFilterPattern("/*")
@HttpWhiteboardFilterName("security-headers")
@HttpWhiteboardFilterAsyncSupported
public final class SecurityHeadersFilter implements Filter {

    static final String HSTS = "max-age=31536000";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (response instanceof HttpServletResponse http) {
            if (request.isSecure()) {
                http.setHeader("Strict-Transport-Security", HSTS);
            }
            http.setHeader("X-Content-Type-Options", "nosniff");
            http.setHeader("X-Frame-Options", "DENY");
            if (!http.containsHeader("Content-Security-Policy")) {
                http.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
            }
        }
        chain.doFilter(request, response);
    }
}
