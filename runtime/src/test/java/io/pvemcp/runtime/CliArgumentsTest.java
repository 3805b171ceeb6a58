package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

class CliArgumentsTest {

    @Test
    void callArgumentsFollowTheToolsSchema() throws Exception {
        JsonNode schema = new ObjectMapper().readTree("{\"type\":\"object\",\"properties\":{\"vmid\":{\"type\":"
                + "\"integer\"},\"name\":{\"type\":\"string\"},\"force\":{\"type\":\"boolean\"},\"tags\":{\"type\":"
                + "\"array\"}}}");
        Map<String, Object> args = ClientCommands.Call.arguments(List.of("vmid=100", "name=100", "force=true",
                "tags=[\"a\",\"b\"]", "note=x=y"), schema);
        assertThat(args).containsEntry("vmid", 100).containsEntry("name", "100").containsEntry("force", true)
                .containsEntry("tags", List.of("a", "b")).containsEntry("note", "x=y");
        assertThatThrownBy(() -> ClientCommands.Call.arguments(List.of("vmid"), schema)).hasMessageContaining("key=value");
    }

    @Test
    void initUnderstandsHostsAndUrls() {
        assertThat(InitCommand.node("pve1.example.com", null)).isEqualTo(URI.create("https://pve1.example.com:8006"));
        assertThat(InitCommand.node("https://10.0.0.5:8443/", null)).isEqualTo(URI.create("https://10.0.0.5:8443"));
        assertThat(InitCommand.node("10.0.0.5", "9006")).isEqualTo(URI.create("https://10.0.0.5:9006"));
    }

    @Test
    void writtenValuesReadBackUnchanged() throws Exception {
        for (String value : List.of("plain", "with spaces", " leading", "back\\slash", "a=b:c#d!e", "new\nline")) {
            Properties p = new Properties();
            p.load(new java.io.StringReader("k = " + InitCommand.escape(value) + "\n"));
            assertThat(p.getProperty("k")).isEqualTo(value);
        }
    }
}
