package io.pvemcp.tools.api.internal;

import io.pvemcp.pve.contract.ApiContract;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * The Proxmox VE API contract for this bundle's tools, read at its first use rather than at start: it is a
 * megabyte of JSON that most sessions never need.
 */
@Component(service = ContractSource.class, configurationPolicy = ConfigurationPolicy.IGNORE)
public final class ContractSource {

    private volatile ApiContract contract;

    /** @return the contract, read now if this is its first use */
    public ApiContract get() {
        ApiContract c = contract;
        if (c == null) {
            synchronized (this) {
                c = contract;
                if (c == null) {
                    contract = c = ApiContract.load();
                }
            }
        }
        return c;
    }
}
