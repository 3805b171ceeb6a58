package io.pvemcp.tools.pool.internal;

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

class PoolToolsTest {

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

    Map<String, Object> pool(String id) throws Exception {
        ToolResult r = tools.call(new PoolListTool(), Map.of("poolid", id));
        return map(((List<?>) r.structuredContent().get("pools")).get(0));
    }

    @Test
    void listsPoolsWithTheirMembers() throws Exception {
        ToolResult all = tools.call(new PoolListTool(), Map.of());
        assertThat((List<?>) all.structuredContent().get("pools")).extracting(p -> map(p).get("poolid"))
                .containsExactly("dev", "production");
        Map<String, Object> dev = pool("dev");
        assertThat(dev).containsEntry("comment", "Development and CI").containsEntry("storage", List.of("nfs-shared"));
        assertThat((List<?>) dev.get("guests")).extracting(g -> map(g).get("vmid")).containsExactlyInAnyOrder(102L,
                103L, 202L, 204L);
        assertThat(all.text()).contains("- dev (Development and CI): 4 guests: 102 build01");
        assertThat(tools.refusal(ToolException.class, new PoolListTool(), Map.of("poolid", "nope")).getMessage())
                .contains("there is no pool nope; the pools are dev, production");
    }

    @Test
    void createsFillsEmptiesAndDeletesAPool() throws Exception {
        Preview create = tools.preview(new PoolCreateTool(), Map.of("poolid", "staging", "comment", "Pre-production"));
        assertThat(create.summary()).isEqualTo("Create the empty pool staging.");
        assertThat(tools.call(new PoolCreateTool(), Map.of("poolid", "staging", "comment", "Pre-production"))
                .structuredContent()).containsEntry("created", true);
        assertThat(tools.call(new PoolCreateTool(), Map.of("poolid", "staging")).structuredContent())
                .as("again: nothing to do").containsEntry("created", false);
        assertThat(tools.refusal(ToolException.class, new PoolCreateTool(), Map.of("poolid", "lab/team1"))
                .getMessage()).contains("the parent pool lab does not exist");

        Map<String, Object> add = Map.of("poolid", "staging", "add", List.of(104, 201), "add_storage",
                List.of("local-lvm"));
        assertThat(tools.refusal(ToolException.class, new PoolMembersTool(), Map.of("poolid", "staging", "add",
                List.of(102))).getMessage()).contains("guest 102 is in pool dev", "move_from_other_pool");
        Preview plan = tools.preview(new PoolMembersTool(), add);
        assertThat(plan.summary()).isEqualTo("Add 104 (monitoring), 201 (proxy01), storage local-lvm to pool staging.");
        assertThat(plan.requests()).singleElement().satisfies(r -> assertThat(r.params())
                .containsEntry("vms", "104,201").containsEntry("storage", "local-lvm"));
        ToolResult added = tools.call(new PoolMembersTool(), add);
        assertThat(added.structuredContent()).containsEntry("guests", List.of(104L, 201L))
                .containsEntry("storage", List.of("local-lvm"));

        ToolResult moved = tools.call(new PoolMembersTool(), Map.of("poolid", "staging", "add", List.of(102),
                "move_from_other_pool", true, "remove", List.of(201)));
        assertThat(moved.text()).startsWith("Added 102 (build01) to pool staging (moving 102 from dev); removed 201 "
                + "(proxy01) from pool staging.");
        assertThat((List<?>) pool("dev").get("guests")).extracting(g -> map(g).get("vmid")).doesNotContain(102L);

        assertThat(tools.refusal(ToolException.class, new PoolDeleteTool(), Map.of("poolid", "staging")).getMessage())
                .contains("Pool staging is not empty", "proxmox_pool_members");
        tools.call(new PoolMembersTool(), Map.of("poolid", "staging", "remove", List.of(102, 104), "remove_storage",
                List.of("local-lvm")));
        Preview delete = tools.preview(new PoolDeleteTool(), Map.of("poolid", "staging"));
        assertThat(delete.summary()).isEqualTo("Delete the empty pool staging (Pre-production).");
        assertThat(delete.targets()).singleElement().satisfies(t -> assertThat(t.pool()).isEqualTo("staging"));
        assertThat(delete.undoable()).isFalse();
        assertThat(tools.call(new PoolDeleteTool(), Map.of("poolid", "staging")).structuredContent())
                .containsEntry("deleted", true);
        assertThat((List<?>) tools.call(new PoolListTool(), Map.of()).structuredContent().get("pools"))
                .extracting(p -> map(p).get("poolid")).containsExactly("dev", "production");
    }
}
