package io.pvemcp.pve.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

class JsonReaderTest {

    final JsonReader reader = new JsonReader(new JsonFactory());

    Object read(String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return reader.read(b, 0, b.length);
    }

    @Test
    void readsWhatJacksonReadsInTheSameOrder() throws IOException {
        String json = "{\"data\":[{\"vmid\":100,\"name\":\"web-é\",\"cpu\":0.25,\"maxmem\":4294967296,\"big\":"
                + "123456789012345678901234567890,\"template\":false,\"tags\":null,\"nested\":{\"a\":[1,[2,{}]]}},"
                + "{\"vmid\":101}],\"total\":2,\"ok\":true}";
        Object ours = read(json);
        Object jackson = new ObjectMapper().readValue(json, Object.class);
        assertThat(ours).isEqualTo(jackson);
        assertThat(jackson).isEqualTo(ours);
        assertThat(new ObjectMapper().writeValueAsString(ours)).isEqualTo(new ObjectMapper().writeValueAsString(jackson));
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) ((List<?>) ((Map<?, ?>) ours).get("data")).get(0);
        assertThat(first.keySet()).containsExactly("vmid", "name", "cpu", "maxmem", "big", "template", "tags", "nested");
        assertThat(first.get("vmid")).isInstanceOf(Integer.class);
        assertThat(first.get("maxmem")).isEqualTo(4294967296L);
        assertThat(first.get("big")).isInstanceOf(BigInteger.class);
        assertThat(first.get("cpu")).isEqualTo(0.25);
        assertThat(first).containsKey("tags").containsEntry("tags", null);
        assertThat(first.hashCode()).isEqualTo(new LinkedHashMap<>(first).hashCode());
        assertThat(read("  ")).isNull();
        assertThat(read("[]")).isEqualTo(List.of());
    }

    @Test
    void refusesWhatIsNotOneJsonValue() {
        assertThatThrownBy(() -> read("{\"a\":1} {\"b\":2}")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("{\"a\":")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("[".repeat(300) + "]".repeat(300))).isInstanceOf(IOException.class)
                .hasMessageContaining("deeper");
    }

    @Test
    void itsMapsChangeLikeAnyMap() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) read("{\"a\":1,\"b\":2,\"c\":3}");
        assertThat(m.put("b", 20)).isEqualTo(2);
        assertThat(m.put("d", 4)).isNull();
        for (int i = 0; i < 20; i++) {
            m.put("k" + i, i);
        }
        assertThat(m).hasSize(24);
        assertThat(m.remove("a")).isEqualTo(1);
        assertThat(m.remove("missing")).isNull();
        m.replaceAll((k, v) -> v instanceof Integer n ? n * 10 : v);
        assertThat(m.get("b")).isEqualTo(200);
        for (Iterator<Map.Entry<String, Object>> it = m.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Object> e = it.next();
            if (e.getKey().startsWith("k")) {
                it.remove();
            } else {
                e.setValue(e.getValue() + "!");
            }
        }
        assertThat(new ArrayList<>(m.entrySet())).extracting(Map.Entry::getKey).containsExactly("b", "c", "d");
        assertThat(m).isEqualTo(Map.of("b", "200!", "c", "30!", "d", "40!"));
        m.keySet().remove("c");
        m.values().remove("40!");
        assertThat(m).isEqualTo(Map.of("b", "200!"));
        assertThatThrownBy(() -> {
            for (String k : m.keySet()) {
                m.put(k + "x", 1);
            }
        }).isInstanceOf(ConcurrentModificationException.class);
        m.clear();
        assertThat(m).isEmpty();
    }
}
