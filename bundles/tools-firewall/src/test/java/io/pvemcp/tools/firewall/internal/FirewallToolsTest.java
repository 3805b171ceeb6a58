package io.pvemcp.tools.firewall.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.pvemcp.api.Preview;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.testing.SimulatedCluster;
import io.pvemcp.testing.ToolCalls;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FirewallToolsTest {

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
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    List<?> rules(Map<String, Object> where) throws Exception {
        return (List<?>) tools.call(new FirewallRulesTool(), where).structuredContent().get("rules");
    }

    @Test
    void listsTheRulesOfTheClusterAndOfAGuestAsProxmoxAppliesThem() throws Exception {
        ToolResult cluster = tools.call(new FirewallRulesTool(), Map.of());
        assertThat(cluster.structuredContent()).containsEntry("firewall", "the cluster firewall");
        assertThat(map(cluster.structuredContent().get("options"))).containsEntry("policy_in", "DROP");
        assertThat(cluster.text()).startsWith("The cluster firewall is off, policy in DROP, out ACCEPT; 2 rules:")
                .contains("1: IN ACCEPT tcp dport 8006 from 10.0.0.0/24 (web UI and API)");
        ToolResult vm = tools.call(new FirewallRulesTool(), Map.of("vmid", 100));
        assertThat(vm.text()).startsWith("The firewall of VM 100 (web01) is on").contains("0: IN ACCEPT HTTP from any");
    }

    @Test
    void port443IsOpenedInTheFirewallOfVm100AndTheRuleDeletedAgain() throws Exception {
        Map<String, Object> open = Map.of("vmid", 100, "type", "in", "action", "ACCEPT", "proto", "tcp", "dport",
                "443", "comment", "https from the assistant");
        Preview plan = tools.preview(new FirewallRuleAddTool(), open);
        assertThat(plan.summary()).isEqualTo("Add to the firewall of VM 100 (web01) at position 0: IN ACCEPT tcp "
                + "dport 443 from any.");
        assertThat(plan.targets()).singleElement().satisfies(t -> assertThat(t.vmid()).isEqualTo(100L));
        ToolResult added = tools.call(new FirewallRuleAddTool(), open);
        assertThat(added.structuredContent()).containsEntry("pos", 0).containsEntry("applies",
                "IN ACCEPT tcp dport 443 from any");
        assertThat(rules(Map.of("vmid", 100))).hasSize(3).first().satisfies(r -> assertThat(map(r))
                .containsEntry("dport", "443").containsEntry("comment", "https from the assistant"));

        Preview delete = tools.preview(new FirewallRuleDeleteTool(), Map.of("vmid", 100, "pos", 0));
        assertThat(delete.summary()).isEqualTo("Delete rule 0 of the firewall of VM 100 (web01): IN ACCEPT tcp dport "
                + "443 from any (https from the assistant).");
        assertThat(delete.undoable()).isFalse();
        tools.call(new FirewallRuleDeleteTool(), Map.of("vmid", 100, "pos", 0));
        assertThat(rules(Map.of("vmid", 100))).hasSize(2);
        assertThat(tools.refusal(ToolException.class, new FirewallRuleDeleteTool(), Map.of("vmid", 100, "pos", 7))
                .getMessage()).contains("has rules 0 to 1");
    }

    @Test
    void aRuleThatWouldLockTheManagementInterfaceOutIsRefused() throws Exception {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("type", "in", "action", "DROP"),
                Map.of("node", "pve1", "type", "in", "action", "REJECT", "proto", "tcp", "dport", "8000:9000"),
                Map.of("type", "in", "action", "DROP", "macro", "SSH"))) {
            ToolException e = tools.refusal(ToolException.class, new FirewallRuleAddTool(), bad);
            assertThat(e.getMessage()).as("%s", bad).contains("would drop TCP port", "locked out", "Nothing was "
                    + "changed");
        }
        assertThat(rules(Map.of())).hasSize(2);
        ToolResult narrow = tools.call(new FirewallRuleAddTool(), Map.of("type", "in", "action", "DROP", "proto",
                "tcp", "dport", "8006", "source", "192.0.2.0/24", "pos", 5));
        assertThat(narrow.structuredContent()).as("a source narrower than anywhere, at the end").containsEntry("pos", 2);
        assertThat(narrow.text()).contains("That firewall is off");
        assertThat(tools.call(new FirewallRuleAddTool(), Map.of("vmid", 100, "type", "in", "action", "DROP"))
                .structuredContent()).as("a guest's firewall guards the guest, not the management interface")
                .containsEntry("pos", 0);
        assertThat(tools.refusal(ToolException.class, new FirewallRuleAddTool(), Map.of("type", "in", "action",
                "ACCEPT", "iface", "net0")).getMessage()).contains("a guest's firewall only");
        assertThat(tools.refusal(ToolException.class, new FirewallRuleAddTool(), Map.of("vmid", 100, "type", "in",
                "action", "ACCEPT", "dport", "80")).getMessage()).contains("dport needs a protocol");
    }

    @Test
    void switchingAHostFirewallOnIsConfirmedAndSaysWhatStillReachesManagement() throws Exception {
        FirewallOptionsTool options = new FirewallOptionsTool();
        assertThat(options.risk(new io.pvemcp.api.Arguments(Map.of("enable", true)))).isEqualTo(
                io.pvemcp.api.Risk.DESTROY);
        assertThat(options.risk(new io.pvemcp.api.Arguments(Map.of("node", "pve1", "enable", true)))).isEqualTo(
                io.pvemcp.api.Risk.DESTROY);
        assertThat(options.risk(new io.pvemcp.api.Arguments(Map.of("vmid", 100, "policy_in", "DROP")))).isEqualTo(
                io.pvemcp.api.Risk.CHANGE);
        assertThat(options.risk(new io.pvemcp.api.Arguments(Map.of("policy_out", "DROP")))).isEqualTo(
                io.pvemcp.api.Risk.CHANGE);

        Preview on = tools.preview(options, Map.of("enable", true));
        assertThat(on.summary()).startsWith("Set enable 0 → 1 on the cluster firewall.").contains(
                "reached only from the cluster's local network", "loses its connection");
        assertThat(tools.preview(options, Map.of("policy_in", "DROP")).summary()).as("already DROP")
                .startsWith("Nothing:");

        ToolResult guest = tools.call(options, Map.of("vmid", 100, "policy_in", "DROP"));
        assertThat(map(guest.structuredContent().get("options"))).containsEntry("policy_in", "DROP");
        assertThat(guest.text()).startsWith("The firewall of VM 100 (web01) is now on, policy in DROP");
        assertThat(tools.refusal(ToolException.class, options, Map.of("node", "pve1", "policy_in", "DROP"))
                .getMessage()).contains("has no policies of its own");
        assertThat(tools.refusal(ToolException.class, options, Map.of("vmid", 100)).getMessage())
                .contains("name what to set");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aliasesIpSetsAndSecurityGroupsAreListedMadeAndUsed() throws Exception {
        ToolResult objects = tools.call(new FirewallObjectsTool(), Map.of());
        assertThat((List<Map<String, Object>>) objects.structuredContent().get("aliases")).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("name", "mgmt").containsEntry("cidr", "10.0.0.0/24"));
        assertThat(objects.text()).contains("- admins: 10.0.0.50, 10.0.0.51",
                "- webserver: IN ACCEPT HTTP from any; IN ACCEPT HTTPS from any");

        assertThat(new FirewallObjectSetTool().risk(new io.pvemcp.api.Arguments(Map.of("kind", "ipset", "name", "x",
                "remove", List.of("1.2.3.4"))))).isEqualTo(io.pvemcp.api.Risk.DESTROY);
        Preview blocklist = tools.preview(new FirewallObjectSetTool(), Map.of("kind", "ipset", "name", "blocklist",
                "vmid", 100, "add", List.of("203.0.113.0/24", "!203.0.113.7")));
        assertThat(blocklist.summary()).isEqualTo("Create IP set blocklist in the firewall of VM 100 (web01); add "
                + "203.0.113.0/24, !203.0.113.7.");
        tools.call(new FirewallObjectSetTool(), Map.of("kind", "ipset", "name", "blocklist", "vmid", 100, "add",
                List.of("203.0.113.0/24", "!203.0.113.7")));
        tools.call(new FirewallObjectSetTool(), Map.of("kind", "alias", "name", "lb", "vmid", 100, "cidr",
                "10.0.0.20", "comment", "load balancer"));
        ToolResult guest = tools.call(new FirewallObjectsTool(), Map.of("vmid", 100));
        assertThat(guest.text()).contains("- lb = 10.0.0.20 (load balancer)", "- blocklist: 203.0.113.0/24, !203.0.113.7");
        assertThat(guest.structuredContent()).doesNotContainKey("groups");

        ToolResult dropped = tools.call(new FirewallRuleAddTool(), Map.of("vmid", 100, "type", "in", "action", "DROP",
                "source", "+blocklist", "comment", "blocked"));
        assertThat(dropped.structuredContent()).containsEntry("applies", "IN DROP from +blocklist");
        ToolResult grouped = tools.call(new FirewallRuleAddTool(), Map.of("vmid", 100, "type", "group", "action",
                "webserver", "pos", 1));
        assertThat(grouped.structuredContent()).containsEntry("applies", "GROUP webserver");
        assertThat(tools.refusal(ToolException.class, new FirewallRuleAddTool(), Map.of("vmid", 100, "type", "group",
                "action", "dbserver")).getMessage()).contains("there is no group dbserver; the groups are webserver");
        assertThat(tools.refusal(ToolException.class, new FirewallRuleAddTool(), Map.of("vmid", 100, "type", "in",
                "action", "webserver")).getMessage()).contains("action is ACCEPT, DROP or REJECT");

        tools.call(new FirewallRuleAddTool(), Map.of("group", "webserver", "type", "in", "action", "ACCEPT", "proto",
                "tcp", "dport", "8443", "pos", 2));
        assertThat(tools.call(new FirewallRulesTool(), Map.of("group", "webserver")).text())
                .startsWith("Security group webserver (used by rules of type group); 3 rules:")
                .contains("2: IN ACCEPT tcp dport 8443 from any");
        assertThat(tools.refusal(ToolException.class, new FirewallObjectSetTool(), Map.of("kind", "group", "name",
                "webserver", "delete", true)).getMessage()).contains("still has 3 rules");

        Preview remove = tools.preview(new FirewallObjectSetTool(), Map.of("kind", "ipset", "name", "admins",
                "remove", List.of("10.0.0.51")));
        assertThat(remove.summary()).isEqualTo("Remove 10.0.0.51 from IP set admins (rules using +admins no longer "
                + "match them).");
        tools.call(new FirewallObjectSetTool(), Map.of("kind", "ipset", "name", "blocklist", "vmid", 100, "delete",
                true));
        assertThat(tools.call(new FirewallObjectsTool(), Map.of("vmid", 100)).text()).doesNotContain("blocklist:");
        tools.call(new FirewallObjectSetTool(), Map.of("kind", "group", "name", "webserver", "comment", "web tier"));
        assertThat((List<Map<String, Object>>) tools.call(new FirewallObjectsTool(), Map.of()).structuredContent()
                .get("groups")).singleElement().satisfies(g -> assertThat(g).containsEntry("comment", "web tier"));
    }

    @Test
    void rulesAreChangedAndMovedAndTakingManagementAccessAwayIsConfirmedOrRefused() throws Exception {
        tools.call(new FirewallRuleAddTool(), Map.of("vmid", 100, "type", "in", "action", "ACCEPT", "proto", "tcp",
                "dport", "8080", "comment", "alt http"));
        Preview change = tools.preview(new FirewallRuleUpdateTool(), Map.of("vmid", 100, "pos", 0, "dport", "8081",
                "moveto", 3));
        assertThat(change.summary()).isEqualTo("Change rule 0 of the firewall of VM 100 (web01): IN ACCEPT tcp dport "
                + "8080 from any → IN ACCEPT tcp dport 8081 from any; then move rule 0 of the firewall of VM 100 (web01) "
                + "to position 3 (Proxmox evaluates rules in order).");
        ToolResult moved = tools.call(new FirewallRuleUpdateTool(), Map.of("vmid", 100, "pos", 0, "dport", "8081",
                "moveto", 3));
        assertThat(moved.structuredContent()).containsEntry("pos", 2).containsEntry("applies",
                "IN ACCEPT tcp dport 8081 from any");
        assertThat(rules(Map.of("vmid", 100))).extracting(r -> map(r).get("comment")).containsExactly(null, null,
                "alt http");

        assertThat(new FirewallRuleUpdateTool().risk(new io.pvemcp.api.Arguments(Map.of("pos", 1, "enable", false))))
                .as("a host firewall's rule switched off").isEqualTo(io.pvemcp.api.Risk.DESTROY);
        assertThat(new FirewallRuleUpdateTool().risk(new io.pvemcp.api.Arguments(Map.of("pos", 1, "comment", "x"))))
                .isEqualTo(io.pvemcp.api.Risk.CHANGE);
        assertThat(new FirewallRuleUpdateTool().risk(new io.pvemcp.api.Arguments(Map.of("vmid", 100, "pos", 1,
                "enable", false)))).isEqualTo(io.pvemcp.api.Risk.CHANGE);
        Preview off = tools.preview(new FirewallRuleUpdateTool(), Map.of("pos", 1, "enable", false));
        assertThat(off.summary()).contains("This rule lets 10.0.0.0/24 reach TCP 8006");
        assertThat(tools.preview(new FirewallRuleDeleteTool(), Map.of("pos", 0)).summary())
                .contains("This rule lets 10.0.0.0/24 reach TCP 22");

        tools.call(new FirewallRuleAddTool(), Map.of("type", "in", "action", "DROP", "proto", "tcp", "dport", "8006",
                "source", "192.0.2.0/24", "comment", "blocked net"));
        assertThat(tools.refusal(ToolException.class, new FirewallRuleUpdateTool(), Map.of("pos", 0, "unset",
                List.of("source"))).getMessage()).contains("would drop TCP port").contains("Nothing was changed");
        assertThat(tools.call(new FirewallRuleUpdateTool(), Map.of("pos", 0, "comment", "blocked net")).text())
                .startsWith("Nothing: rule 0 of the cluster firewall is like that already.");
    }
}
