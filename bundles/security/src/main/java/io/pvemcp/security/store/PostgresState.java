package io.pvemcp.security.store;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The state several server replicas share, in one PostgreSQL database: the {@link Documents} (token records,
 * signing keys, switches, held approvals) as rows of {@code pvemcp_documents}, and the {@link AuditChain} as rows of
 * {@code pvemcp_audit}. The tables are created when missing.
 * <p>
 * Writers of documents take a transaction-scoped advisory lock, so that their read-modify-write transactions run one
 * after another across every replica; each write gets a new version from a sequence, and readers poll the versions
 * at most every {@value #POLL_MS} ms, so a change made by one replica (a revoked token) is seen by every other within
 * about that. Audit appends also run one after another under their own advisory lock: each reads the last entry,
 * appends the next and commits before {@link AuditChain#append} returns, so a writer that dies before its commit
 * leaves nothing behind and the chain stays one sequence. When the database cannot be reached, reads fail (the
 * server refuses credentials rather than accept a revoked one) and {@link #check()} says why.
 * <p>
 * The password and the URL's credentials never appear in a message: {@link #where()} names host, port and
 * database only. Thread-safe; at most {@value #MAX_CONNECTIONS} connections are open at a time.
 *
 * @since 1.3
 */
public final class PostgresState implements SharedState, Closeable {

    /** How old the versions a reader compares may be, in milliseconds. */
    public static final long POLL_MS = 500;
    static final int MAX_CONNECTIONS = 8;
    private static final long DOCUMENTS_LOCK = 0x70766d6370_01L;
    private static final long AUDIT_LOCK = 0x70766d6370_02L;
    private static final long SCHEMA_LOCK = 0x70766d6370_03L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final Properties properties;
    private final String where;
    private final Semaphore permits = new Semaphore(MAX_CONNECTIONS);
    private final ArrayBlockingQueue<Pooled> idle = new ArrayBlockingQueue<>(MAX_CONNECTIONS);
    private final java.sql.Driver driver;
    private final PgDocuments documents = new PgDocuments();
    private final PgAudit audit = new PgAudit();
    private volatile boolean closed;
    private volatile boolean tablesReady;

    private record Pooled(Connection connection, long since) {
    }

    private PostgresState(String url, Properties properties, String where, java.sql.Driver driver) {
        this.url = url;
        this.properties = properties;
        this.where = where;
        this.driver = driver;
    }

    /**
     * Prepares the connection; the first connection made creates the tables that are missing. Nothing is
     * connected yet, so a database that starts after the server is used once it answers.
     *
     * @param url {@code jdbc:postgresql://HOST[:PORT]/DB[?...]}, or {@code postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DB}
     * @param user the user, or {@code null}/blank for the URL's
     * @param password the password, or {@code null}/blank for the URL's (or none)
     * @return the state
     * @throws IOException if the JDBC driver is missing
     * @throws IllegalArgumentException if the URL is not a PostgreSQL URL
     */
    public static PostgresState open(String url, String user, String password) throws IOException {
        Properties p = new Properties();
        String jdbc = jdbcUrl(url, p);
        if (user != null && !user.isBlank()) {
            p.setProperty("user", user.strip());
        }
        if (password != null && !password.isEmpty()) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "proxmox-mcp");
        p.putIfAbsent("connectTimeout", "5");
        p.putIfAbsent("socketTimeout", "15");
        p.putIfAbsent("tcpKeepAlive", "true");
        java.sql.Driver driver;
        try {
            driver = new org.postgresql.Driver();
        } catch (LinkageError e) {
            throw new IOException("The PostgreSQL JDBC driver is not available to this server (lib/postgresql-*.jar)");
        }
        return new PostgresState(jdbc, p, redact(jdbc), driver);
    }

    /** @return the documents */
    @Override
    public Documents documents() {
        return documents;
    }

    /** @return the audit trail */
    @Override
    public AuditChain audit() {
        return audit;
    }

    /** @return the database, without credentials, e.g. {@code postgresql://db.example.com:5432/pvemcp} */
    @Override
    public String where() {
        return where;
    }

    /** @return {@code null} when the database answers within 2 seconds, otherwise why not (no credential) */
    @Override
    public String check() {
        try {
            return withConnection(c -> {
                try (Statement s = c.createStatement()) {
                    s.setQueryTimeout(2);
                    s.execute("SELECT 1");
                }
                return null;
            });
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    @Override
    public void close() {
        closed = true;
        Pooled p;
        while ((p = idle.poll()) != null) {
            closeQuietly(p.connection());
        }
    }

    // ---- connections

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    private <T> T withConnection(Work<T> work) throws IOException {
        if (closed) {
            throw new IOException("the state database connection is closed");
        }
        try {
            if (!permits.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new IOException("the state database at " + where + " is busy: no connection was free within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a state database connection");
        }
        Connection c = null;
        try {
            c = take();
            T result = work.run(c);
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
            if (closed || !idle.offer(new Pooled(c, System.nanoTime()))) {
                closeQuietly(c);
            }
            return result;
        } catch (SQLException e) {
            closeQuietly(c);
            throw failure(e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        } finally {
            permits.release();
        }
    }

    private Connection take() throws SQLException {
        Pooled p;
        while ((p = idle.poll()) != null) {
            // a connection idle for a while may have been cut (a database restart, a proxy's timeout)
            if (System.nanoTime() - p.since() < TimeUnit.SECONDS.toNanos(10) || p.connection().isValid(2)) {
                return p.connection();
            }
            closeQuietly(p.connection());
        }
        Connection c = driver.connect(url, properties);
        if (c == null) {
            throw new SQLException("not a PostgreSQL URL");
        }
        if (!tablesReady) {
            try {
                createTables(c);
            } catch (SQLException e) {
                closeQuietly(c);
                throw e;
            }
            tablesReady = true;
        }
        return c;
    }

    private IOException failure(SQLException e) {
        String state = e.getSQLState() == null ? "" : " (SQL state " + e.getSQLState() + ")";
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new IOException("The state database at " + where + " failed: " + message + state);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                // already broken
            }
        }
    }

    /** Runs work in one transaction that first takes the advisory lock {@code lock}. */
    private <T> T transaction(long lock, Work<T> work) throws IOException {
        return withConnection(c -> {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    s.setLong(1, lock);
                    s.execute();
                }
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | IOException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is closed as broken
                }
                throw e;
            } finally {
                if (!c.isClosed()) {
                    c.setAutoCommit(true);
                }
            }
        });
    }

    private static void createTables(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            // replicas that start together create the tables one after another
            s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
            s.execute("CREATE SEQUENCE IF NOT EXISTS pvemcp_version");
            s.execute("CREATE TABLE IF NOT EXISTS pvemcp_documents (name text PRIMARY KEY, body bytea NOT NULL, "
                    + "version bigint NOT NULL, updated timestamptz NOT NULL DEFAULT now())");
            s.execute("CREATE TABLE IF NOT EXISTS pvemcp_audit (seq bigint PRIMARY KEY, entry text NOT NULL, "
                    + "hash text NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS pvemcp_audit_head (one boolean PRIMARY KEY DEFAULT true "
                    + "CHECK (one), seq bigint NOT NULL, hash text NOT NULL)");
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    // ---- URLs

    static String jdbcUrl(String url, Properties p) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("Give the state database's URL, e.g. "
                    + "jdbc:postgresql://db.example.com:5432/pvemcp (MCP_STATE_DB_URL)");
        }
        String u = url.strip();
        if (u.startsWith("jdbc:postgresql:")) {
            return u;
        }
        if (u.startsWith("postgres://") || u.startsWith("postgresql://")) {
            URI uri;
            try {
                uri = URI.create(u);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("The state database URL is malformed; write it as "
                        + "postgresql://HOST:PORT/DATABASE or jdbc:postgresql://HOST:PORT/DATABASE");
            }
            if (uri.getRawUserInfo() != null) {
                String[] up = uri.getRawUserInfo().split(":", 2);
                p.setProperty("user", URLDecoder.decode(up[0], StandardCharsets.UTF_8));
                if (up.length > 1) {
                    p.setProperty("password", URLDecoder.decode(up[1], StandardCharsets.UTF_8));
                }
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("The state database URL names no host; write it as "
                        + "postgresql://HOST:PORT/DATABASE");
            }
            String host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
            return "jdbc:postgresql://" + host + (uri.getRawPath() == null ? "/" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }
        throw new IllegalArgumentException("The state database URL must start with jdbc:postgresql:// or "
                + "postgresql://, e.g. jdbc:postgresql://db.example.com:5432/pvemcp");
    }

    /** @return the JDBC URL without its parameters (which may hold a password), as postgresql://host:port/db */
    static String redact(String jdbc) {
        String rest = jdbc.substring("jdbc:".length());
        int q = rest.indexOf('?');
        return q < 0 ? rest : rest.substring(0, q);
    }

    // ---- documents

    private final class PgDocuments implements Documents {
        private final ThreadLocal<Connection> tx = new ThreadLocal<>();
        private final ThreadLocal<Map<String, Long>> written = new ThreadLocal<>();
        private final Object pollLock = new Object();
        private volatile Map<String, Long> versions = Map.of();
        private volatile long polled;

        @Override
        public Object version(String name) throws IOException {
            Connection c = tx.get();
            if (c != null) {
                try {
                    return versionIn(c, name);
                } catch (SQLException e) {
                    throw failure(e);
                }
            }
            synchronized (pollLock) {
                if (polled == 0 || System.nanoTime() - polled > TimeUnit.MILLISECONDS.toNanos(POLL_MS)) {
                    polled = 0;
                    versions = withConnection(PostgresState::versions);
                    polled = System.nanoTime();
                }
            }
            return versions.get(name);
        }

        @Override
        public byte[] read(String name) throws IOException {
            Connection c = tx.get();
            try {
                return c != null ? body(c, name) : withConnection(conn -> body(conn, name));
            } catch (SQLException e) {
                throw failure(e);
            }
        }

        @Override
        public <T> T locked(Callable<T> action) throws IOException {
            if (tx.get() != null) {
                return SecureFiles.call(action);
            }
            Map<String, Long> mine = new HashMap<>();
            T result = transaction(DOCUMENTS_LOCK, c -> {
                tx.set(c);
                written.set(mine);
                try {
                    return SecureFiles.call(action);
                } finally {
                    tx.remove();
                    written.remove();
                }
            });
            if (!mine.isEmpty()) {
                synchronized (pollLock) {
                    Map<String, Long> next = new HashMap<>(versions);
                    next.putAll(mine);
                    versions = Collections.unmodifiableMap(next);
                }
            }
            return result;
        }

        @Override
        public void write(String name, byte[] content) throws IOException {
            Connection c = tx.get();
            if (c == null) {
                throw new IllegalStateException("documents are written inside locked(...) only");
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO pvemcp_documents (name, body, version) VALUES "
                    + "(?, ?, nextval('pvemcp_version')) ON CONFLICT (name) DO UPDATE SET body = excluded.body, "
                    + "version = excluded.version, updated = now() RETURNING version")) {
                s.setString(1, name);
                s.setBytes(2, content);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    written.get().put(name, r.getLong(1));
                }
            } catch (SQLException e) {
                throw failure(e);
            }
        }

        @Override
        public String where() {
            return where;
        }
    }

    private static Map<String, Long> versions(Connection c) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT name, version FROM pvemcp_documents")) {
            while (r.next()) {
                out.put(r.getString(1), r.getLong(2));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static Long versionIn(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT version FROM pvemcp_documents WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : null;
            }
        }
    }

    private static byte[] body(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT body FROM pvemcp_documents WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getBytes(1) : null;
            }
        }
    }

    // ---- audit

    private final class PgAudit implements AuditChain {

        @Override
        public Map<String, Object> append(Map<String, Object> fields) throws IOException {
            return transaction(AUDIT_LOCK, c -> {
                long seq = 0;
                String prev = AuditTrail.GENESIS;
                try (Statement s = c.createStatement();
                        ResultSet r = s.executeQuery("SELECT seq, hash FROM pvemcp_audit ORDER BY seq DESC LIMIT 1")) {
                    if (r.next()) {
                        seq = r.getLong(1);
                        prev = r.getString(2);
                    }
                }
                AuditTrail.Line line = AuditTrail.line(seq + 1, prev, fields);
                String text = new String(line.bytes(), 0, line.bytes().length - 1, StandardCharsets.UTF_8);
                try (PreparedStatement s = c.prepareStatement("INSERT INTO pvemcp_audit (seq, entry, hash) VALUES (?, ?, ?)")) {
                    s.setLong(1, seq + 1);
                    s.setString(2, text);
                    s.setString(3, line.hash());
                    s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement("INSERT INTO pvemcp_audit_head (one, seq, hash) VALUES "
                        + "(true, ?, ?) ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash")) {
                    s.setLong(1, seq + 1);
                    s.setString(2, line.hash());
                    s.executeUpdate();
                }
                return line.entry();
            });
        }

        @Override
        public AuditTrail.Verification verify() throws IOException {
            return withConnection(c -> {
                c.setAutoCommit(false);
                // one snapshot of the table and its head, read with a cursor rather than all at once
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try {
                    JsonNode head = null;
                    try (Statement s = c.createStatement();
                            ResultSet r = s.executeQuery("SELECT seq, hash FROM pvemcp_audit_head")) {
                        if (r.next()) {
                            head = JSON.createObjectNode().put("seq", r.getLong(1)).put("hash", r.getString(2));
                        }
                    }
                    AuditTrail.Checker check = new AuditTrail.Checker();
                    try (Statement s = c.createStatement()) {
                        s.setFetchSize(1000);
                        try (ResultSet r = s.executeQuery("SELECT seq, entry FROM pvemcp_audit ORDER BY seq")) {
                            while (r.next()) {
                                String problem = check.next(r.getString(2), "row " + r.getLong(1) + " of pvemcp_audit");
                                if (problem != null) {
                                    return new AuditTrail.Verification(check.entries, 1, check.prevSeq, problem);
                                }
                            }
                        }
                    }
                    return new AuditTrail.Verification(check.entries, 1, check.prevSeq,
                            check.end(head, "pvemcp_audit_head"));
                } finally {
                    c.rollback();
                    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                    c.setAutoCommit(true);
                }
            });
        }

        @Override
        public List<Map<String, Object>> latest(int count) throws IOException {
            List<String> lines = withConnection(c -> {
                List<String> out = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("SELECT entry FROM pvemcp_audit ORDER BY seq DESC LIMIT ?")) {
                    s.setInt(1, Math.max(0, count));
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            out.add(0, r.getString(1));
                        }
                    }
                }
                return out;
            });
            return AuditTrail.entries(lines);
        }

        @Override
        public String where() {
            return where;
        }

        @Override
        public void close() {
            // the connections belong to the state
        }
    }
}
