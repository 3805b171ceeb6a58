package io.pvemcp.testing;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

/** Checks values against JSON Schemas (draft 2020-12), as the MCP registry checks tool input and output. */
public final class JsonSchemas {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonSchemas() {
    }

    /**
     * @param schema a schema, as a tool declares it
     * @param value a value
     * @return the problems of {@code value}; empty if it conforms
     */
    public static List<String> problems(Map<String, Object> schema, Object value) {
        var s = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012()).getSchema(MAPPER.valueToTree(schema));
        return s.validate(MAPPER.valueToTree(value)).stream().map(Error::toString).toList();
    }
}
