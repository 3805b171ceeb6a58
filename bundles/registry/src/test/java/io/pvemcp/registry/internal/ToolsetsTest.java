package io.pvemcp.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pvemcp.api.Caller;
import io.pvemcp.api.Limits;
import io.pvemcp.security.LimitsFormat;

import org.junit.jupiter.api.Test;

class ToolsetsTest {

    static Caller caller(String session, Set<String> toolsets) {
        return Caller.builder().subject("t").scopes(Set.of("proxmox:read")).sessionId(session)
                .limits(Limits.NONE.withToolsets(toolsets)).build();
    }

    @Test
    void serverTokenAndSessionEachNarrowWhatIsSeen() {
        Toolsets offered = new Toolsets(Set.of("vm", "snapshot"), false);
        assertThat(offered.visible(caller("s", Set.of()), "vm")).isTrue();
        assertThat(offered.visible(caller("s", Set.of()), "backup")).isFalse();
        assertThat(offered.refusal(caller("s", Set.of()), "proxmox_backup_list", "backup"))
                .contains("not offered by this server", "toolsets snapshot, vm.");
        assertThat(offered.visible(caller("s", Set.of("snapshot")), "vm")).isFalse();
        assertThat(offered.refusal(caller("s", Set.of("snapshot")), "proxmox_vm_list", "vm"))
                .contains("outside what your token allows (toolsets snapshot)");
        assertThat(offered.visible(caller("s", Set.of("snapshot")), Toolsets.REGISTRY)).isTrue();

        Toolsets dynamic = new Toolsets(Set.of(), true);
        assertThat(dynamic.visible(caller("s1", Set.of()), "vm")).isFalse();
        assertThat(dynamic.visible(caller(null, Set.of()), "vm")).as("REST has no session").isTrue();
        assertThat(dynamic.enable("s1", Set.of("vm"), true)).isTrue();
        assertThat(dynamic.enable("s1", Set.of("vm"), true)).isFalse();
        assertThat(dynamic.visible(caller("s1", Set.of()), "vm")).isTrue();
        assertThat(dynamic.visible(caller("s2", Set.of()), "vm")).as("another session").isFalse();
        assertThat(dynamic.refusal(caller("s2", Set.of()), "proxmox_vm_list", "vm")).contains("proxmox_toolset_enable");
        assertThat(dynamic.enable("s1", Set.of("vm"), false)).isTrue();
        assertThat(dynamic.enabled("s1")).isEmpty();
        dynamic.enable("s1", Set.of("ct"), true);
        dynamic.forget("s1");
        assertThat(dynamic.enabled("s1")).isEmpty();
    }

    @Test
    void aTokensToolsetsTravelInItsClaim() {
        Limits l = Limits.NONE.withToolsets(LimitsFormat.toolsets("vm, Snapshot"));
        Map<String, Object> claim = LimitsFormat.toClaim(l);
        assertThat(claim).containsEntry("toolsets", List.of("vm", "snapshot"));
        assertThat(LimitsFormat.fromClaim(claim)).isEqualTo(l);
        assertThat(l.describe()).isEqualTo("toolsets vm,snapshot");
        assertThat(l.withConfirm(Set.of()).toolsets()).containsExactly("vm", "snapshot");
        assertThat(Limits.NONE.withToolsets(Set.of())).isSameAs(Limits.NONE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LimitsFormat.toolsets("vm tools"))
                .hasMessageContaining("'vm tools' is not a toolset name");
    }
}
