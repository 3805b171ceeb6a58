package io.pvemcp.pve.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ApiContractTest {

    static final ApiContract CONTRACT = ApiContract.load();

    @Test
    void loadsTheWholeContract() {
        assertThat(CONTRACT.version()).isEqualTo("9.1");
        assertThat(CONTRACT.methods()).hasSize(646);
    }

    @Test
    void matchesConcretePathsToTemplatesAndDecodesParameters() {
        var m = CONTRACT.find("POST", "/nodes/pve1/qemu/100/status/start").orElseThrow();
        assertThat(m.method().path()).isEqualTo("/nodes/{node}/qemu/{vmid}/status/start");
        assertThat(m.method().name()).isEqualTo("vm_start");
        assertThat(m.pathParameters()).containsEntry("node", "pve1").containsEntry("vmid", "100");

        var upid = CONTRACT.find("GET", "/nodes/pve1/tasks/UPID%3Apve1%3A0000ABCD%3A00000001%3A67000000%3Aqmstart%3A100%3Aroot%40pam%3A/status")
                .orElseThrow();
        assertThat(upid.pathParameters().get("upid")).isEqualTo("UPID:pve1:0000ABCD:00000001:67000000:qmstart:100:root@pam:");
    }

    @Test
    void literalSegmentsWinOverVariables() {
        assertThat(CONTRACT.find("GET", "/nodes/pve1/qemu").orElseThrow().method().path()).isEqualTo("/nodes/{node}/qemu");
        assertThat(CONTRACT.find("GET", "/cluster/resources").orElseThrow().method().path()).isEqualTo("/cluster/resources");
    }

    @Test
    void unknownPathsAndMethodsAreNotFound() {
        assertThat(CONTRACT.find("GET", "/nodes/pve1/nonsense")).isEmpty();
        assertThat(CONTRACT.find("PATCH", "/version")).isEmpty();
        assertThat(CONTRACT.find("DELETE", "/version")).isEmpty();
    }

    @Test
    void reportsMissingUnknownAndMistypedParametersInProxmoxWording() {
        ApiMethod start = CONTRACT.method("POST", "/nodes/{node}/qemu/{vmid}/status/start").orElseThrow();
        assertThat(start.check(Map.of("node", "pve1", "vmid", "100"))).isEmpty();
        assertThat(start.check(Map.of("vmid", "100")))
                .containsEntry("node", "property is missing and it is not optional");
        assertThat(start.check(Map.of("node", "pve1", "vmid", "99")))
                .containsEntry("vmid", "value must have a minimum value of 100");
        assertThat(start.check(Map.of("node", "pve1", "vmid", "abc")))
                .containsEntry("vmid", "type check ('integer') failed - got 'abc'");
        assertThat(start.check(Map.of("node", "pve1", "vmid", "100", "speed", "fast")))
                .containsEntry("speed", "property is not defined in schema and the schema does not allow additional properties");
        assertThat(start.check(Map.of("node", "pve1", "vmid", "100", "migration_type", "fast")))
                .containsEntry("migration_type", "value 'fast' does not have a value in the enumeration 'secure, insecure'");
        assertThat(start.check(Map.of("node", "pve1", "vmid", "100", "skiplock", "maybe")))
                .containsEntry("skiplock", "type check ('boolean') failed - got 'maybe'");
        assertThat(start.check(Map.of("node", "pve1", "vmid", "100", "skiplock", "yes"))).isEmpty();
        assertThat(start.check(Map.of("node", "bad_node!", "vmid", "100")))
                .containsEntry("node", "invalid format - value does not look like a valid node name");
    }

    @Test
    void acceptsIndexedParametersAndChecksPropertyStrings() {
        ApiMethod create = CONTRACT.method("POST", "/nodes/{node}/qemu").orElseThrow();
        Map<String, Object> base = Map.of("node", "pve1", "vmid", "120");
        assertThat(create.check(with(base, "net0", "virtio,bridge=vmbr0"))).isEmpty();
        assertThat(create.check(with(base, "net3", "virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,tag=5"))).isEmpty();
        assertThat(create.check(with(base, "net0", "virtio,bridge=vmbr0,tag=9999")))
                .containsEntry("net0", "invalid format - tag: value must have a maximum value of 4094");
        assertThat(create.check(with(base, "net0", "virtio,colour=blue")))
                .containsEntry("net0", "invalid format - unknown key 'colour'");
        assertThat(create.check(with(base, "scsi0", "local-lvm:32,iothread=1"))).isEmpty();
        assertThat(create.check(with(base, "netX", "virtio")))
                .containsKey("netX");
    }

    @Test
    void translatesPerlPatterns() {
        ApiMethod permissions = CONTRACT.method("GET", "/access/permissions").orElseThrow();
        assertThat(permissions.check(Map.of("userid", "alice@pve"))).isEmpty();
        assertThat(permissions.check(Map.of("userid", "root@pam!mcp"))).isEmpty();
        assertThat(permissions.check(Map.of("userid", "no-realm")))
                .containsEntry("userid", "value does not match the regex pattern");
    }

    @Test
    void checksRepeatedParametersAsArrays() {
        ApiMethod method = CONTRACT.method("POST", "/cluster/bulk-action/guest/migrate").orElseThrow();
        Map<String, String> errors = method.check(Map.of("target", "pve2", "vms", List.of("100", "abc")));
        assertThat(errors).containsEntry("vms", "type check ('integer') failed - got 'abc'");
    }

    @Test
    void checksReturnedDataAgainstTheSchema() {
        ApiMethod version = CONTRACT.method("GET", "/version").orElseThrow();
        assertThat(version.checkReturn(Map.of("version", "9.1.1", "release", "9.1", "repoid", "42e1c9a5"))).isEmpty();
        assertThat(version.checkReturn(Map.of("version", "9.1.1"))).contains("data.release: is missing");
        assertThat(version.checkReturn(Map.of("version", 9, "release", "9.1", "repoid", "42e1c9a5")))
                .anyMatch(p -> p.startsWith("data.version: expected a string"));
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        var m = new java.util.LinkedHashMap<>(base);
        m.put(key, value);
        return m;
    }
}
