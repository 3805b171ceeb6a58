package io.pvemcp.http.internal;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

/**
 * Headers every answer of the server carries: HSTS when it was served over TLS (browsers then refuse plain
 * HTTP to this host for a year), and no content sniffing. Asynchronous, like the MCP servlet behind it.
 */
@Component(service = Filter.class)
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
        }
        chain.doFilter(request, response);
    }
}
