package io.pvemcp.registry.internal;

import java.util.Map;
import java.util.function.Supplier;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator;

/**
 * The SDK's schema validator (for elicitation schemas), made when a session first uses it: making it loads and
 * compiles a JSON Schema dialect, about a tenth of the registry's start, for something most sessions never ask.
 */
final class LazySchemaValidator implements JsonSchemaValidator {

    private final Supplier<JsonSchemaValidator> factory;
    private volatile JsonSchemaValidator delegate;

    LazySchemaValidator(Supplier<JsonSchemaValidator> factory) {
        this.factory = factory;
    }

    private JsonSchemaValidator delegate() {
        JsonSchemaValidator d = delegate;
        if (d == null) {
            synchronized (this) {
                d = delegate;
                if (d == null) {
                    delegate = d = factory.get();
                }
            }
        }
        return d;
    }

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        return delegate().validate(schema, structuredContent);
    }

    @Override
    public ValidationResponse validateSchema(Map<String, Object> schema) {
        return delegate().validateSchema(schema);
    }
}
