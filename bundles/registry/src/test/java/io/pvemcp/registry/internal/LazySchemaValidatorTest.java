package io.pvemcp.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;

import org.junit.jupiter.api.Test;

class LazySchemaValidatorTest {

    @Test
    void makesTheValidatorAtItsFirstUseOnlyAndThenAnswersAsIt() {
        AtomicInteger made = new AtomicInteger();
        LazySchemaValidator lazy = new LazySchemaValidator(() -> {
            made.incrementAndGet();
            return new DefaultJsonSchemaValidator(new ObjectMapper());
        });
        assertThat(made).hasValue(0);
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("ok", Map.of("type", "boolean")),
                "required", List.of("ok"));
        assertThat(lazy.validate(schema, Map.of("ok", true)).valid()).isTrue();
        assertThat(lazy.validate(schema, Map.of("ok", "yes")).valid()).isFalse();
        assertThat(lazy.validate(schema, Map.of()).errorMessage()).contains("ok");
        assertThat(made).hasValue(1);
    }
}
