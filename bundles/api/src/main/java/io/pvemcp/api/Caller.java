package io.pvemcp.api;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling: the authenticated subject, the scopes it holds and what is known about its MCP client.
 * Created by the server for each request; immutable.
 */
public final class Caller {

    /** The caller when the server runs without authentication (loopback only): it holds every scope. */
    public static final Caller ANONYMOUS = builder().subject("anonymous").scopes(Set.copyOf(Scopes.ALL))
            .authenticated(false).build();

    private final String subject;
    private final Set<String> scopes;
    private final boolean authenticated;
    private final String clientName;
    private final String clientVersion;
    private final String sessionId;
    private final String remoteAddress;
    private final String transport;
    private final String tokenId;
    private final String tokenName;
    private final Limits limits;

    private Caller(Builder b) {
        this.subject = Objects.requireNonNull(b.subject, "subject");
        this.scopes = Set.copyOf(b.scopes);
        this.authenticated = b.authenticated;
        this.clientName = b.clientName;
        this.clientVersion = b.clientVersion;
        this.sessionId = b.sessionId;
        this.remoteAddress = b.remoteAddress;
        this.transport = b.transport;
        this.tokenId = b.tokenId;
        this.tokenName = b.tokenName;
        this.limits = b.limits == null ? Limits.NONE : b.limits;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this caller's values */
    public Builder toBuilder() {
        return new Builder().subject(subject).scopes(scopes).authenticated(authenticated).clientName(clientName)
                .clientVersion(clientVersion).sessionId(sessionId).remoteAddress(remoteAddress).transport(transport)
                .tokenId(tokenId).tokenName(tokenName).limits(limits);
    }

    /** @return the subject: the token's {@code sub} claim, or {@code anonymous} */
    public String subject() {
        return subject;
    }

    /** @return the scopes the caller holds */
    public Set<String> scopes() {
        return scopes;
    }

    /**
     * @param scope a scope from {@link Scopes}
     * @return {@code true} if the caller holds {@code scope} or {@link Scopes#ADMIN}
     */
    public boolean hasScope(String scope) {
        return scopes.contains(scope) || scopes.contains(Scopes.ADMIN);
    }

    /**
     * @param cluster the cluster a request goes to
     * @return this caller as it acts there: the scopes and limits of its grant for that cluster, when its credentials
     *         have one that narrows them (only scopes it holds anyway), otherwise itself
     * @since 2.4
     */
    public Caller inCluster(String cluster) {
        Limits.ClusterGrant g = limits.clusterGrants().get(cluster);
        if (g == null || g.isSame()) {
            return this;
        }
        Set<String> narrowed = scopes;
        if (!g.scopes().isEmpty()) {
            narrowed = new java.util.LinkedHashSet<>();
            for (String s : g.scopes()) {
                if (hasScope(s)) {
                    narrowed.add(s);
                }
            }
        }
        return toBuilder().scopes(narrowed).limits(limits.inCluster(cluster)).build();
    }

    /** @return {@code true} if the caller presented valid credentials */
    public boolean authenticated() {
        return authenticated;
    }

    /** @return the MCP client's name from {@code initialize}, or {@code null} */
    public String clientName() {
        return clientName;
    }

    /** @return the MCP client's version from {@code initialize}, or {@code null} */
    public String clientVersion() {
        return clientVersion;
    }

    /** @return the MCP session id, or {@code null} */
    public String sessionId() {
        return sessionId;
    }

    /** @return the client's network address, or {@code null} (stdio) */
    public String remoteAddress() {
        return remoteAddress;
    }

    /** @return the transport, e.g. {@code http} or {@code stdio}, or {@code null} */
    public String transport() {
        return transport;
    }

    /**
     * @return the id of the credentials used: a token's {@code jti} or an API key's id; {@code null} without
     *         authentication
     * @since 1.2
     */
    public String tokenId() {
        return tokenId;
    }

    /**
     * @return the name the operator gave the credentials when issuing them, or {@code null}
     * @since 1.2
     */
    public String tokenName() {
        return tokenName;
    }

    /**
     * @return what the credentials confine the caller to; {@link Limits#NONE} when nothing
     * @since 1.2
     */
    public Limits limits() {
        return limits;
    }

    @Override
    public String toString() {
        return "Caller[" + subject + (clientName == null ? "" : " via " + clientName)
                + (remoteAddress == null ? "" : " from " + remoteAddress) + "]";
    }

    /** Builds a {@link Caller}. */
    public static final class Builder {
        private String subject;
        private Set<String> scopes = Set.of();
        private boolean authenticated;
        private String clientName;
        private String clientVersion;
        private String sessionId;
        private String remoteAddress;
        private String transport;
        private String tokenId;
        private String tokenName;
        private Limits limits;

        private Builder() {
        }

        /** @param subject the subject @return this */
        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        /** @param scopes the scopes held @return this */
        public Builder scopes(Set<String> scopes) {
            this.scopes = Objects.requireNonNull(scopes, "scopes");
            return this;
        }

        /** @param authenticated whether credentials were presented @return this */
        public Builder authenticated(boolean authenticated) {
            this.authenticated = authenticated;
            return this;
        }

        /** @param clientName the client name @return this */
        public Builder clientName(String clientName) {
            this.clientName = clientName;
            return this;
        }

        /** @param clientVersion the client version @return this */
        public Builder clientVersion(String clientVersion) {
            this.clientVersion = clientVersion;
            return this;
        }

        /** @param sessionId the session id @return this */
        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId;
            return this;
        }

        /** @param remoteAddress the network address @return this */
        public Builder remoteAddress(String remoteAddress) {
            this.remoteAddress = remoteAddress;
            return this;
        }

        /** @param transport the transport name @return this */
        public Builder transport(String transport) {
            this.transport = transport;
            return this;
        }

        /** @param tokenId the credentials' id @return this */
        public Builder tokenId(String tokenId) {
            this.tokenId = tokenId;
            return this;
        }

        /** @param tokenName the credentials' name @return this */
        public Builder tokenName(String tokenName) {
            this.tokenName = tokenName;
            return this;
        }

        /** @param limits the limits, or {@code null} for none @return this */
        public Builder limits(Limits limits) {
            this.limits = limits;
            return this;
        }

        /** @return the caller */
        public Caller build() {
            return new Caller(this);
        }
    }
}
