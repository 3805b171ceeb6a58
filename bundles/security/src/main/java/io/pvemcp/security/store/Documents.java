package io.pvemcp.security.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Small JSON documents the server's processes share, each replaced whole: the token records, the signing keys, the
 * operator's switches, held approvals. Kept as files in a folder (the default, {@link #folder}), as rows of a
 * PostgreSQL database ({@link PostgresState#documents()}) that several replicas share, or in memory for one process
 * that keeps nothing ({@link #memory}).
 * <p>
 * Writers change documents inside {@link #locked}, which excludes every other writer of the same store, in this
 * process and in others; readers compare {@link #version}s to notice another process's change.
 *
 * @since 1.3
 */
public interface Documents {

    /**
     * @param name the document, e.g. {@code tokens.json}
     * @return what identifies its current content (equal for equal versions), or {@code null} when it does not exist;
     *         a shared store may answer from a copy at most a second old
     * @throws IOException if the store cannot be read
     */
    Object version(String name) throws IOException;

    /**
     * @param name the document
     * @return its content, or {@code null} when it does not exist
     * @throws IOException if the store cannot be read
     */
    byte[] read(String name) throws IOException;

    /**
     * Runs an action that no other writer of this store overlaps, in any process. For a database, the action's
     * writes are one transaction, committed when it returns and rolled back when it throws.
     *
     * @param action reads and {@link #write}s
     * @param <T> its result
     * @return its result
     * @throws IOException if the lock cannot be taken, or the action fails with one
     */
    <T> T locked(Callable<T> action) throws IOException;

    /**
     * Replaces a document; only inside {@link #locked}.
     *
     * @param name the document
     * @param content its new content
     * @throws IOException if it cannot be written
     */
    void write(String name, byte[] content) throws IOException;

    /** @return where the documents are, for messages (a folder, or a database without its credentials) */
    String where();

    /**
     * @return documents kept in this process's memory only, forgotten when it ends; {@link #locked} excludes the
     *         other threads (and may be entered again by the thread that holds it)
     * @since 1.3
     */
    static Documents memory() {
        return new Documents() {
            private final java.util.Map<String, byte[]> docs = new java.util.concurrent.ConcurrentHashMap<>();
            private final java.util.Map<String, Long> versions = new java.util.concurrent.ConcurrentHashMap<>();
            private final java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();

            @Override
            public Object version(String name) {
                return versions.get(name);
            }

            @Override
            public byte[] read(String name) {
                byte[] b = docs.get(name);
                return b == null ? null : b.clone();
            }

            @Override
            public synchronized <T> T locked(Callable<T> action) throws IOException {
                return SecureFiles.call(action);
            }

            @Override
            public void write(String name, byte[] content) {
                docs.put(name, content.clone());
                versions.put(name, next.incrementAndGet());
            }

            @Override
            public String where() {
                return "memory";
            }
        };
    }

    /**
     * @param dir the folder; each document is a file of it (mode 0600), replaced atomically, and the folder's lock
     *        file excludes other writers
     * @return the documents of that folder
     */
    static Documents folder(Path dir) {
        return new Documents() {
            @Override
            public Object version(String name) throws IOException {
                try {
                    // every write replaces the file (a new inode); file times alone are too coarse
                    BasicFileAttributes a = Files.readAttributes(dir.resolve(name), BasicFileAttributes.class);
                    return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
                } catch (java.nio.file.NoSuchFileException e) {
                    return null;
                }
            }

            @Override
            public byte[] read(String name) throws IOException {
                Path f = dir.resolve(name);
                return Files.isRegularFile(f) ? Files.readAllBytes(f) : null;
            }

            @Override
            public <T> T locked(Callable<T> action) throws IOException {
                return SecureFiles.locked(dir, action);
            }

            @Override
            public void write(String name, byte[] content) throws IOException {
                SecureFiles.write(dir.resolve(name), content);
            }

            @Override
            public String where() {
                return dir.toString();
            }
        };
    }
}
