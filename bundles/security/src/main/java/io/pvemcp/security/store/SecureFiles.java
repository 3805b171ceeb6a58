package io.pvemcp.security.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Files that hold secrets: folders only their owner can enter (0700), files only their owner can read (0600),
 * written whole or not at all (a temporary file moved into place), and read-modify-write cycles serialised
 * across processes (the server and the command line) with a lock file.
 */
public final class SecureFiles {

    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

    private SecureFiles() {
    }

    /**
     * Creates a folder (and its parents) readable by its owner only, or tightens an existing one.
     *
     * @param dir the folder
     * @return {@code dir}
     * @throws IOException if it cannot be created
     */
    public static Path privateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        permissions(dir, DIR);
        return dir;
    }

    /**
     * Writes a file readable by its owner only; readers never see it half written.
     *
     * @param file the file
     * @param content its new content
     * @throws IOException if it cannot be written
     */
    public static void write(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        privateDirectory(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            permissions(tmp, FILE);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Creates an empty file readable by its owner only, unless it exists; tightens its permissions either way.
     *
     * @param file the file
     * @throws IOException if it cannot be created
     */
    public static void createPrivateFile(Path file) throws IOException {
        privateDirectory(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            // keep it
        }
        permissions(file, FILE);
    }

    /**
     * Runs an action while holding the folder's lock file, so that a second process waits.
     *
     * @param dir the folder
     * @param action what to do
     * @param <T> the result type
     * @return the action's result
     * @throws IOException if the lock cannot be taken or the action fails with one
     */
    public static <T> T locked(Path dir, Callable<T> action) throws IOException {
        FolderLock lock = folderLock(dir);
        // closed while this thread still holds the monitor: closing a channel may release the process's locks on the
        // file, so no other thread may hold one then
        synchronized (lock.monitor) {
            try {
                return lock.run(action);
            } finally {
                lock.channel.close();
            }
        }
    }

    /** Runs an action, passing on its I/O and runtime exceptions, and any other as an I/O exception. */
    static <T> T call(Callable<T> action) throws IOException {
        try {
            return action.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * A folder's lock file kept open, for a writer that takes the lock for every record (the audit trail): the same
     * lock as {@link #locked}, without opening and checking the files each time.
     *
     * @param dir the folder
     * @return the lock, to be closed when done
     * @throws IOException if the lock file cannot be opened
     */
    public static FolderLock folderLock(Path dir) throws IOException {
        privateDirectory(dir);
        Path lock = dir.resolve(".lock");
        createPrivateFile(lock);
        return new FolderLock(MONITORS.computeIfAbsent(lock.toAbsolutePath().normalize().toString(), k -> new Object()),
                FileChannel.open(lock, StandardOpenOption.WRITE));
    }

    /**
     * See {@link #folderLock}. A file lock is held by the whole process: threads of one process take turns on a
     * monitor per lock file first, or the second would fail with OverlappingFileLockException instead of waiting.
     */
    public static final class FolderLock implements java.io.Closeable {
        private final Object monitor;
        private final FileChannel channel;

        FolderLock(Object monitor, FileChannel channel) {
            this.monitor = monitor;
            this.channel = channel;
        }

        /**
         * @param action what to do while holding the lock
         * @param <T> the result type
         * @return the action's result
         * @throws IOException if the lock cannot be taken or the action fails with one
         */
        public <T> T run(Callable<T> action) throws IOException {
            synchronized (monitor) {
                try (FileLock l = channel.lock()) {
                    return call(action);
                }
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (monitor) {
                channel.close();
            }
        }
    }

    /** One monitor per lock file of this process; a handful of folders, never removed. */
    private static final java.util.Map<String, Object> MONITORS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param file a file
     * @return {@code true} if others than its owner may read it (never on file systems without POSIX permissions)
     * @throws IOException if it cannot be read
     */
    public static boolean readableByOthers(Path file) throws IOException {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    private static void permissions(Path path, Set<PosixFilePermission> perms) throws IOException {
        try {
            Files.setPosixFilePermissions(path, perms);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): its ACLs apply
        }
    }
}
