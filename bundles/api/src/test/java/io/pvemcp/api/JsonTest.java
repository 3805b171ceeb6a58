package io.pvemcp.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesCompactJsonWithEscapes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a \"quoted\" \\ path\n");
        m.put("n", 3);
        m.put("x", 1.5);
        m.put("ok", true);
        m.put("none", null);
        m.put("list", List.of(1, "two", Map.of("k", "v")));
        m.put("ctl", "\u0001");
        m.put("nan", Double.NaN);
        assertThat(Json.write(m)).isEqualTo("{\"name\":\"a \\\"quoted\\\" \\\\ path\\n\",\"n\":3,\"x\":1.5,\"ok\":true,"
                + "\"none\":null,\"list\":[1,\"two\",{\"k\":\"v\"}],\"ctl\":\"\\u0001\",\"nan\":null}");
        assertThat(Json.write(Arrays.asList("a", null))).isEqualTo("[\"a\",null]");
    }

    @Test
    void readsProxmoxValuesLeniently() {
        Map<String, Object> m = Map.of("cpu", "0.25", "mem", 1024, "online", 1, "template", "0", "bad", "x");
        assertThat(Json.doubleValue(m, "cpu", -1)).isEqualTo(0.25);
        assertThat(Json.longValue(m, "mem", -1)).isEqualTo(1024);
        assertThat(Json.longValue(m, "bad", -1)).isEqualTo(-1);
        assertThat(Json.bool(m, "online", false)).isTrue();
        assertThat(Json.bool(m, "template", true)).isFalse();
        assertThat(Json.bool(m, "missing", true)).isTrue();
        assertThat(Json.string(m, "mem")).isEqualTo("1024");
        assertThatThrownBy(() -> Json.map(List.of())).hasMessage("expected a JSON object, got an array");
        assertThatThrownBy(() -> Json.list("x")).hasMessage("expected a JSON array, got a string");
    }

    @Test
    void adminImpliesEveryScope() {
        Caller admin = Caller.builder().subject("ops").scopes(java.util.Set.of(Scopes.ADMIN)).build();
        Caller reader = Caller.builder().subject("dash").scopes(java.util.Set.of(Scopes.READ)).build();
        assertThat(admin.hasScope(Scopes.POWER)).isTrue();
        assertThat(reader.hasScope(Scopes.READ)).isTrue();
        assertThat(reader.hasScope(Scopes.WRITE)).isFalse();
        assertThat(Caller.ANONYMOUS.hasScope(Scopes.ADMIN)).isTrue();
        assertThat(reader.toBuilder().clientName("cursor").build().clientName()).isEqualTo("cursor");
    }
}
