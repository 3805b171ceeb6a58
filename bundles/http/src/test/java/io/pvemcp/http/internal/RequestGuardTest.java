package io.pvemcp.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;

class RequestGuardTest {

    static HttpServletRequest request(String host, String origin) {
        HttpServletRequest r = mock(HttpServletRequest.class);
        when(r.getHeader("Host")).thenReturn(host);
        when(r.getHeader("Origin")).thenReturn(origin);
        return r;
    }

    @Test
    void onLoopbackAcceptsLoopbackNamesOnly() {
        RequestGuard guard = new RequestGuard(new String[0], new String[0]);
        guard.listeningOn(List.of("http://127.0.0.1:8000/"));
        assertThat(guard.refusal(request("127.0.0.1:8000", null))).isNull();
        assertThat(guard.refusal(request("localhost:8000", "http://localhost:8000"))).isNull();
        assertThat(guard.refusal(request("[::1]:8000", null))).isNull();
        assertThat(guard.refusal(request("evil.example.com", null))).contains("DNS rebinding");
        assertThat(guard.refusal(request("127.0.0.1:8000", "http://evil.example.com"))).contains("Origin");
        assertThat(guard.refusal(request(null, null))).isNotNull();
    }

    @Test
    void acceptsConfiguredHostsAndOrigins() {
        RequestGuard guard = new RequestGuard(new String[] {"https://assistant.example.com/"},
                new String[] {"mcp.example.com, other.example.com"});
        assertThat(guard.refusal(request("mcp.example.com:8443", "https://assistant.example.com"))).isNull();
        assertThat(guard.refusal(request("other.example.com", null))).isNull();
        assertThat(guard.refusal(request("third.example.com", null))).isNotNull();
        assertThat(guard.refusal(request("mcp.example.com", "https://other-site.example.org"))).isNotNull();
    }

    @Test
    void onAllInterfacesWithoutAllowedHostsHostsCannotBeChecked() {
        RequestGuard guard = new RequestGuard(new String[0], new String[0]);
        guard.listeningOn(List.of("http://0.0.0.0:8000/"));
        assertThat(guard.checksHosts()).isFalse();
        assertThat(guard.refusal(request("10.1.2.3:8000", null))).isNull();
        assertThat(guard.refusal(request("10.1.2.3:8000", "http://evil.example.com"))).isNotNull();
    }

    @Test
    void learnsItsOwnListenAddress() {
        RequestGuard guard = new RequestGuard(new String[0], new String[0]);
        guard.listeningOn(List.of("http://192.168.1.20:8000/"));
        assertThat(guard.refusal(request("192.168.1.20:8000", null))).isNull();
        assertThat(RequestGuard.hostName("[::1]:8000")).isEqualTo("[::1]");
        assertThat(RequestGuard.hostName("Example.COM")).isEqualTo("example.com");
    }
}
