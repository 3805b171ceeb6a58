package io.pvemcp.tools.network.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Risk;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.testing.SimulatedCluster;
import io.pvemcp.testing.ToolCalls;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NetworkToolsTest {

    SimulatedCluster cluster;
    ToolCalls tools;

    @BeforeEach
    void start() {
        cluster = SimulatedCluster.start();
        tools = new ToolCalls(cluster.client());
    }

    @AfterEach
    void stop() {
        assertThat(cluster.simulator().contractViolations()).isEmpty();
        cluster.close();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> iface(ToolResult list, String name) {
        return ((List<Map<String, Object>>) list.structuredContent().get("interfaces")).stream()
                .filter(i -> name.equals(i.get("iface"))).findFirst().orElse(null);
    }

    @Test
    void listsBridgesBondsVlansAndNicsWithNothingPending() throws Exception {
        ToolResult list = tools.call(new NetworkListTool(), Map.of("node", "pve1"));
        assertThat(list.structuredContent()).containsEntry("pending", false).doesNotContainKey("changes");
        assertThat(iface(list, "vmbr0")).containsEntry("type", "bridge").containsEntry("bridge_ports", "bond0")
                .containsEntry("vlan_aware", true).containsEntry("active", true).containsKey("cidr");
        assertThat(iface(list, "bond0")).containsEntry("slaves", "eno1 eno2").containsEntry("bond_mode", "802.3ad");
        assertThat(iface(list, "vmbr0.100")).containsEntry("type", "vlan").containsEntry("vlan_id", 100);
        assertThat(list.text()).contains("- bond0 bond, slaves eno1 eno2 (802.3ad)").endsWith("No changes pending.");
        ToolResult bridges = tools.call(new NetworkListTool(), Map.of("node", "pve1", "type", "bridge"));
        assertThat(bridges.text()).contains("- vmbr0", "- vmbr1 bridge (isolated lab network)").doesNotContain("- bond0");
        assertThat(tools.refusal(ToolException.class, new NetworkListTool(), Map.of("node", "pve9")).getMessage())
                .contains("there is no node pve9; the nodes are pve1, pve2, pve3");
    }

    @Test
    void aBridgeIsStagedShownAsADiffAppliedWithConfirmationAndAChangeReverted() throws Exception {
        Preview stage = tools.preview(new NetworkSetTool(), Map.of("node", "pve2", "iface", "vmbr2", "type", "bridge",
                "cidr", "192.168.50.2/24", "vlan_aware", true, "comment", "lab"));
        assertThat(stage.summary()).isEqualTo("Stage on pve2: create bridge vmbr2 with cidr 192.168.50.2/24, "
                + "VLAN-aware, comment lab. The node's network does not change until proxmox_network_apply.");
        ToolResult staged = tools.call(new NetworkSetTool(), Map.of("node", "pve2", "iface", "vmbr2", "type", "bridge",
                "cidr", "192.168.50.2/24", "vlan_aware", true, "comment", "lab"));
        assertThat(staged.structuredContent()).containsEntry("created", true).containsEntry("pending", true);
        ToolResult pending = tools.call(new NetworkListTool(), Map.of("node", "pve2"));
        assertThat(pending.structuredContent()).containsEntry("pending", true);
        assertThat((String) pending.structuredContent().get("changes")).contains("+auto vmbr2",
                "+iface vmbr2 inet static", "+\taddress 192.168.50.2/24");
        assertThat(iface(pending, "vmbr2")).containsEntry("active", false);

        assertThat(new NetworkApplyTool().risk(new Arguments(Map.of("node", "pve2")))).isEqualTo(Risk.DESTROY);
        assertThat(new NetworkApplyTool().risk(new Arguments(Map.of("node", "pve2", "revert", true))))
                .isEqualTo(Risk.CHANGE);
        Preview apply = tools.preview(new NetworkApplyTool(), Map.of("node", "pve2"));
        assertThat(apply.summary()).startsWith("Apply the pending network changes of node pve2")
                .contains("A wrong configuration cuts pve2 off the network").contains("+iface vmbr2 inet static");
        assertThat(apply.interrupts()).isTrue();
        ToolResult applied = tools.call(new NetworkApplyTool(), Map.of("node", "pve2"));
        assertThat(applied.structuredContent()).containsEntry("applied", true);
        ToolResult after = tools.call(new NetworkListTool(), Map.of("node", "pve2"));
        assertThat(after.structuredContent()).containsEntry("pending", false);
        assertThat(iface(after, "vmbr2")).containsEntry("active", true).containsEntry("comment", "lab");

        tools.call(new NetworkSetTool(), Map.of("node", "pve2", "iface", "vmbr2", "cidr", "", "mtu", 9000));
        assertThat((String) tools.call(new NetworkListTool(), Map.of("node", "pve2")).structuredContent()
                .get("changes")).contains("-\taddress 192.168.50.2/24", "+\tmtu 9000");
        ToolResult reverted = tools.call(new NetworkApplyTool(), Map.of("node", "pve2", "revert", true));
        assertThat(reverted.structuredContent()).containsEntry("reverted", true);
        assertThat(iface(tools.call(new NetworkListTool(), Map.of("node", "pve2")), "vmbr2"))
                .containsEntry("cidr", "192.168.50.2/24").doesNotContainKey("mtu");
        assertThat(tools.call(new NetworkApplyTool(), Map.of("node", "pve2")).text())
                .isEqualTo("Nothing: node pve2 has no pending network changes.");

        tools.call(new NetworkDeleteTool(), Map.of("node", "pve2", "iface", "vmbr2"));
        tools.call(new NetworkApplyTool(), Map.of("node", "pve2"));
        assertThat(iface(tools.call(new NetworkListTool(), Map.of("node", "pve2")), "vmbr2")).isNull();
    }

    @Test
    void deletionsThatWouldCutGuestsOrOtherInterfacesOffAreRefused() throws Exception {
        assertThat(tools.refusal(ToolException.class, new NetworkDeleteTool(), Map.of("node", "pve1", "iface",
                "vmbr0")).getMessage()).contains("guests on pve1 use bridge vmbr0: VM 100 (web01) net0");
        assertThat(tools.refusal(ToolException.class, new NetworkDeleteTool(), Map.of("node", "pve1", "iface",
                "bond0")).getMessage()).contains("bond0 on pve1 is used by vmbr0 (bridge ports)");
        assertThat(tools.refusal(ToolException.class, new NetworkDeleteTool(), Map.of("node", "pve1", "iface",
                "eno1")).getMessage()).contains("eno1 is a physical NIC");
        assertThat(tools.refusal(ToolException.class, new NetworkSetTool(), Map.of("node", "pve1", "iface",
                "bond1", "type", "bond")).getMessage()).contains("a bond needs its slaves");
        assertThat(tools.refusal(ToolException.class, new NetworkSetTool(), Map.of("node", "pve1", "iface",
                "vmbr0", "type", "bond")).getMessage()).contains("vmbr0 on pve1 is a bridge; its type cannot change");
        assertThat(tools.refusal(ProxmoxException.class, new NetworkSetTool(), Map.of("node", "pve1", "iface",
                "bond1", "type", "bond", "ports", List.of("eno1"))).getMessage())
                .contains("eno1 is already used on interface 'bond0'");
        assertThat(tools.call(new NetworkSetTool(), Map.of("node", "pve1", "iface", "vmbr1", "comment",
                "isolated lab network")).text()).startsWith("Nothing: vmbr1 on pve1 is like that already.");
    }

    @Test
    void sdnZonesWithTheirVnets() throws Exception {
        ToolResult sdn = tools.call(new SdnListTool(), Map.of());
        assertThat(sdn.text()).contains("- zone lab (vlan on vmbr0): labnet tag 200 (lab machines)");
        assertThat((List<?>) sdn.structuredContent().get("zones")).hasSize(2);
    }
}
