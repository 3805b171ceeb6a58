package io.pvemcp.registry;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * Reads one JSON-RPC 2.0 message as MCP allows it, for every transport alike. Anything else is refused with the
 * JSON-RPC error a client can act on ({@code -32700} not JSON, {@code -32600} not a valid message, {@code -32602}
 * params that are no object), never with a parser's or a Java type's name; the transport answers it and the
 * session goes on.
 *
 * @since 1.3
 */
public final class JsonRpcMessages {

    private JsonRpcMessages() {
    }

    /** A message that is refused, with the JSON-RPC error to answer. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        private final int code;
        private final transient Object id;

        Invalid(int code, String message, Object id) {
            super(message, null, false, false);
            this.code = code;
            this.id = id;
        }

        /** @return the JSON-RPC error code */
        public int code() {
            return code;
        }

        /** @return the message's id when it had a valid one (answer with it), otherwise {@code null} */
        public Object id() {
            return id;
        }

        /**
         * @return the JSON-RPC error response to send, JSON-shaped ({@code id} is {@code null} when the message had
         *         no valid one, which the SDK's own response type does not allow)
         */
        public Map<String, Object> response() {
            Map<String, Object> error = new java.util.LinkedHashMap<>();
            error.put("code", code);
            error.put("message", getMessage());
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("jsonrpc", "2.0");
            body.put("id", id);
            body.put("error", error);
            return body;
        }
    }

    /**
     * @param mapper the mapper that reads the text
     * @param json the SDK's mapper, which builds the message
     * @param text one JSON value
     * @return the request, notification or response
     * @throws Invalid if it is not one
     */
    public static McpSchema.JSONRPCMessage parse(ObjectMapper mapper, McpJsonMapper json, String text) throws Invalid {
        Object value;
        try {
            value = text == null || text.isBlank() ? null : mapper.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new Invalid(McpSchema.ErrorCodes.PARSE_ERROR, "Parse error: the message is not valid JSON", null);
        }
        return message(json, value);
    }

    /**
     * As {@link #parse(ObjectMapper, McpJsonMapper, String)}, from the UTF-8 bytes of the message.
     *
     * @since 1.5
     */
    public static McpSchema.JSONRPCMessage parse(ObjectMapper mapper, McpJsonMapper json, byte[] utf8, int offset,
            int length) throws Invalid {
        Object value;
        try {
            value = blank(utf8, offset, length) ? null : mapper.readValue(utf8, offset, length, Object.class);
        } catch (java.io.IOException e) {
            throw new Invalid(McpSchema.ErrorCodes.PARSE_ERROR, "Parse error: the message is not valid JSON", null);
        }
        return message(json, value);
    }

    private static boolean blank(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** Checks a parsed JSON value and builds the message from it directly (no tree, no second conversion). */
    @SuppressWarnings("unchecked")
    private static McpSchema.JSONRPCMessage message(McpJsonMapper json, Object value) throws Invalid {
        if (value == null) {
            throw new Invalid(McpSchema.ErrorCodes.PARSE_ERROR, "Parse error: the message is empty", null);
        }
        if (value instanceof List) {
            throw new Invalid(McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: JSON-RPC batches are not "
                    + "supported; send one message at a time", null);
        }
        if (!(value instanceof Map)) {
            throw new Invalid(McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: a JSON-RPC message is a JSON "
                    + "object with jsonrpc \"2.0\"", null);
        }
        Map<String, Object> node = (Map<String, Object>) value;
        boolean idPresent = node.containsKey("id");
        Object idValue = node.get("id");
        boolean hasId = idValue != null;
        boolean validId = idValue == null || idValue instanceof String || idValue instanceof Integer
                || idValue instanceof Long || idValue instanceof java.math.BigInteger;
        Object id = hasId && validId ? idValue : null;
        if (!"2.0".equals(node.get("jsonrpc"))) {
            throw new Invalid(McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: jsonrpc must be \"2.0\"", id);
        }
        if (!validId) {
            throw new Invalid(McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: id must be a string or an "
                    + "integer", null);
        }
        Object method = node.get("method");
        if (method != null) {
            if (!(method instanceof String m) || m.isBlank()) {
                throw new Invalid(McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: method must be a non-empty "
                        + "string", id);
            }
            if (idPresent && !hasId) {
                throw new Invalid(McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: the id of a request must "
                        + "not be null", null);
            }
            Object params = node.get("params");
            if (params != null && !(params instanceof Map)) {
                throw new Invalid(hasId ? McpSchema.ErrorCodes.INVALID_PARAMS : McpSchema.ErrorCodes.INVALID_REQUEST,
                        "Invalid params: params must be a JSON object", id);
            }
            return hasId ? new McpSchema.JSONRPCRequest("2.0", m, id, params)
                    : new McpSchema.JSONRPCNotification("2.0", m, params);
        }
        if (node.containsKey("result") || node.containsKey("error")) {
            if (!hasId) {
                throw new Invalid(McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: a response needs the id of "
                        + "the request it answers", null);
            }
            Object error = node.get("error");
            if (error != null && (!(error instanceof Map<?, ?> e) || !(e.get("code") instanceof Integer
                    || e.get("code") instanceof Long || e.get("code") instanceof java.math.BigInteger))) {
                throw new Invalid(McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: error must be an object with "
                        + "an integer code", id);
            }
            try {
                return json.convertValue(node, McpSchema.JSONRPCResponse.class);
            } catch (RuntimeException e) {
                throw new Invalid(McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: " + describe(e), id);
            }
        }
        throw new Invalid(McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: a message needs a method (request "
                + "or notification) or a result or error (response)", id);
    }

    /**
     * Reads the params of {@code initialize}: an object with the client's protocol version, capabilities and
     * description; missing capabilities count as none and a missing description as an unnamed client, so that
     * nothing later meets a {@code null}.
     *
     * @param json the SDK's mapper
     * @param request the {@code initialize} request
     * @return the params
     * @throws Invalid ({@code -32602}) if they cannot be read
     */
    public static McpSchema.InitializeRequest initialize(McpJsonMapper json, McpSchema.JSONRPCRequest request)
            throws Invalid {
        Map<?, ?> raw = request.params() instanceof Map<?, ?> m ? m : Map.of();
        if (!(raw.get("protocolVersion") instanceof String v) || v.isBlank()) {
            throw new Invalid(McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid initialize params: protocolVersion must be "
                    + "a string such as \"" + McpContextKeys.PROTOCOL_VERSIONS.get(
                            McpContextKeys.PROTOCOL_VERSIONS.size() - 1) + "\"", request.id());
        }
        Map<String, Object> params = new java.util.LinkedHashMap<>();
        raw.forEach((k, val) -> params.put(String.valueOf(k), val));
        Object caps = raw.get("capabilities");
        if (caps == null) {
            params.put("capabilities", Map.of());
        } else if (!(caps instanceof Map)) {
            throw new Invalid(McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid initialize params: capabilities must be an "
                    + "object", request.id());
        }
        Object client = raw.get("clientInfo");
        if (client == null) {
            params.put("clientInfo", Map.of("name", "unnamed client", "version", ""));
        } else if (!(client instanceof Map<?, ?> c) || !(c.get("name") instanceof String)) {
            throw new Invalid(McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid initialize params: clientInfo must be an "
                    + "object with a name", request.id());
        }
        try {
            return json.convertValue(params, McpSchema.InitializeRequest.class);
        } catch (RuntimeException e) {
            throw new Invalid(McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid initialize params: " + describe(e),
                    request.id());
        }
    }

    /**
     * Describes why a value could not be read into the type a method expects, in the terms of the JSON the client
     * sent (the member's path and the kind of value wanted), never naming Java types or the parser.
     *
     * @param e what the mapper threw
     * @return e.g. {@code "arguments must be an object"}
     */
    public static String describe(Throwable e) {
        Throwable t = e;
        while (t != null && !(t instanceof JsonMappingException)) {
            t = t.getCause() == t ? null : t.getCause();
        }
        if (!(t instanceof JsonMappingException m) || m.getPath().isEmpty()) {
            return "a member has the wrong type or value";
        }
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(r.getFieldName().replaceAll("[^\\w.-]", "?"));
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        String wanted = "";
        if (m instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mi && mi.getTargetType() != null) {
            Class<?> type = mi.getTargetType();
            wanted = type == String.class ? " a string"
                    : Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class ? " a number"
                    : type == Boolean.class || type == boolean.class ? " a boolean"
                    : java.util.Collection.class.isAssignableFrom(type) || type.isArray() ? " an array"
                    : type == Object.class ? " a value" : " an object";
        }
        return path + " must be" + (wanted.isEmpty() ? " of another type" : wanted);
    }
}
