package io.pvemcp.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pvemcp.api.Caller;
import io.pvemcp.api.Limits;

import org.junit.jupiter.api.Test;

/** Tokens bound to clusters: the claim both ways, and what a caller may do in each cluster. */
class ClusterGrantsTest {

    @Test
    void aListOfNamesStaysAListAndGrantsAreAnObject() {
        Limits names = LimitsFormat.parse(null, null, null).withClusters(Set.of("lab"));
        assertThat(LimitsFormat.toClaim(names)).isEqualTo(Map.of("clusters", List.of("lab")));
        assertThat(LimitsFormat.fromClaim(LimitsFormat.toClaim(names))).isEqualTo(names);

        Limits grants = Limits.NONE.withClusterGrants(Map.of("prod", LimitsFormat.grant("proxmox:read", "pve1",
                "100-199", null)));
        Map<String, Object> claim = LimitsFormat.toClaim(grants);
        assertThat(claim).isEqualTo(Map.of("clusters", Map.of("prod", Map.of("scopes", List.of("proxmox:read"),
                "nodes", List.of("pve1"), "vmids", List.of("100-199")))));
        assertThat(LimitsFormat.fromClaim(claim)).isEqualTo(grants);
        assertThat(grants.describe()).isEqualTo("clusters prod (scopes proxmox:read, nodes pve1, VMIDs 100-199)");
    }

    @Test
    void aClaimWithSomethingThatIsNoScopeOrNameIsRefused() {
        assertThatThrownBy(() -> LimitsFormat.fromClaim(Map.of("clusters", Map.of("prod", Map.of("scopes",
                List.of("proxmox:everything")))))).hasMessageContaining("'proxmox:everything' is not a scope");
        assertThatThrownBy(() -> LimitsFormat.fromClaim(Map.of("clusters", Map.of("no way", Map.of()))))
                .hasMessageContaining("not a valid cluster name");
    }

    @Test
    void inAClusterTheGrantNarrowsScopesAndReplacesLimitsButNeverWidens() {
        Limits limits = LimitsFormat.parse("pve2", null, null).withClusterGrants(Map.of(
                "lab", Limits.ClusterGrant.SAME,
                "prod", LimitsFormat.grant("proxmox:read proxmox:destroy", "pve1", null, null)));
        Caller caller = Caller.builder().subject("ops").scopes(Set.of("proxmox:read", "proxmox:power"))
                .limits(limits).build();

        assertThat(caller.inCluster("lab")).isSameAs(caller);
        Caller prod = caller.inCluster("prod");
        assertThat(prod.scopes()).as("destroy is not the token's, so the grant cannot give it")
                .containsExactly("proxmox:read");
        assertThat(prod.limits().nodes()).containsExactly("pve1");
        assertThat(prod.limits().allowsCluster("lab")).isTrue();
        assertThat(prod.subject()).isEqualTo("ops");

        Caller admin = Caller.builder().subject("root").scopes(Set.of("proxmox:admin")).limits(limits).build();
        assertThat(admin.inCluster("prod").scopes()).as("admin holds every scope a grant names")
                .containsExactlyInAnyOrder("proxmox:read", "proxmox:destroy");
        assertThat(caller.limits().allowsCluster("default")).isFalse();
    }
}
