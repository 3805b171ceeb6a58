package io.pvemcp.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ArgumentsTest {

    @Test
    void readsTypedValues() {
        Arguments a = new Arguments(Map.of("node", "pve1", "vmid", 100, "force", true, "ratio", 0.5,
                "tags", List.of("a", "b"), "big", new BigDecimal("1000.0")));
        assertThat(a.string("node")).isEqualTo("pve1");
        assertThat(a.integer("vmid")).isEqualTo(100L);
        assertThat(a.integer("big")).isEqualTo(1000L);
        assertThat(a.bool("force", false)).isTrue();
        assertThat(a.number("ratio", 0)).isEqualTo(0.5);
        assertThat(a.strings("tags")).containsExactly("a", "b");
        assertThat(a.optionalString("missing")).isEmpty();
        assertThat(a.integer("missing", 7)).isEqualTo(7L);
        assertThat(a.strings("missing")).isEmpty();
        assertThat(a.has("node")).isTrue();
        assertThat(a.has("missing")).isFalse();
    }

    @Test
    void explainsWrongOrMissingValuesByName() {
        Arguments a = new Arguments(Map.of("vmid", "abc", "ratio", 1.5, "node", 5, "tags", List.of(1)));
        assertThatThrownBy(() -> a.integer("vmid")).isInstanceOf(ToolException.class)
                .hasMessage("Invalid argument 'vmid': expected an integer, got a string (abc).");
        assertThatThrownBy(() -> a.integer("ratio")).hasMessageContaining("expected an integer");
        assertThatThrownBy(() -> a.string("node")).hasMessage("Invalid argument 'node': expected a string, got a number.");
        assertThatThrownBy(() -> a.string("missing")).hasMessage("Invalid argument 'missing': this argument is required.");
        assertThatThrownBy(() -> a.strings("tags")).hasMessageContaining("expected an array of strings");
        assertThatThrownBy(() -> new Arguments(Map.of("n", BigInteger.TWO.pow(70))).integer("n"))
                .hasMessageContaining("expected an integer");
    }

    @Test
    void isImmutable() {
        java.util.HashMap<String, Object> values = new java.util.HashMap<>(Map.of("a", 1));
        Arguments a = new Arguments(values);
        values.put("b", 2);
        assertThat(a.asMap()).containsOnlyKeys("a");
        assertThatThrownBy(() -> a.asMap().put("c", 3)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new Arguments(null).asMap()).isEmpty();
    }
}
