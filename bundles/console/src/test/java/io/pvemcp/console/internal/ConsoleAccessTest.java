package io.pvemcp.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.pvemcp.api.Caller;
import io.pvemcp.api.Scopes;
import io.pvemcp.security.Admission;
import io.pvemcp.security.Gatekeeper;
import io.pvemcp.security.store.AdminPassword;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleAccessTest {

    @TempDir
    Path dir;

    static ConsoleConfig config(String dataDir, String password, boolean remote) {
        return new ConsoleConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ConsoleConfig.class;
            }

            @Override
            public String data_dir() {
                return dataDir;
            }

            @Override
            public String password() {
                return password;
            }

            @Override
            public boolean allow_remote() {
                return remote;
            }

            @Override
            public int session_idle_minutes() {
                return 30;
            }

            @Override
            public int failures_per_minute() {
                return 3;
            }
        };
    }

    static Gatekeeper gatekeeper() {
        Gatekeeper g = mock(Gatekeeper.class);
        when(g.authenticationRequired()).thenReturn(true);
        when(g.admit(anyString(), anyString(), org.mockito.ArgumentMatchers.anyBoolean())).thenAnswer(i -> {
            String auth = i.getArgument(0);
            if (auth.equals("Bearer admin-token")) {
                return Admission.admit(Caller.builder().subject("ops").scopes(Set.of(Scopes.ADMIN)).build());
            }
            if (auth.equals("Bearer read-token")) {
                return Admission.admit(Caller.builder().subject("dash").scopes(Set.of(Scopes.READ)).build());
            }
            return new Admission(401, null, "invalid_token", "The token is not valid", "Bearer", 0);
        });
        return g;
    }

    static HttpServletRequest request(String method, String remote, String origin, Cookie... cookies) {
        HttpServletRequest r = mock(HttpServletRequest.class);
        when(r.getMethod()).thenReturn(method);
        when(r.getRemoteAddr()).thenReturn(remote);
        when(r.getHeader("Host")).thenReturn("127.0.0.1:8000");
        when(r.getHeader("Origin")).thenReturn(origin);
        when(r.getRequestURI()).thenReturn("/system/console/bundles");
        when(r.getCookies()).thenReturn(cookies.length == 0 ? null : cookies);
        return r;
    }

    @Test
    void withoutAPasswordOnlyAdminTokensSignIn() throws Exception {
        ConsoleAccess access = new ConsoleAccess(gatekeeper(), config(dir.toString(), "", false), null);
        assertThat(access.passwordConfigured()).isFalse();
        assertThat(access.checkPassword("127.0.0.1", "admin".toCharArray())).contains("No administrator password");
        assertThat(access.checkToken("127.0.0.1", "read-token", true).problem()).contains("lacks the scope proxmox:admin");
        assertThat(access.checkToken("127.0.0.1", "admin-token", true).problem()).isNull();
        AdminPassword.write(dir, "a long enough secret".toCharArray());
        assertThat(access.passwordConfigured()).isTrue();
        assertThat(access.checkPassword("127.0.0.2", "a long enough secret".toCharArray())).isNull();
        assertThat(access.checkPassword("127.0.0.2", "guess".toCharArray())).isEqualTo("Wrong password.");
    }

    @Test
    void aPasswordTheLauncherKeptAsideIsResolved() {
        ConsoleAccess access = new ConsoleAccess(gatekeeper(), config("", "pvemcp-secret:io.pvemcp.console/password",
                false), v -> v.equals("pvemcp-secret:io.pvemcp.console/password") ? "the real password" : v);
        assertThat(access.checkPassword("127.0.0.1", "the real password".toCharArray())).isNull();
        assertThat(access.checkPassword("127.0.0.1", "pvemcp-secret:io.pvemcp.console/password".toCharArray()))
                .isEqualTo("Wrong password.");
    }

    @Test
    void repeatedFailuresBlockTheAddress() {
        ConsoleAccess access = new ConsoleAccess(gatekeeper(), config("", "configured secret!", false), null);
        for (int i = 0; i < 3; i++) {
            assertThat(access.checkPassword("10.0.0.9", "nope".toCharArray())).isEqualTo("Wrong password.");
        }
        assertThat(access.checkPassword("10.0.0.9", "configured secret!".toCharArray())).contains("Too many");
        assertThat(access.checkPassword("10.0.0.8", "configured secret!".toCharArray())).isNull();
    }

    @Test
    void strangersAreRedirectedRemoteClientsRefusedAndSessionsAdmitted() throws Exception {
        ConsoleAccess access = new ConsoleAccess(gatekeeper(), config("", "configured secret!", false), null);
        HttpServletResponse resp = mock(HttpServletResponse.class);
        assertThat(access.authenticate(request("GET", "127.0.0.1", null), resp)).isNull();
        verify(resp).sendRedirect("/console/login?next=%2Fsystem%2Fconsole%2Fbundles");

        HttpServletResponse remote = mock(HttpServletResponse.class);
        assertThat(access.authenticate(request("GET", "192.0.2.7", null), remote)).isNull();
        verify(remote).sendError(org.mockito.ArgumentMatchers.eq(403), anyString());

        HttpServletResponse opened = mock(HttpServletResponse.class);
        HttpServletRequest login = request("POST", "127.0.0.1", "http://127.0.0.1:8000");
        ConsoleAccess.Session s = access.open("admin", null, login, opened);
        Cookie cookie = new Cookie(ConsoleAccess.COOKIE, s.id());
        assertThat(access.authenticate(request("GET", "127.0.0.1", null, cookie), mock(HttpServletResponse.class)))
                .isEqualTo("admin");
        assertThat(access.authenticate(request("POST", "127.0.0.1", "http://127.0.0.1:8000", cookie),
                mock(HttpServletResponse.class))).isEqualTo("admin");
        HttpServletResponse csrf = mock(HttpServletResponse.class);
        assertThat(access.authenticate(request("POST", "127.0.0.1", "http://evil.example", cookie), csrf)).isNull();
        verify(csrf).sendError(org.mockito.ArgumentMatchers.eq(403), anyString());
        assertThat(access.authenticate(request("GET", "127.0.0.1", null, new Cookie(ConsoleAccess.COOKIE, "forged")),
                mock(HttpServletResponse.class))).isNull();

        access.logout(request("GET", "127.0.0.1", null, cookie), mock(HttpServletResponse.class));
        assertThat(access.authenticate(request("GET", "127.0.0.1", null, cookie), mock(HttpServletResponse.class)))
                .as("the session ended").isNull();
    }

    @Test
    void aSessionSignedInWithATokenEndsWhenTheTokenIsRevoked() throws Exception {
        Gatekeeper g = gatekeeper();
        ConsoleAccess access = new ConsoleAccess(g, config("", "", false), null);
        ConsoleAccess.TokenCheck check = access.checkToken("127.0.0.1", "admin-token", true);
        assertThat(check.problem()).isNull();
        ConsoleAccess.Session s = access.open("admin (token)", check.caller(), request("POST", "127.0.0.1",
                "http://127.0.0.1:8000"), mock(HttpServletResponse.class));
        Cookie cookie = new Cookie(ConsoleAccess.COOKIE, s.id());
        assertThat(access.authenticate(request("GET", "127.0.0.1", null, cookie), mock(HttpServletResponse.class)))
                .isEqualTo("admin (token)");
        when(g.invalidated(check.caller())).thenReturn("it was revoked");
        assertThat(access.authenticate(request("GET", "127.0.0.1", null, cookie), mock(HttpServletResponse.class)))
                .as("the session ended with its token").isNull();
    }

    @Test
    void bearerTokensNeedTheAdminScope() throws Exception {
        ConsoleAccess access = new ConsoleAccess(gatekeeper(), config("", "", false), null);
        HttpServletRequest admin = request("GET", "127.0.0.1", null);
        when(admin.getHeader("Authorization")).thenReturn("Bearer admin-token");
        assertThat(access.authenticate(admin, mock(HttpServletResponse.class))).isEqualTo("token ops");
        HttpServletRequest reader = request("GET", "127.0.0.1", null);
        when(reader.getHeader("Authorization")).thenReturn("Bearer read-token");
        HttpServletResponse refused = mock(HttpServletResponse.class);
        assertThat(access.authenticate(reader, refused)).isNull();
        verify(refused).sendError(org.mockito.ArgumentMatchers.eq(401), anyString());
    }

    @Test
    void loopbackIsDecidedFromLiteralAddressesOnly() {
        assertThat(ConsoleAccess.isLoopback("127.0.0.1")).isTrue();
        assertThat(ConsoleAccess.isLoopback("::1")).isTrue();
        assertThat(ConsoleAccess.isLoopback("[::1]")).isTrue();
        assertThat(ConsoleAccess.isLoopback("192.168.1.5")).isFalse();
        assertThat(ConsoleAccess.isLoopback("localhost")).as("names are never looked up").isFalse();
        assertThat(ConsoleAccess.isLoopback(null)).isFalse();
    }
}
