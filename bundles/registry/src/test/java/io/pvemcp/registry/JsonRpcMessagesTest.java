package io.pvemcp.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;

import org.junit.jupiter.api.Test;

/** One JSON-RPC message, read from text or bytes alike; everything else refused with the error a client can act on. */
class JsonRpcMessagesTest {

    final ObjectMapper mapper = new ObjectMapper();
    final McpJsonMapper json = new JacksonMcpJsonMapper(mapper);

    McpSchema.JSONRPCMessage parse(String text) throws JsonRpcMessages.Invalid {
        McpSchema.JSONRPCMessage fromText = JsonRpcMessages.parse(mapper, json, text);
        byte[] bytes = ("  " + text + " ").getBytes(StandardCharsets.UTF_8);
        McpSchema.JSONRPCMessage fromBytes = JsonRpcMessages.parse(mapper, json, bytes, 2, bytes.length - 3);
        assertThat(fromBytes).isEqualTo(fromText);
        return fromText;
    }

    JsonRpcMessages.Invalid refused(String text) {
        JsonRpcMessages.Invalid e = catchThrowableOfType(() -> JsonRpcMessages.parse(mapper, json, text),
                JsonRpcMessages.Invalid.class);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        JsonRpcMessages.Invalid b = catchThrowableOfType(() -> JsonRpcMessages.parse(mapper, json, bytes, 0,
                bytes.length), JsonRpcMessages.Invalid.class);
        assertThat(e).isNotNull();
        assertThat(b.getMessage()).isEqualTo(e.getMessage());
        assertThat(b.code()).isEqualTo(e.code());
        return e;
    }

    @Test
    void readsRequestsNotificationsAndResponses() throws Exception {
        McpSchema.JSONRPCMessage req = parse("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"x\",\"arguments\":{\"vmid\":100}}}");
        assertThat(req).isInstanceOfSatisfying(McpSchema.JSONRPCRequest.class, r -> {
            assertThat(r.id()).isEqualTo(7);
            assertThat(r.method()).isEqualTo("tools/call");
            assertThat(r.params()).isEqualTo(Map.of("name", "x", "arguments", Map.of("vmid", 100)));
        });
        assertThat(parse("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"ping\"}")).isInstanceOf(
                McpSchema.JSONRPCRequest.class);
        assertThat(parse("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"))
                .isInstanceOf(McpSchema.JSONRPCNotification.class);
        assertThat(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"action\":\"accept\"}}"))
                .isInstanceOfSatisfying(McpSchema.JSONRPCResponse.class, r -> assertThat(r.result())
                        .isEqualTo(Map.of("action", "accept")));
        assertThat(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-1,\"message\":\"no\"}}"))
                .isInstanceOfSatisfying(McpSchema.JSONRPCResponse.class, r -> assertThat(r.error().code())
                        .isEqualTo(-1));
    }

    @Test
    void refusesWhatIsNoMessageWithTheRightCode() {
        assertThat(refused("{\"jsonrpc\":").code()).isEqualTo(McpSchema.ErrorCodes.PARSE_ERROR);
        assertThat(refused("   ").getMessage()).contains("empty");
        assertThat(refused("[{\"jsonrpc\":\"2.0\"}]").getMessage()).contains("batches");
        assertThat(refused("42").code()).isEqualTo(McpSchema.ErrorCodes.INVALID_REQUEST);
        assertThat(refused("{\"jsonrpc\":2.0,\"id\":1,\"method\":\"ping\"}").getMessage()).contains("jsonrpc");
        assertThat(refused("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}").getMessage()).contains("id must");
        assertThat(refused("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}").getMessage()).contains("null");
        assertThat(refused("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\"}").getMessage()).contains("method");
        JsonRpcMessages.Invalid params = refused("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"x\",\"params\":[1]}");
        assertThat(params.code()).isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS);
        assertThat(params.id()).isEqualTo(3);
        assertThat(refused("{\"jsonrpc\":\"2.0\",\"result\":{}}").getMessage()).contains("needs the id");
        assertThat(refused("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":\"x\"}}").getMessage())
                .contains("integer code");
        assertThat(refused("{\"jsonrpc\":\"2.0\",\"id\":1}").getMessage()).contains("needs a method");
    }
}
