package io.pvemcp.registry.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

import io.pvemcp.security.store.SecureFiles;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON Schema 2020-12 checks: whether a tool's schema is itself valid, and whether arguments or results
 * conform to it, with one readable message per problem ("vmid: must have a minimum value of 100").
 *
 * <p>Checking a schema against the meta-schema and compiling it are most of what the registry does at start.
 * So a schema is compiled when it is first used, and the digests of the schemas found valid are kept in the
 * state folder ({@value #KNOWN_FILE}): a schema seen valid before, byte for byte, is not checked again. A schema
 * not seen before is checked and compiled at once, as always, so a plugin with a broken schema is refused when
 * it registers.
 */
final class SchemaChecker {

    static final String KNOWN_FILE = "schemas-checked.txt";
    /** The most digests kept: the schemas of a few versions of every tool. */
    static final int KNOWN_MAX = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(SchemaChecker.class);
    private static final byte[] DIGEST_SALT = "json-schema-2020-12\n".getBytes(StandardCharsets.US_ASCII);

    private final ObjectMapper mapper;
    private final Path knownFile;
    private final Set<String> known = new LinkedHashSet<>();
    private boolean unsaved;
    private SchemaRegistry registry;
    private Schema metaSchema;

    SchemaChecker(ObjectMapper mapper) {
        this(mapper, null);
    }

    /**
     * @param mapper converts schemas and instances to trees
     * @param stateDir where the digests of the schemas found valid are kept, or {@code null} to check every schema
     */
    SchemaChecker(ObjectMapper mapper, Path stateDir) {
        this.mapper = mapper;
        this.knownFile = stateDir == null ? null : stateDir.resolve(KNOWN_FILE);
        if (knownFile != null && Files.isRegularFile(knownFile)) {
            try {
                for (String line : Files.readAllLines(knownFile, StandardCharsets.US_ASCII)) {
                    if (line.length() == 64) {
                        known.add(line);
                    }
                }
            } catch (IOException e) {
                LOG.warn("Cannot read {} ({}); every tool schema is checked", knownFile, e.getMessage());
            }
        }
    }

    private synchronized SchemaRegistry registry() {
        if (registry == null) {
            registry = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012());
        }
        return registry;
    }

    private synchronized Schema metaSchema() {
        if (metaSchema == null) {
            metaSchema = registry().getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        }
        return metaSchema;
    }

    /** A schema, compiled when it first checks an instance. */
    final class Compiled {
        private final String what;
        /** The schema as JSON, until it is compiled. */
        private byte[] json;
        private volatile Schema schema;

        private Compiled(String what, byte[] json, Schema schema) {
            this.what = what;
            this.json = schema == null ? json : null;
            this.schema = schema;
        }

        /** @return one message per problem; empty if {@code instance} conforms */
        List<String> problems(Object instance) {
            Schema s = schema;
            if (s == null) {
                try {
                    s = compiled();
                } catch (RuntimeException e) {
                    return List.of("the tool's " + what + " cannot be compiled (" + e.getMessage() + "), so its bundle "
                            + "needs fixing");
                }
            }
            return messages(s.validate(mapper.valueToTree(instance)));
        }

        private synchronized Schema compiled() {
            if (schema == null) {
                try {
                    schema = registry().getSchema(mapper.readTree(json));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                json = null;
            }
            return schema;
        }
    }

    /**
     * Checks a schema and compiles it, or, if this very schema was found valid before, takes it to be compiled at
     * first use.
     *
     * @param what what the schema describes, for the message, e.g. "input schema"
     * @param schema the schema
     * @return the compiled schema
     * @throws Contributions.Rejected if the schema is not valid JSON Schema 2020-12
     */
    Compiled compile(String what, Map<String, Object> schema) {
        byte[] bytes;
        try {
            // the digest is taken over the schema as written, and the tree made only for a schema not known
            bytes = mapper.writeValueAsBytes(schema);
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw new Contributions.Rejected("its " + what + " is not JSON: " + e.getMessage());
        }
        String digest = digest(bytes);
        synchronized (this) {
            if (known.contains(digest)) {
                return new Compiled(what, bytes, null);
            }
        }
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new Contributions.Rejected("its " + what + " is not JSON: " + e.getMessage());
        }
        List<String> problems = messages(metaSchema().validate(node));
        if (!problems.isEmpty()) {
            throw new Contributions.Rejected("its " + what + " is not valid JSON Schema 2020-12: "
                    + String.join("; ", problems));
        }
        Compiled compiled;
        try {
            compiled = new Compiled(what, bytes, registry().getSchema(node));
        } catch (RuntimeException e) {
            throw new Contributions.Rejected("its " + what + " cannot be compiled: " + e.getMessage());
        }
        synchronized (this) {
            unsaved |= known.add(digest);
        }
        return compiled;
    }

    /**
     * Writes the digests of the schemas found valid, if there are new ones, as {@link SecureFiles#write} writes: a
     * reader sees the old list or the new one. Another server on the same folder may write
     * at the same time; a digest lost that way costs one check at the next start.
     */
    void save() {
        List<String> lines;
        synchronized (this) {
            if (knownFile == null || !unsaved) {
                return;
            }
            unsaved = false;
            lines = new ArrayList<>(known);
        }
        if (lines.size() > KNOWN_MAX) {
            lines = lines.subList(lines.size() - KNOWN_MAX, lines.size());
        }
        try {
            SecureFiles.write(knownFile, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            LOG.warn("Cannot write {} ({}); the tool schemas are checked again at the next start", knownFile,
                    e.getMessage());
        }
    }

    private static String digest(byte[] bytes) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(DIGEST_SALT);
            return HexFormat.of().formatHex(sha.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Renders a JSON Pointer ({@code /disks/0/size}) or a JSON path ({@code $.disks[0].size}) as {@code disks[0].size}. */
    static String path(String location) {
        if (location.startsWith("$.")) {
            return location.substring(2);
        }
        StringBuilder sb = new StringBuilder();
        for (String segment : location.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            String s = segment.replace("~1", "/").replace("~0", "~");
            if (s.chars().allMatch(Character::isDigit)) {
                sb.append('[').append(s).append(']');
            } else {
                sb.append(sb.length() == 0 ? "" : ".").append(s);
            }
        }
        return sb.toString();
    }

    private static List<String> messages(List<Error> errors) {
        List<String> out = new ArrayList<>();
        for (Error e : errors) {
            String m = e.getMessage();
            String location = e.getInstanceLocation() == null ? "$" : e.getInstanceLocation().toString();
            if (m.startsWith("$")) {
                m = m.startsWith("$.") ? m.substring(2) : m.startsWith("$: ") ? m.substring(3) : m.substring(1);
            } else if (!location.equals("$") && !location.isEmpty() && !location.equals("/")) {
                m = path(location) + ": " + m;
            }
            if (!out.contains(m)) {
                out.add(m);
            }
        }
        return out;
    }
}
