package io.pvemcp.pve.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Requests checked against the contract as a node checks them, with a node's messages. */
class ParameterVerificationTest extends SimTestSupport {

    @Test
    void missingRequiredParameter() throws Exception {
        var a = call("POST", "/nodes/pve1/qemu/100/snapshot");
        assertThat(a.status()).isEqualTo(400);
        assertThat(message(a)).isEqualTo("Parameter verification failed.");
        assertThat(a.errors()).containsEntry("snapname", "property is missing and it is not optional\n");
    }

    @Test
    void wrongType() throws Exception {
        var a = call("POST", "/nodes/pve1/qemu/100/status/shutdown", "timeout", "soon");
        assertThat(a.errors()).containsEntry("timeout", "type check ('integer') failed - got 'soon'\n");
        var b = call("POST", "/nodes/pve1/qemu/100/status/shutdown", "forceStop", "maybe");
        assertThat(b.errors()).containsEntry("forceStop", "type check ('boolean') failed - got 'maybe'\n");
    }

    @Test
    void enumerationPatternAndRange() throws Exception {
        var a = call("POST", "/nodes/pve1/qemu", "vmid", "150", "ostype", "dos");
        assertThat(String.valueOf(a.errors().get("ostype"))).startsWith("value 'dos' does not have a value in the enumeration 'other, wxp");
        var b = call("POST", "/nodes/pve1/qemu", "vmid", "42");
        assertThat(b.errors()).containsEntry("vmid", "value must have a minimum value of 100\n");
        var c = call("POST", "/nodes/pve1/qemu", "vmid", "150", "cores", "0");
        assertThat(c.errors()).containsEntry("cores", "value must have a minimum value of 1\n");
        var d = call("POST", "/nodes/pve1/qemu/100/snapshot", "snapname", "9lives");
        assertThat(d.errors()).containsEntry("snapname", "invalid format - invalid configuration ID '9lives'\n");
        var e = call("POST", "/nodes/pve1/qemu", "vmid", "150", "net0", "virtio,bridge=vmbr0,colour=red");
        assertThat(e.errors()).containsEntry("net0", "invalid format - unknown key 'colour'\n");
        var f = call("POST", "/cluster/firewall/rules", "type", "in", "action", "ACCEPT", "proto", "tcp", "dport", "70000");
        assertThat(f.errors()).containsEntry("dport", "invalid format - invalid port '70000'\n");
        var g = call("POST", "/cluster/firewall/rules", "type", "in", "action", "ACCEPT", "proto", "carrier-pigeon");
        assertThat(g.errors()).containsEntry("proto", "invalid format - unknown protocol 'carrier-pigeon'\n");
    }

    @Test
    void unknownParametersAndPaths() throws Exception {
        var a = call("POST", "/nodes/pve1/qemu/100/status/start", "turbo", "1");
        assertThat(a.errors()).containsEntry("turbo",
                "property is not defined in schema and the schema does not allow additional properties\n");
        var b = call("GET", "/nodes/pve1/qemu/100/nonsense");
        assertThat(b.status()).isEqualTo(501);
        assertThat(message(b)).isEqualTo("Method 'GET /nodes/pve1/qemu/100/nonsense' not implemented");
        var c = call("DELETE", "/version");
        assertThat(c.status()).isEqualTo(501);
        assertThat(sim.contractViolations()).containsExactly(
                "POST /nodes/{node}/qemu/{vmid}/status/start: parameter 'turbo' is not in the API contract",
                "GET /nodes/pve1/qemu/100/nonsense: not in the API contract", "DELETE /version: not in the API contract");
        var d = call("POST", "/nodes/pve1/qemu/100/status/start", "vmid", "101");
        assertThat(d.errors()).containsEntry("vmid", "duplicate parameter (already defined in URI) with conflicting values!\n");
    }

    @Test
    void acceptsJsonBodies() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(sim.baseUrl()
                + "/api2/json/nodes/pve1/qemu/100/snapshot"))
                .header("Authorization", root.get("Authorization")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"snapname\": \"json-snap\", \"vmstate\": false}"))
                .build();
        var response = client.http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(list("/nodes/pve1/qemu/100/snapshot")).extracting(s -> s.get("name")).contains("json-snap");
    }
}
