package io.pvemcp.tools.ha.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Risk;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.testing.SimulatedCluster;
import io.pvemcp.testing.ToolCalls;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HaToolsTest {

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

    Map<String, Object> resource(String sid) throws Exception {
        ToolResult status = tools.call(new HaStatusTool(), Map.of());
        return ((List<?>) status.structuredContent().get("resources")).stream().map(HaToolsTest::map)
                .filter(r -> sid.equals(r.get("sid"))).findFirst().orElse(null);
    }

    @Test
    void theStatusShowsQuorumMasterNodesAndEveryHaGuest() throws Exception {
        ToolResult r = tools.call(new HaStatusTool(), Map.of());
        Map<String, Object> out = r.structuredContent();
        assertThat(out).containsEntry("quorate", true).containsKey("master");
        assertThat((List<?>) out.get("nodes")).hasSize(3);
        assertThat(resource("vm:101")).containsEntry("vmid", 101L).containsEntry("name", "db01")
                .containsEntry("requested", "started").containsEntry("state", "started")
                .containsEntry("group", "prefer-pve1").containsEntry("node", "pve1");
        assertThat((List<?>) out.get("groups")).singleElement().satisfies(g -> assertThat(map(g))
                .containsEntry("group", "prefer-pve1").containsEntry("nodes", "pve1:2,pve2:1"));
        assertThat(r.text()).startsWith("HA: quorate, master ").contains("- vm:101 (db01): started on pve1");
    }

    @Test
    void aGuestIsPutUnderHaChangedAndTakenOut() throws Exception {
        assertThat(new HaSetTool().risk(new Arguments(Map.of("vmid", 104, "group", "prefer-pve1"))))
                .as("a guest put under HA is started").isEqualTo(Risk.POWER);
        assertThat(new HaSetTool().risk(new Arguments(Map.of("vmid", 104, "state", "ignored")))).isEqualTo(Risk.CHANGE);
        assertThat(new HaSetTool().risk(new Arguments(Map.of("vmid", 104, "state", "stopped")))).isEqualTo(Risk.POWER);

        Preview add = tools.preview(new HaSetTool(), Map.of("vmid", 104, "group", "prefer-pve1", "max_restart", 2));
        assertThat(add.summary()).isEqualTo("Put VM 104 (monitoring) under HA with group prefer-pve1, max_restart 2.");
        assertThat(add.requests()).singleElement().satisfies(q -> {
            assertThat(q.method()).isEqualTo("POST");
            assertThat(q.params()).containsEntry("sid", "vm:104");
        });
        ToolResult added = tools.call(new HaSetTool(), Map.of("vmid", 104, "group", "prefer-pve1", "max_restart", 2));
        assertThat(added.structuredContent()).containsEntry("sid", "vm:104").containsEntry("added", true)
                .containsEntry("requested", "started");
        assertThat(resource("vm:104")).containsEntry("group", "prefer-pve1");

        Preview same = tools.preview(new HaSetTool(), Map.of("vmid", 104, "group", "prefer-pve1"));
        assertThat(same.requests()).isEmpty();
        assertThat(same.summary()).startsWith("Nothing:");

        Preview stop = tools.preview(new HaSetTool(), Map.of("vmid", 104, "state", "stopped"));
        assertThat(stop.summary()).isEqualTo("Set state started → stopped for VM 104 (monitoring) under HA. HA will "
                + "shut it down.");
        tools.call(new HaSetTool(), Map.of("vmid", 104, "state", "stopped"));
        assertThat(resource("vm:104")).containsEntry("requested", "stopped");

        assertThat(tools.refusal(Exception.class, new HaSetTool(), Map.of("vmid", 104, "group", "nosuch"))
                .getMessage()).contains("nosuch");
        assertThat(tools.refusal(ToolException.class, new HaSetTool(), Map.of("vmid", 9000)).getMessage())
                .contains("is a template");

        Preview out = tools.preview(new HaRemoveTool(), Map.of("vmid", 104));
        assertThat(out.summary()).startsWith("Take vm:104 (monitoring) out of HA; it stays running on ");
        assertThat(tools.call(new HaRemoveTool(), Map.of("vmid", 104)).structuredContent()).containsEntry("removed",
                true);
        assertThat(resource("vm:104")).isNull();
        assertThat(tools.call(new HaRemoveTool(), Map.of("vmid", 104)).structuredContent()).containsEntry("removed",
                false);
    }

    @Test
    @SuppressWarnings("unchecked")
    void rulesKeepGuestsOnNodesOrApartAndAreListedInTheStatus() throws Exception {
        ToolResult status = tools.call(new HaStatusTool(), Map.of());
        assertThat((List<Map<String, Object>>) status.structuredContent().get("rules")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("rule", "app-on-pve2").containsEntry("type", "node-affinity")
                        .containsEntry("nodes", "pve2:2,pve3:1").containsEntry("strict", false));
        assertThat(status.text()).contains("- rule app-on-pve2 (node-affinity): vm:108 on pve2:2,pve3:1");

        assertThat(new HaRuleSetTool().risk(new Arguments(Map.of("rule", "x")))).isEqualTo(Risk.POWER);
        assertThat(new HaRuleSetTool().risk(new Arguments(Map.of("rule", "x", "delete", true)))).isEqualTo(Risk.CHANGE);
        assertThat(tools.refusal(ToolException.class, new HaRuleSetTool(), Map.of("rule", "apart", "type",
                "resource-affinity", "vmids", List.of(101, 104), "affinity", "negative")).getMessage())
                .contains("VM 104 (monitoring) is not under HA; put it under HA with proxmox_ha_set first");
        Preview apart = tools.preview(new HaRuleSetTool(), Map.of("rule", "apart", "type", "resource-affinity",
                "vmids", List.of(101, 108), "affinity", "negative"));
        assertThat(apart.summary()).isEqualTo("Create resource-affinity rule apart: guests vm:101, vm:108, kept apart. "
                + "The HA manager may move guests to satisfy it.");
        tools.call(new HaRuleSetTool(), Map.of("rule", "apart", "type", "resource-affinity", "vmids", List.of(101, 108),
                "affinity", "negative"));
        assertThat(tools.call(new HaRuleSetTool(), Map.of("rule", "apart", "affinity", "negative")).text())
                .isEqualTo("Nothing: HA rule apart is like that already.");
        tools.call(new HaRuleSetTool(), Map.of("rule", "app-on-pve2", "strict", true));
        List<Map<String, Object>> rules = (List<Map<String, Object>>) tools.call(new HaStatusTool(), Map.of())
                .structuredContent().get("rules");
        assertThat(rules).extracting(r -> r.get("rule") + " " + r.get("strict"))
                .containsExactly("app-on-pve2 true", "apart null");
        assertThat(tools.call(new HaRuleSetTool(), Map.of("rule", "apart", "delete", true)).structuredContent())
                .containsEntry("exists", false);
        assertThat((List<?>) tools.call(new HaStatusTool(), Map.of()).structuredContent().get("rules")).hasSize(1);
    }
}
