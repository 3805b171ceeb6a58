package io.pvemcp.security.internal;

import java.io.IOException;

import io.pvemcp.api.SecretValues;
import io.pvemcp.security.store.AuditChain;
import io.pvemcp.security.store.Documents;
import io.pvemcp.security.store.PostgresState;
import io.pvemcp.security.store.SharedState;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state database of replicas ({@code io.pvemcp.state}), when one is configured. It connects on first use, so
 * that a server that starts before its database serves once the database answers; until then readiness says why.
 */
@Component(service = SharedState.class, configurationPid = "io.pvemcp.state",
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = "pvemcp.state=postgresql")
@Designate(ocd = StateConfig.class)
public final class SharedStateComponent implements SharedState {

    private static final Logger LOG = LoggerFactory.getLogger(SharedStateComponent.class);

    private final PostgresState state;

    @Activate
    public SharedStateComponent(StateConfig config, @Reference(cardinality = ReferenceCardinality.OPTIONAL,
            policyOption = ReferencePolicyOption.GREEDY) SecretValues secrets) throws IOException {
        this.state = PostgresState.open(SecretValues.resolve(secrets, config.url()), config.user(),
                SecretValues.resolve(secrets, config.password()));
        String problem = state.check();
        if (problem == null) {
            LOG.info("Shared state in {}", state.where());
        } else {
            LOG.warn("Shared state in {}, not answering yet: {}", state.where(), problem);
        }
    }

    @Deactivate
    void deactivate() {
        state.close();
    }

    @Override
    public Documents documents() {
        return state.documents();
    }

    @Override
    public AuditChain audit() {
        return state.audit();
    }

    @Override
    public String check() {
        return state.check();
    }

    @Override
    public String where() {
        return state.where();
    }
}
