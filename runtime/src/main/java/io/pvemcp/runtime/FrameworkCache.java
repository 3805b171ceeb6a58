package io.pvemcp.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pvemcp.security.store.SecureFiles;

/**
 * The framework's cache (its storage folder), kept from one start of a command to the next, so that Felix reads the
 * installed bundles back rather than installing each again: about 0.15 s of every start (docs/performance.md).
 * <p>
 * Each command has a few slots, {@code DATA/cache/framework-COMMAND-N}. A process holds its slot with a file lock for its whole life, so that processes running side
 * by side (desktop clients start several {@code stdio} servers) never share one; the lock goes with the process,
 * however it ends. A slot is reused only if it was filled from the same bundle files (their paths, sizes and times)
 * by a start that completed; otherwise it is emptied first. When every slot is held, the process gets a temporary
 * cache, deleted when it ends, as every start had before.
 */
final class FrameworkCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FrameworkCache.class);
    static final int SLOTS = 4;
    private static final String KEY = "key";

    private final Path storage;
    private final Path keyFile;
    private final String key;
    private final boolean reused;
    private final FileChannel lock;

    private FrameworkCache(Path storage, Path keyFile, String key, boolean reused, FileChannel lock) {
        this.storage = storage;
        this.keyFile = keyFile;
        this.key = key;
        this.reused = reused;
        this.lock = lock;
    }

    /**
     * Takes a free slot of a command.
     *
     * @param root the folder of the caches
     * @param command the command ({@code serve}, {@code stdio}, {@code sim})
     * @param bundles the bundle files the framework installs, in order
     * @return the cache; a temporary one if no slot is free or usable
     * @throws IOException if not even a temporary folder can be made
     */
    static FrameworkCache open(Path root, String command, List<Path> bundles) throws IOException {
        String key = key(bundles);
        for (int i = 0; i < SLOTS; i++) {
            Path slot = root.resolve("framework-" + command + "-" + i);
            FileChannel channel = null;
            try {
                SecureFiles.privateDirectory(slot);
                channel = FileChannel.open(slot.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = channel.tryLock();
                if (held == null) {
                    channel.close();
                    continue;
                }
                Path keyFile = slot.resolve(KEY);
                boolean same = Files.isRegularFile(keyFile)
                        && key.equals(Files.readString(keyFile, StandardCharsets.UTF_8));
                Path storage = slot.resolve("felix");
                if (!same) {
                    Files.deleteIfExists(keyFile);
                    delete(storage);
                }
                return new FrameworkCache(storage, keyFile, key, same, channel);
            } catch (IOException | OverlappingFileLockException e) {
                LOG.debug("framework cache slot {} is not usable: {}", slot, e.toString());
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // nothing held
                    }
                }
            }
        }
        Path temporary = Files.createTempDirectory("proxmox-mcp-" + command + "-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(temporary), "proxmox-mcp-cache-cleanup"));
        return new FrameworkCache(temporary, null, key, false, null);
    }

    /**
     * @return the folder of the framework caches: {@code data/cache}, beside the class archives. Not
     *         {@code PVEMCP_CACHE}, which may be shared by several data folders: a framework cache holds the bundles'
     *         own storage, which belongs to one.
     */
    static Path root(Path data) {
        return data.resolve("cache");
    }

    /** Deletes the framework cache of earlier versions, {@code data/felix-cache}, made anew at every start. */
    static void forgetOld(Path data) {
        delete(data.resolve("felix-cache"));
    }

    /** @return the framework's storage folder */
    Path storage() {
        return storage;
    }

    /** @return whether the framework finds the bundles of an earlier start here */
    boolean reused() {
        return reused;
    }

    /** Records that a start completed with this cache: the next start may reuse it. */
    void completed() {
        if (keyFile == null || reused) {
            return;
        }
        try {
            SecureFiles.write(keyFile, key.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.debug("framework cache key not written: {}", e.toString());
        }
    }

    /** Empties the cache: the framework could not start from it. */
    FrameworkCache discard() {
        if (keyFile != null) {
            try {
                Files.deleteIfExists(keyFile);
            } catch (IOException e) {
                LOG.debug("framework cache key not deleted: {}", e.toString());
            }
        }
        delete(storage);
        return new FrameworkCache(storage, keyFile, key, false, lock);
    }

    /** Gives the slot up (the process does when it ends, however it ends); a temporary cache is deleted. */
    @Override
    public void close() {
        if (lock == null) {
            delete(storage);
            return;
        }
        try {
            lock.close();
        } catch (IOException e) {
            LOG.debug("framework cache lock not released: {}", e.toString());
        }
    }

    private static String key(List<Path> bundles) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Path felix = Path.of(org.apache.felix.framework.Felix.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
            for (Path p : Stream.concat(Stream.of(felix), bundles.stream()).toList()) {
                String line = p.toAbsolutePath() + " " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis()
                        + "\n";
                sha.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException | NoSuchAlgorithmException | java.net.URISyntaxException | SecurityException e) {
            // no key: never reused
            return "none " + System.nanoTime();
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", dir, e.toString());
        }
    }
}
