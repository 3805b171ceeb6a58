package io.pvemcp.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pvemcp.api.Caller;
import io.pvemcp.api.Limits;
import io.pvemcp.api.Scopes;
import io.pvemcp.registry.ToolRegistry;
import io.pvemcp.security.store.Documents;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Held calls shared by two registries through one store of documents, as replicas share them through the state
 * database (a folder stands in for it here; ReplicasIT runs the database): held by one, seen, decided and finished
 * by the other, the outcome picked up once by the first.
 */
class ApprovalsTest {

    final Caller alice = Caller.builder().subject("alice").scopes(Set.of(Scopes.READ, Scopes.POWER)).tokenId("jti-1")
            .tokenName("alice-laptop").clientName("claude").sessionId("s1").transport("rest")
            .limits(Limits.of(Set.of("pve1"), List.of(), Set.of(), Set.of())).authenticated(true).build();

    @Test
    void aCallHeldByOneIsDecidedByTheOtherAndItsOutcomePickedUpOnce(@TempDir Path dir) {
        Approvals a = new Approvals(Documents.folder(dir));
        Approvals b = new Approvals(Documents.folder(dir));
        Map.Entry<Approvals.Held, Boolean> held = a.hold("proxmox_vm_stop", "power", "Stop VM 100", Map.of("vmid", 100),
                alice, Duration.ofMinutes(15));
        assertThat(held.getValue()).as("new").isTrue();
        String id = held.getKey().id();
        assertThat(a.hold("proxmox_vm_stop", "power", "Stop VM 100", Map.of("vmid", 100), alice,
                Duration.ofMinutes(15)).getKey().id()).as("the same call again is the same held call").isEqualTo(id);

        List<ToolRegistry.Approval> seen = b.list();
        assertThat(seen).extracting(ToolRegistry.Approval::id).containsExactly(id);
        assertThat(seen.get(0).state()).isEqualTo("pending");
        Approvals.Held there = b.get(id);
        assertThat(there.caller().subject()).isEqualTo("alice");
        assertThat(there.caller().scopes()).containsExactlyInAnyOrder(Scopes.READ, Scopes.POWER);
        assertThat(there.caller().tokenId()).isEqualTo("jti-1");
        assertThat(there.caller().limits().allowsNode("pve1")).isTrue();
        assertThat(there.caller().limits().allowsNode("pve2")).as("the caller's limits go with it").isFalse();
        assertThat(there.arguments()).containsEntry("vmid", 100);

        assertThat(a.pickUp(id)).as("nothing to pick up while pending").isNull();
        assertThat(b.decide(id, true, "ops").state()).isEqualTo("approved");
        assertThatThrownBy(() -> a.decide(id, false, "someone else")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no longer pending");
        b.finish(id, true, "VM 100 stopped", Map.of("vmid", 100, "status", "stopped"));

        ToolRegistry.Approval done = a.get(id).view();
        assertThat(done.state()).isEqualTo("done");
        assertThat(done.decidedBy()).isEqualTo("ops");
        assertThat(done.result()).isEqualTo("VM 100 stopped");
        assertThat(done.structuredContent()).containsEntry("status", "stopped");
        assertThat(a.pickUp(id)).as("the caller's repeated call picks the outcome up").isNotNull();
        assertThat(b.pickUp(id)).as("once").isNull();
        assertThat(a.hold("proxmox_vm_stop", "power", "Stop VM 100", Map.of("vmid", 100), alice,
                Duration.ofMinutes(15)).getValue()).as("after that, the same call is held anew").isTrue();
    }

    @Test
    void inMemoryTheyBehaveAlikeAndAnExpiredCallCannotBeApproved() throws Exception {
        Approvals memory = new Approvals(null);
        String id = memory.hold("proxmox_vm_delete", "destroy", "Delete VM 100", Map.of("vmid", 100), alice,
                Duration.ofMillis(1)).getKey().id();
        Thread.sleep(20);
        assertThat(memory.get(id).state()).isEqualTo("expired");
        assertThatThrownBy(() -> memory.decide(id, true, "ops")).hasMessageContaining("expired");
        assertThatThrownBy(() -> memory.decide("ap-none", true, "ops")).hasMessageContaining("There is no approval");
    }
}
