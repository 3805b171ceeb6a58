package io.pvemcp.pve.client.internal;

import java.io.IOException;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads a Proxmox answer into plain Java values (maps, lists, strings, numbers, booleans, {@code null}) straight from
 * the parser's tokens. Objects become {@link CompactMap}s: ordered like the answer, mutable like any map, and about a
 * fifth of the memory of a {@code LinkedHashMap} — the cluster's resource list of ten thousand guests is some twenty
 * fields per guest, and every byte of it is garbage once a tool has picked what it needs.
 */
final class JsonReader {

    private static final int MAX_DEPTH = 200;

    private final JsonFactory factory;

    JsonReader(JsonFactory factory) {
        this.factory = factory;
    }

    /**
     * @return the value, or {@code null} for an empty input
     * @throws IOException if the bytes are not one JSON value
     */
    Object read(byte[] bytes, int offset, int length) throws IOException {
        try (JsonParser p = factory.createParser(bytes, offset, length)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            Object value = value(p, t, 0);
            if (p.nextToken() != null) {
                throw new IOException("more than one JSON value");
            }
            return value;
        }
    }

    private static Object value(JsonParser p, JsonToken t, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("JSON nested deeper than " + MAX_DEPTH);
        }
        switch (t) {
            case START_OBJECT -> {
                CompactMap map = new CompactMap();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    map.put(name, value(p, p.nextToken(), depth + 1));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    list.add(value(p, e, depth + 1));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> p.getIntValue();
                    case LONG -> p.getLongValue();
                    default -> p.getBigIntegerValue();
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IOException("unexpected JSON token " + t);
        }
    }

    /**
     * An ordered map in two arrays, found by a scan: the objects of a Proxmox answer have a few dozen members at most.
     * It does what a {@code LinkedHashMap} does for its users (order of insertion, {@code null} values, changes through
     * the map, its entries and iterators) in a fraction of the memory.
     */
    static final class CompactMap extends AbstractMap<String, Object> {
        private String[] keys;
        private Object[] values;
        private int size;
        private int modCount;

        CompactMap() {
            this(8);
        }

        CompactMap(int capacity) {
            keys = new String[Math.max(1, capacity)];
            values = new Object[keys.length];
        }

        private int indexOf(Object key) {
            String[] k = keys;
            for (int i = 0; i < size; i++) {
                if (k[i] == key) {
                    return i;
                }
            }
            if (key instanceof String) {
                for (int i = 0; i < size; i++) {
                    if (k[i].equals(key)) {
                        return i;
                    }
                }
            }
            return -1;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public boolean containsKey(Object key) {
            return indexOf(key) >= 0;
        }

        @Override
        public Object get(Object key) {
            int i = indexOf(key);
            return i < 0 ? null : values[i];
        }

        @Override
        public Object put(String key, Object value) {
            Objects.requireNonNull(key, "a JSON member needs a name");
            int i = indexOf(key);
            if (i >= 0) {
                Object old = values[i];
                values[i] = value;
                return old;
            }
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            keys[size] = key;
            values[size] = value;
            size++;
            modCount++;
            return null;
        }

        @Override
        public Object remove(Object key) {
            int i = indexOf(key);
            return i < 0 ? null : removeAt(i);
        }

        private Object removeAt(int i) {
            Object old = values[i];
            int tail = size - i - 1;
            System.arraycopy(keys, i + 1, keys, i, tail);
            System.arraycopy(values, i + 1, values, i, tail);
            size--;
            keys[size] = null;
            values[size] = null;
            modCount++;
            return old;
        }

        @Override
        public void clear() {
            Arrays.fill(keys, 0, size, null);
            Arrays.fill(values, 0, size, null);
            size = 0;
            modCount++;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return size;
                }

                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int next;
                        private int last = -1;
                        private int expected = modCount;

                        @Override
                        public boolean hasNext() {
                            return next < size;
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (expected != modCount) {
                                throw new ConcurrentModificationException();
                            }
                            if (next >= size) {
                                throw new NoSuchElementException();
                            }
                            last = next++;
                            return new Member(last);
                        }

                        @Override
                        public void remove() {
                            if (last < 0) {
                                throw new IllegalStateException();
                            }
                            if (expected != modCount) {
                                throw new ConcurrentModificationException();
                            }
                            removeAt(last);
                            next = last;
                            last = -1;
                            expected = modCount;
                        }
                    };
                }
            };
        }

        /** An entry that reads and writes through to its place in the map. */
        private final class Member implements Entry<String, Object> {
            private final int index;
            private final String key;

            Member(int index) {
                this.index = index;
                this.key = keys[index];
            }

            @Override
            public String getKey() {
                return key;
            }

            @Override
            public Object getValue() {
                return index < size && keys[index] == key ? values[index] : get(key);
            }

            @Override
            public Object setValue(Object value) {
                int i = index < size && keys[index] == key ? index : indexOf(key);
                if (i < 0) {
                    throw new IllegalStateException("the member " + key + " was removed");
                }
                Object old = values[i];
                values[i] = value;
                return old;
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Entry<?, ?> e && key.equals(e.getKey()) && Objects.equals(getValue(), e.getValue());
            }

            @Override
            public int hashCode() {
                return key.hashCode() ^ Objects.hashCode(getValue());
            }

            @Override
            public String toString() {
                return key + "=" + getValue();
            }
        }
    }
}
