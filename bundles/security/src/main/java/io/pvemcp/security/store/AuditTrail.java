package io.pvemcp.security.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An append-only audit trail in JSON Lines with a hash chain. Each entry carries its sequence number
 * ({@code seq}, from 1), the hash of the entry before it ({@code prev}; 64 zeros for the first) and its own
 * hash ({@code hash}: SHA-256 of the entry as written, without the {@code hash} member). So an edited entry no
 * longer matches its hash, and a deleted, inserted or reordered one breaks the sequence and the chain.
 * {@code audit.head} remembers the last entry, so that entries cut off the end are noticed too.
 * <p>
 * The current file is {@code audit.jsonl}; when it would grow beyond the size limit it is renamed to
 * {@code audit-<first seq>.jsonl} and a new one is started, continuing the chain. Files are mode 0600, and every
 * entry is forced to disk before {@link #append} returns: entries are written one after another under the lock, and
 * forced outside it, so that one {@code fdatasync} covers every entry written before it (group commit: callers in
 * flight together share the wait instead of queueing for one each).
 */
public final class AuditTrail implements AuditChain {

    /** The file being written. */
    public static final String CURRENT = "audit.jsonl";
    /** The file that remembers the last entry. */
    public static final String HEAD = "audit.head";
    static final String GENESIS = "0".repeat(64);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path current;
    private final Path head;
    private final long maxBytes;
    private final SecureFiles.FolderLock lock;
    /** The head's width on disk: it is rewritten in place, padded with spaces, never shortened. */
    static final int HEAD_BYTES = 128;

    private FileChannel out;
    private FileChannel headOut;
    private Object openKey;
    private long size;
    private long seq;
    private long firstSeqOfCurrent;
    private String last = GENESIS;
    /** Guards {@link #durable}: the entries up to that seq are on disk. */
    private final Object syncLock = new Object();
    private long durable;

    /**
     * Opens the trail, continuing its chain.
     *
     * @param dir the folder ({@code data/audit})
     * @param maxFileBytes the size at which the current file is rotated
     * @throws IOException if the folder or file cannot be opened
     */
    public AuditTrail(Path dir, long maxFileBytes) throws IOException {
        this.dir = SecureFiles.privateDirectory(dir);
        this.current = dir.resolve(CURRENT);
        this.head = dir.resolve(HEAD);
        this.maxBytes = Math.max(4096, maxFileBytes);
        this.lock = SecureFiles.folderLock(dir);
        try {
            lock.run(() -> {
                SecureFiles.createPrivateFile(current);
                SecureFiles.createPrivateFile(head);
                salvageTornLine();
                recover();
                open();
                return null;
            });
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** A crash in the middle of a write can leave a line without its end; it is moved aside, not lost. */
    private void salvageTornLine() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(current.toFile(), "rw")) {
            long len = f.length();
            if (len == 0) {
                return;
            }
            f.seek(len - 1);
            if (f.read() == '\n') {
                return;
            }
            long start = len - 1;
            while (start > 0) {
                f.seek(start - 1);
                if (f.read() == '\n') {
                    break;
                }
                start--;
            }
            byte[] torn = new byte[(int) (len - start)];
            f.seek(start);
            f.readFully(torn);
            Path aside = dir.resolve(CURRENT + ".torn-" + Instant.now().toEpochMilli());
            SecureFiles.write(aside, torn);
            f.setLength(start);
        }
    }

    private void recover() throws IOException {
        List<Path> files = files(dir);
        for (int i = files.size() - 1; i >= 0; i--) {
            List<String> lines = Files.readAllLines(files.get(i), StandardCharsets.UTF_8);
            if (!lines.isEmpty()) {
                JsonNode lastEntry = JSON.readTree(lines.get(lines.size() - 1));
                seq = lastEntry.path("seq").asLong();
                last = lastEntry.path("hash").asText(GENESIS);
                break;
            }
        }
        List<String> lines = Files.readAllLines(current, StandardCharsets.UTF_8);
        firstSeqOfCurrent = lines.isEmpty() ? seq + 1 : JSON.readTree(lines.get(0)).path("seq").asLong();
    }

    private void open() throws IOException {
        out = FileChannel.open(current, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        size = out.size();
        openKey = Files.readAttributes(current, BasicFileAttributes.class).fileKey();
        if (headOut == null) {
            headOut = FileChannel.open(head, StandardOpenOption.WRITE);
            if (headOut.size() > HEAD_BYTES) {
                headOut.truncate(HEAD_BYTES);
            }
        }
    }

    /** Closes the current file after forcing what this process wrote to it. */
    private void closeCurrent() throws IOException {
        try {
            out.force(false);
        } finally {
            out.close();
        }
    }

    /**
     * Several processes may write one trail (the HTTP server and the stdio servers desktop clients start): each
     * append holds the folder's lock and first takes up what the others wrote or rotated since.
     */
    private void catchUp() throws IOException {
        BasicFileAttributes now = Files.readAttributes(current, BasicFileAttributes.class);
        Object key = now.fileKey();
        if (key == null || !key.equals(openKey) || now.size() != size) {
            closeCurrent();
            recover();
            open();
        }
    }

    /**
     * Appends an entry.
     *
     * @param fields the entry's members, JSON-shaped; {@code seq}, {@code time} (unless given), {@code prev} and
     *        {@code hash} are added
     * @return the entry as written
     * @throws IOException if it cannot be written
     */
    @Override
    public Map<String, Object> append(Map<String, Object> fields) throws IOException {
        Map<String, Object> entry;
        synchronized (this) {
            entry = lock.run(() -> {
                catchUp();
                return write(fields);
            });
        }
        force(((Number) entry.get("seq")).longValue());
        return entry;
    }

    /** Forces the current file unless a force since the entry was written already did. */
    private void force(long seqWritten) throws IOException {
        synchronized (syncLock) {
            if (durable >= seqWritten) {
                return;
            }
            long upTo;
            FileChannel ch;
            synchronized (this) {
                upTo = seq;
                ch = out;
            }
            try {
                ch.force(false);
            } catch (java.nio.channels.ClosedChannelException e) {
                // rotated or taken over meanwhile: the channel was forced as it closed
            }
            durable = Math.max(durable, upTo);
        }
    }

    private Map<String, Object> write(Map<String, Object> fields) throws IOException {
        Line l = line(seq + 1, last, fields);
        byte[] line = l.bytes();
        if (size > 0 && size + line.length > maxBytes) {
            rotate();
        }
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
            out.write(buf);
        }
        size += line.length;
        seq++;
        last = l.hash();
        writeHead(l.hash());
        return l.entry();
    }

    /** An entry as it is stored: its members (hash included), its line (with the newline) and its hash. */
    record Line(Map<String, Object> entry, byte[] bytes, String hash) {
    }

    /** Builds the entry {@code seq} that follows the entry whose hash is {@code prev}. */
    static Line line(long seq, String prev, Map<String, Object> fields) throws JsonProcessingException {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("seq", seq);
        entry.put("time", fields.getOrDefault("time", Instant.now().toString()));
        entry.put("prev", prev);
        fields.forEach((k, v) -> {
            if (!entry.containsKey(k) && !"hash".equals(k)) {
                entry.put(k, v);
            }
        });
        // serialised once: the hash is over the entry as written without its hash member, which is appended as the
        // last member (verify re-serialises the parsed line without it and compares)
        byte[] bare = JSON.writeValueAsBytes(entry);
        String hash = sha256(bare);
        byte[] tail = (",\"hash\":\"" + hash + "\"}\n").getBytes(StandardCharsets.US_ASCII);
        byte[] line = Arrays.copyOf(bare, bare.length - 1 + tail.length);
        System.arraycopy(tail, 0, line, bare.length - 1, tail.length);
        entry.put("hash", hash);
        return new Line(entry, line, hash);
    }

    /**
     * The head is a checkpoint that reveals a trail cut short; it is rewritten in place (under the lock; seq and hash
     * never get shorter) at a fixed width, padded with spaces, and not forced to disk: after a power loss it may lag
     * the trail, which verify accepts, while the entry itself is on disk before append returns.
     */
    private void writeHead(String hash) throws IOException {
        byte[] json = ("{\"seq\":" + seq + ",\"hash\":\"" + hash + "\"}").getBytes(StandardCharsets.US_ASCII);
        byte[] padded = Arrays.copyOf(json, Math.max(HEAD_BYTES, json.length));
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        ByteBuffer buf = ByteBuffer.wrap(padded);
        long at = 0;
        while (buf.hasRemaining()) {
            at += headOut.write(buf, at);
        }
    }

    private void rotate() throws IOException {
        closeCurrent();
        Path rotated = dir.resolve(String.format("audit-%012d.jsonl", firstSeqOfCurrent));
        Files.move(current, rotated);
        SecureFiles.createPrivateFile(current);
        firstSeqOfCurrent = seq + 1;
        open();
    }

    @Override
    public Verification verify() throws IOException {
        return verify(dir);
    }

    @Override
    public List<Map<String, Object>> latest(int count) throws IOException {
        return latest(dir, count);
    }

    @Override
    public String where() {
        return dir.toString();
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (out != null) {
                closeCurrent();
            }
            if (headOut != null) {
                headOut.close();
            }
        } finally {
            lock.close();
        }
    }

    static String hash(ObjectNode entryWithoutHash) throws JsonProcessingException {
        return sha256(JSON.writeValueAsBytes(entryWithoutHash));
    }

    /** Copied for each hash: looking the algorithm up among the providers costs more than the hash of an entry. */
    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(((MessageDigest) SHA_256.clone()).digest(bytes));
        } catch (CloneNotSupportedException e) {
            // the JDK's SHA-256 can be copied
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param dir the folder
     * @return the trail's files in chain order: rotated files by their first seq, then the current one
     * @throws IOException if the folder cannot be read
     */
    public static List<Path> files(Path dir) throws IOException {
        List<Path> rotated = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "audit-*.jsonl")) {
                ds.forEach(rotated::add);
            }
        }
        rotated.sort(null);
        if (Files.isRegularFile(dir.resolve(CURRENT))) {
            rotated.add(dir.resolve(CURRENT));
        }
        return rotated;
    }

    /**
     * The result of {@link #verify(Path)}.
     *
     * @param entries how many entries were read
     * @param files how many files
     * @param lastSeq the last entry's sequence number (0 when empty)
     * @param problem the first problem found, naming file, line and entry, or {@code null} when the trail is intact
     */
    public record Verification(long entries, int files, long lastSeq, String problem) {
        /** @return {@code true} if no entry was edited, deleted, inserted or reordered */
        public boolean intact() {
            return problem == null;
        }
    }

    /**
     * Checks the whole trail and reports the first broken or missing entry.
     *
     * @param dir the folder
     * @return the result
     * @throws IOException if a file cannot be read
     */
    public static Verification verify(Path dir) throws IOException {
        // a consistent picture of a live trail: read under the folder's lock, which every writer holds for each append
        // and rotation, then check without holding it
        Snapshot snap = Files.isDirectory(dir) ? SecureFiles.locked(dir, () -> Snapshot.read(dir)) : Snapshot.read(dir);
        List<Path> files = snap.files();
        Checker check = new Checker();
        for (int fi = 0; fi < files.size(); fi++) {
            Path f = files.get(fi);
            List<String> lines = snap.lines().get(fi);
            for (int i = 0; i < lines.size(); i++) {
                String problem = check.next(lines.get(i), f.getFileName() + " line " + (i + 1));
                if (problem != null) {
                    return new Verification(check.entries, files.size(), check.prevSeq, problem);
                }
            }
        }
        String problem = check.end(snap.head() == null ? null : JSON.readTree(snap.head()), HEAD);
        return new Verification(check.entries, files.size(), check.prevSeq, problem);
    }

    /** Checks entries one after another, in chain order, wherever they are kept. */
    static final class Checker {
        long entries;
        long prevSeq;
        String prevHash = GENESIS;

        /**
         * @param text the next entry as stored
         * @param where where it is, for the message (a file and line)
         * @return the problem it shows, or {@code null}
         */
        String next(String text, String where) {
            ObjectNode node;
            try {
                JsonNode n = JSON.readTree(text);
                if (!(n instanceof ObjectNode o)) {
                    return where + " is not an audit entry: it was edited";
                }
                node = o;
            } catch (JsonProcessingException e) {
                return where + " is not valid JSON: it was damaged or edited";
            }
            long s = node.path("seq").asLong(-1);
            String recorded = node.path("hash").asText(null);
            String prev = node.path("prev").asText(null);
            where = where + " (seq " + s + ")";
            node.remove("hash");
            try {
                if (recorded == null || !recorded.equals(hash(node))) {
                    return where + ": its hash does not match its content: the entry was edited";
                }
            } catch (JsonProcessingException e) {
                return where + " cannot be serialised again: it was edited";
            }
            if (entries == 0 && s != 1 && prevSeq == 0) {
                return where + ": the trail starts at seq " + s + ", so entries 1 to " + (s - 1) + " are missing: "
                        + "deleted, or a file of the trail was removed";
            }
            if (s <= prevSeq) {
                return where + ": it comes after seq " + prevSeq + ": entries were reordered or duplicated";
            }
            if (s > prevSeq + 1) {
                return where + ": entries " + (prevSeq + 1) + (s - 1 > prevSeq + 1 ? " to " + (s - 1) : "")
                        + " are missing: deleted";
            }
            if (!prevHash.equals(prev)) {
                return where + ": it does not chain to the entry before it (prev hash differs): an entry before it "
                        + "was replaced or reordered";
            }
            prevSeq = s;
            prevHash = recorded;
            entries++;
            return null;
        }

        /**
         * @param head the recorded last entry ({@code seq}, {@code hash}), or {@code null}
         * @param name what records it, for the message
         * @return the problem the end of the trail shows, or {@code null}
         */
        String end(JsonNode head, String name) {
            if (head == null) {
                return null;
            }
            long headSeq = head.path("seq").asLong();
            if (headSeq > prevSeq) {
                return "entries " + (prevSeq + 1) + (headSeq > prevSeq + 1 ? " to " + headSeq : "") + " are missing "
                        + "at the end: the trail was cut short (" + name + " records seq " + headSeq + ")";
            }
            if (headSeq == prevSeq && !head.path("hash").asText("").equals(prevHash)) {
                return "the last entry (seq " + prevSeq + ") is not the one " + name + " records: it was replaced";
            }
            return null;
        }
    }

    /** The trail's files, their lines and the head as read at one moment. */
    private record Snapshot(List<Path> files, List<List<String>> lines, byte[] head) {
        static Snapshot read(Path dir) throws IOException {
            List<Path> files = AuditTrail.files(dir);
            List<List<String>> lines = new ArrayList<>();
            for (Path f : files) {
                lines.add(Files.readAllLines(f, StandardCharsets.UTF_8));
            }
            Path headFile = dir.resolve(HEAD);
            byte[] head = Files.isRegularFile(headFile) ? Files.readAllBytes(headFile) : null;
            // an empty head is one created before the first entry
            return new Snapshot(files, lines, head == null || head.length == 0 ? null : head);
        }
    }


    /**
     * @param dir the folder
     * @param count how many
     * @return the latest entries, newest last
     * @throws IOException if the files cannot be read
     */
    public static List<Map<String, Object>> latest(Path dir, int count) throws IOException {
        List<Path> files = files(dir);
        List<String> lines = new ArrayList<>();
        for (int i = files.size() - 1; i >= 0 && lines.size() < count; i--) {
            List<String> l = Files.readAllLines(files.get(i), StandardCharsets.UTF_8);
            lines.addAll(0, l.subList(Math.max(0, l.size() - (count - lines.size())), l.size()));
        }
        return entries(lines);
    }

    /** @return the entries of these lines, in their order; a damaged line is left out (verify reports it) */
    static List<Map<String, Object>> entries(List<String> lines) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String l : lines) {
            try {
                out.add(JSON.readValue(l, JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class,
                        Object.class)));
            } catch (JsonProcessingException e) {
                // a damaged line: verify reports it
            }
        }
        return out;
    }
}
