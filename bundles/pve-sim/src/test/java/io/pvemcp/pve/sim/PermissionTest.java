package io.pvemcp.pve.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The demo cluster's limited user and token, and ACLs made through the API, checked as a node checks them. */
class PermissionTest extends SimTestSupport {

    static final Map<String, String> AUDITOR_TOKEN = SimClient.token("auditor@pve!monitoring",
            "5e2c1b8a-7f14-4d0e-9b3a-6c9f2e1d4a70");

    @Test
    void aReadOnlyTokenSeesEverythingAndChangesNothing() throws Exception {
        var resources = as(AUDITOR_TOKEN, "GET", "/cluster/resources", "type", "vm");
        assertThat((List<?>) resources.data()).hasSize(sim.guestCount());
        var start = as(AUDITOR_TOKEN, "POST", "/nodes/pve2/qemu/102/status/start");
        assertThat(start.status()).isEqualTo(403);
        assertThat(message(start)).isEqualTo("Permission check failed (/vms/102, VM.PowerMgmt)");
        var create = as(AUDITOR_TOKEN, "POST", "/nodes/pve1/qemu", "vmid", "170");
        assertThat(message(create)).isEqualTo("Permission check failed (/vms/170, VM.Allocate)");
        var password = as(AUDITOR_TOKEN, "PUT", "/access/password", "userid", "auditor@pve", "password", "x1");
        assertThat(password.status()).isEqualTo(403);
        assertThat(message(password)).isEqualTo("Permission check failed (URI '/access/password' not available with "
                + "API token, need proper ticket.)");
        var badParameter = as(AUDITOR_TOKEN, "POST", "/nodes/pve2/qemu/102/status/start", "timeout", "-5");
        assertThat(badParameter.status()).as("permissions are checked before parameters").isEqualTo(403);
    }

    @Test
    void anOperatorManagesTheDevPoolOnly() throws Exception {
        Map<String, String> ops = client.login("ops@pve", "demo-ops-password");
        assertThat(as(ops, "POST", "/nodes/pve2/qemu/102/status/start").status()).isEqualTo(200);
        var foreign = as(ops, "POST", "/nodes/pve1/qemu/100/status/stop");
        assertThat(message(foreign)).isEqualTo("Permission check failed (/vms/100, VM.PowerMgmt)");
        assertThat(as(ops, "POST", "/nodes/pve2/qemu", "vmid", "170", "pool", "dev", "scsi0", "nfs-shared:1")
                .status()).isEqualTo(200);
        var noStorage = as(ops, "POST", "/nodes/pve2/qemu", "vmid", "171", "pool", "dev", "scsi0", "local-lvm:1");
        assertThat(message(noStorage)).isEqualTo("Permission check failed (/storage/local-lvm, Datastore.AllocateSpace)");
        var skiplock = as(ops, "POST", "/nodes/pve2/qemu/103/status/start", "skiplock", "1");
        assertThat(skiplock.errors()).containsEntry("skiplock", "Only root may use this option.\n");
    }

    @Test
    void aTokenWithPrivilegeSeparationNeedsItsOwnAcl() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> made = (Map<String, Object>) ok("POST", "/access/users/ops@pve/token/narrow");
        assertThat(made).containsEntry("full-tokenid", "ops@pve!narrow");
        Map<String, String> narrow = SimClient.token("ops@pve!narrow", String.valueOf(made.get("value")));
        assertThat((List<?>) as(narrow, "GET", "/cluster/resources", "type", "vm").data()).isEmpty();
        ok("PUT", "/access/acl", "path", "/vms/102", "roles", "PVEVMUser", "tokens", "ops@pve!narrow");
        assertThat((List<?>) as(narrow, "GET", "/cluster/resources", "type", "vm").data()).hasSize(1);
        assertThat(as(narrow, "POST", "/nodes/pve2/qemu/102/status/start").status()).isEqualTo(200);
        ok("PUT", "/access/acl", "path", "/vms/102", "roles", "NoAccess", "tokens", "ops@pve!narrow");
        assertThat((List<?>) as(narrow, "GET", "/cluster/resources", "type", "vm").data()).isEmpty();
        ok("DELETE", "/access/users/ops@pve/token/narrow");
        var revoked = as(narrow, "GET", "/version");
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(message(revoked)).isEqualTo("no such token 'narrow' for user 'ops@pve'");
    }

    @Test
    void customRolesGrantExactlyTheirPrivileges() throws Exception {
        ok("POST", "/access/roles", "roleid", "PowerOnly", "privs", "VM.PowerMgmt,VM.Audit,VM.Config.Memory");
        ok("POST", "/access/users", "userid", "night@pve", "password", "night-shift");
        ok("PUT", "/access/acl", "path", "/vms", "roles", "PowerOnly", "users", "night@pve");
        Map<String, String> night = client.login("night@pve", "night-shift");
        assertThat(as(night, "POST", "/nodes/pve2/qemu/102/status/start").status()).isEqualTo(200);
        var config = as(night, "PUT", "/nodes/pve2/qemu/103/config", "cores", "4");
        assertThat(message(config)).isEqualTo("Permission check failed (/vms/103, VM.Config.CPU)");
        assertThat(as(night, "PUT", "/nodes/pve2/qemu/103/config", "memory", "4096").status()).isEqualTo(200);
        var delete = as(night, "DELETE", "/nodes/pve2/qemu/103");
        assertThat(message(delete)).isEqualTo("Permission check failed (/vms/103, VM.Allocate)");
        var builtin = call("PUT", "/access/roles/PVEAuditor", "privs", "VM.PowerMgmt");
        assertThat(message(builtin)).isEqualTo("auto-generated role 'PVEAuditor' cannot be modified");
        var unknownRole = call("PUT", "/access/acl", "path", "/", "roles", "Nope", "users", "night@pve");
        assertThat(message(unknownRole)).isEqualTo("role 'Nope' does not exist");
    }
}
