package io.pvemcp.tools.access.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Risk;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.testing.SimulatedCluster;
import io.pvemcp.testing.ToolCalls;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccessToolsTest {

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
    static List<Map<String, Object>> items(ToolResult r) {
        return (List<Map<String, Object>>) r.structuredContent().get("items");
    }

    @Test
    void listsUsersGroupsRolesAclAndTokensWithoutSecrets() throws Exception {
        ToolResult users = tools.call(new AccessListTool(), Map.of("kind", "users"));
        assertThat(items(users)).anySatisfy(u -> assertThat(u).containsEntry("userid", "ops@pve")
                .containsEntry("name", "Olivia Ops").containsEntry("groups", List.of("operators"))
                .containsEntry("enabled", true).containsEntry("expire", "never"));
        assertThat(users.text()).contains("- auditor@pve (Alex Audit), groups [], tokens [monitoring]");
        assertThat(items(tools.call(new AccessListTool(), Map.of("kind", "groups")))).singleElement()
                .satisfies(g -> assertThat(g).containsEntry("groupid", "operators")
                        .containsEntry("members", List.of("ops@pve")));
        assertThat(items(tools.call(new AccessListTool(), Map.of("kind", "roles"))))
                .anySatisfy(r -> assertThat(r).containsEntry("roleid", "PVEAuditor").containsEntry("builtin", true));
        ToolResult acl = tools.call(new AccessListTool(), Map.of("kind", "acl", "userid", "ops@pve"));
        assertThat(items(acl)).extracting(a -> a.get("path") + " " + a.get("role") + " " + a.get("group"))
                .containsExactlyInAnyOrder("/ PVEAuditor operators", "/pool/dev PVEVMAdmin operators",
                        "/storage/nfs-shared PVEDatastoreUser operators");
        ToolResult tokens = tools.call(new AccessListTool(), Map.of("kind", "tokens", "userid", "auditor@pve"));
        assertThat(items(tokens)).singleElement().satisfies(t -> assertThat(t)
                .containsEntry("tokenid", "auditor@pve!monitoring").containsEntry("privsep", true)
                .doesNotContainKeys("value", "secret"));
        assertThat(tokens.text()).doesNotContain("5e2c1b8a");
    }

    /** "Create a read-only user for my colleague with an API token": the token reads and is refused a start. */
    @Test
    @SuppressWarnings("unchecked")
    void aReadOnlyColleagueWithATokenReadsAndIsRefusedAStart() throws Exception {
        ToolResult user = tools.call(new UserSetTool(), Map.of("userid", "anna@pve", "password", "colleague-pw-1",
                "firstname", "Anna", "email", "anna@example.com", "comment", "colleague"));
        assertThat(user.structuredContent()).containsEntry("created", true);
        assertThat(user.text()).startsWith("Created user anna@pve with firstname Anna, email anna@example.com, "
                + "comment colleague, a password.").doesNotContain("colleague-pw-1")
                .contains("It has no rights yet");
        Preview grant = tools.preview(new AclSetTool(), Map.of("path", "/", "role", "PVEAuditor", "user", "anna@pve"));
        assertThat(grant.summary()).isEqualTo("Grant PVEAuditor on / for user anna@pve (and below).");
        ToolResult granted = tools.call(new AclSetTool(), Map.of("path", "/", "role", "PVEAuditor", "user",
                "anna@pve"));
        assertThat(granted.structuredContent()).containsEntry("granted", true);
        assertThat((List<Object>) granted.structuredContent().get("effective")).contains("VM.Audit", "Sys.Audit")
                .doesNotContain("VM.PowerMgmt");
        ToolResult token = tools.call(new TokenSetTool(), Map.of("userid", "anna@pve", "token", "ro", "privsep",
                false, "comment", "read-only"));
        String secret = (String) token.structuredContent().get("secret");
        assertThat(secret).matches("[0-9a-f-]{36}");
        assertThat(token.structuredContent()).containsEntry("tokenid", "anna@pve!ro").containsEntry("privsep", false);
        assertThat(token.text()).contains("shown this once").contains(secret).contains("has the rights of anna@pve");
        assertThat(tools.call(new TokenSetTool(), Map.of("userid", "anna@pve", "token", "ro")).structuredContent())
                .as("asking again changes nothing and shows no secret").containsEntry("created", false)
                .doesNotContainKey("secret");

        ProxmoxClient anna = cluster.client("anna@pve!ro", secret);
        assertThat(anna.get("/cluster/resources", Map.of("type", "vm")).join()).asList().isNotEmpty();
        assertThatThrownBy(() -> anna.post("/nodes/{node}/qemu/{vmid}/status/start", Map.of("node", "pve1",
                "vmid", 102)).join()).cause().isInstanceOfSatisfying(ProxmoxException.class,
                        e -> assertThat(e.status()).isEqualTo(403)).hasMessageContaining("VM.PowerMgmt");

        ToolResult can = tools.call(new PermissionsTool(), Map.of("authid", "anna@pve!ro", "path", "/vms/102",
                "privilege", "VM.PowerMgmt"));
        assertThat(can.structuredContent()).containsEntry("allowed", false);
        assertThat(can.text()).startsWith("anna@pve!ro does NOT have VM.PowerMgmt on /vms/102.");
    }

    @Test
    void groupsRolesAndTheirMembersChangeAndTheQuestionSaysWhatGoesWithADeletion() throws Exception {
        tools.call(new UserSetTool(), Map.of("userid", "ben@pve", "comment", "ci"));
        ToolResult group = tools.call(new GroupSetTool(), Map.of("groupid", "builders", "comment", "CI", "add",
                List.of("ben@pve", "ops@pve")));
        assertThat(group.structuredContent()).containsEntry("created", true)
                .containsEntry("members", List.of("ops@pve", "ben@pve"));
        assertThat(items(tools.call(new AccessListTool(), Map.of("kind", "users", "userid", "ops@pve"))))
                .singleElement().satisfies(u -> assertThat(u).containsEntry("groups", List.of("operators", "builders")));

        assertThat(tools.refusal(ToolException.class, new RoleSetTool(), Map.of("roleid", "Builder", "privs",
                List.of("VM.PowerMgmt", "VM.Fly"))).getMessage()).contains("Proxmox has no privilege VM.Fly");
        assertThat(tools.refusal(ToolException.class, new RoleSetTool(), Map.of("roleid", "PVEAuditor", "privs",
                List.of("VM.Audit"))).getMessage()).contains("PVEAuditor is a built-in role");
        tools.call(new RoleSetTool(), Map.of("roleid", "Builder", "privs", List.of("VM.PowerMgmt", "VM.Audit")));
        tools.call(new AclSetTool(), Map.of("path", "/pool/dev", "role", "Builder", "group", "builders"));
        ToolResult perms = tools.call(new PermissionsTool(), Map.of("authid", "ben@pve", "path", "/pool/dev"));
        assertThat(map(perms.structuredContent().get("paths"))).containsEntry("/pool/dev",
                List.of("VM.Audit", "VM.PowerMgmt"));

        Preview change = tools.preview(new RoleSetTool(), Map.of("roleid", "Builder", "privs",
                List.of("VM.Audit", "VM.Console")));
        assertThat(change.summary()).isEqualTo("Change role Builder: add VM.Console; remove VM.PowerMgmt (from "
                + "everyone holding the role).");

        Preview remove = tools.preview(new GroupSetTool(), Map.of("groupid", "builders", "remove", List.of("ops@pve")));
        assertThat(remove.requests()).singleElement().satisfies(r -> assertThat(r.params())
                .containsEntry("groups", "operators"));
        tools.call(new GroupSetTool(), Map.of("groupid", "builders", "remove", List.of("ben@pve")));
        assertThat(items(tools.call(new AccessListTool(), Map.of("kind", "users", "userid", "ben@pve"))))
                .singleElement().satisfies(u -> assertThat(u).containsEntry("groups", List.of()));

        Preview delete = tools.preview(new AccessDeleteTool(), Map.of("kind", "role", "id", "Builder"));
        assertThat(delete.summary()).isEqualTo("Delete role Builder; its ACL entries go with it: Builder on "
                + "/pool/dev for @builders.");
        ToolResult deleted = tools.call(new AccessDeleteTool(), Map.of("kind", "role", "id", "Builder"));
        assertThat(deleted.structuredContent()).containsEntry("acl_entries_removed", 1);
        assertThat(tools.call(new AccessDeleteTool(), Map.of("kind", "group", "id", "builders")).text())
                .startsWith("Deleted group builders (members ops@pve)");
        assertThat(tools.call(new AccessDeleteTool(), Map.of("kind", "user", "id", "ben@pve")).text())
                .isEqualTo("Deleted user ben@pve; no ACL entry names it.");
    }

    @Test
    void nothingTakesAwayThisServersOwnAccessOrTheSuperuser() throws Exception {
        assertThat(tools.refusal(ToolException.class, new AccessDeleteTool(), Map.of("kind", "token", "id",
                "root@pam!tools")).getMessage()).contains("the account this server uses to reach Proxmox");
        assertThat(tools.refusal(ToolException.class, new AccessDeleteTool(), Map.of("kind", "user", "id",
                "root@pam")).getMessage()).contains("built-in superuser");
        assertThat(tools.refusal(ToolException.class, new UserSetTool(), Map.of("userid", "root@pam", "enable",
                false)).getMessage()).contains("root@pam!tools");
        assertThat(tools.refusal(ToolException.class, new AccessDeleteTool(), Map.of("kind", "role", "id",
                "PVEAdmin")).getMessage()).contains("built-in role");
        assertThat(tools.refusal(ToolException.class, new AclSetTool(), Map.of("path", "/", "role", "PVEAuditor",
                "user", "ops@pve", "group", "operators")).getMessage()).contains("exactly one of user, group or token");
        assertThat(tools.refusal(ToolException.class, new AclSetTool(), Map.of("path", "/", "role", "ReadOnly",
                "user", "ops@pve")).getMessage()).contains("there is no role ReadOnly; the roles are");
        assertThat(tools.refusal(ToolException.class, new UserSetTool(), Map.of("userid", "anna@pve", "groups",
                List.of("nobody"))).getMessage()).contains("there is no group nobody; the groups are operators");
        assertThat(tools.refusal(ToolException.class, new UserSetTool(), Map.of("userid", "ops@pve", "password",
                "another-pw-1")).getMessage()).contains("for a new user only");
    }

    @Test
    void revokingOrDisablingIsADestroyClassCallAndSaysWhatItTakes() throws Exception {
        assertThat(new AclSetTool().risk(new Arguments(Map.of("revoke", true)))).isEqualTo(Risk.DESTROY);
        assertThat(new AclSetTool().risk(new Arguments(Map.of()))).isEqualTo(Risk.CHANGE);
        assertThat(new UserSetTool().risk(new Arguments(Map.of("enable", false)))).isEqualTo(Risk.DESTROY);
        Preview revoke = tools.preview(new AclSetTool(), Map.of("path", "/", "role", "PVEAuditor", "token",
                "auditor@pve!monitoring", "revoke", true));
        assertThat(revoke.summary()).isEqualTo("Revoke PVEAuditor on / for token auditor@pve!monitoring.");
        ToolResult revoked = tools.call(new AclSetTool(), Map.of("path", "/", "role", "PVEAuditor", "token",
                "auditor@pve!monitoring", "revoke", true));
        assertThat(revoked.structuredContent()).containsEntry("granted", false).containsEntry("effective", List.of());
        assertThat(tools.call(new AclSetTool(), Map.of("path", "/", "role", "PVEAuditor", "token",
                "auditor@pve!monitoring", "revoke", true)).text()).startsWith("Nothing:");
        Preview disable = tools.preview(new UserSetTool(), Map.of("userid", "ops@pve", "enable", false,
                "expire", "2099-01-31"));
        assertThat(disable.summary()).isEqualTo("Change user ops@pve: disabled (it can no longer log in or use its "
                + "tokens), expiring 2099-01-31.");
        assertThat(tools.refusal(ToolException.class, new UserSetTool(), Map.of("userid", "ops@pve", "expire",
                "2001-01-01")).getMessage()).contains("is in the past");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}
