package io.pvemcp.security.store;

/**
 * State that several server processes share, so that replicas behind one Service act as one: the documents (token
 * records and revocations, signing keys, switches, held approvals) and the audit trail. Registered as a service when
 * a state database is configured ({@code io.pvemcp.state}); without one, each process keeps its state in its own
 * files. {@link PostgresState} is the implementation.
 *
 * @since 1.3
 */
public interface SharedState {

    /** @return the shared documents */
    Documents documents();

    /** @return the shared audit trail */
    AuditChain audit();

    /** @return {@code null} when the store answers, otherwise why not (no credential) */
    String check();

    /** @return where the state is, without credentials */
    String where();
}
