package io.pvemcp.security.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** The state database's URLs and failures; the database itself is exercised by the runtime's ReplicasIT. */
class PostgresStateTest {

    @Test
    void takesJdbcAndPostgresqlUrlsAndNamesThemWithoutCredentials() {
        Properties p = new Properties();
        assertThat(PostgresState.jdbcUrl("jdbc:postgresql://db:5432/state?sslmode=require", p))
                .isEqualTo("jdbc:postgresql://db:5432/state?sslmode=require");
        assertThat(p).isEmpty();
        String jdbc = PostgresState.jdbcUrl("postgresql://pvemcp:p%40ss@db.example.org:6432/state?sslmode=verify-full", p);
        assertThat(jdbc).isEqualTo("jdbc:postgresql://db.example.org:6432/state?sslmode=verify-full");
        assertThat(p).containsEntry("user", "pvemcp").containsEntry("password", "p@ss");
        assertThat(PostgresState.redact("jdbc:postgresql://db:5432/state?password=x&user=y"))
                .isEqualTo("postgresql://db:5432/state");
        assertThat(PostgresState.jdbcUrl("postgres://db/state", new Properties())).isEqualTo("jdbc:postgresql://db/state");
    }

    @Test
    void refusesWhatIsNoPostgresqlUrl() {
        assertThatThrownBy(() -> PostgresState.jdbcUrl("mysql://db/state", new Properties()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:postgresql://");
        assertThatThrownBy(() -> PostgresState.jdbcUrl(" ", new Properties()))
                .hasMessageContaining("MCP_STATE_DB_URL");
    }

    @Test
    void anUnreachableDatabaseIsReportedWithoutItsPassword() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (PostgresState state = PostgresState.open("postgresql://pvemcp:hunter2-secret@127.0.0.1:" + port
                + "/state", null, null)) {
            assertThat(state.where()).isEqualTo("postgresql://127.0.0.1:" + port + "/state");
            String problem = state.check();
            assertThat(problem).isNotNull().contains(state.where()).doesNotContain("hunter2");
            assertThatThrownBy(() -> state.documents().version("tokens.json")).isInstanceOf(IOException.class)
                    .hasMessageNotContaining("hunter2");
            assertThatThrownBy(() -> state.audit().append(java.util.Map.of("action", "x")))
                    .isInstanceOf(IOException.class);
        }
    }
}
