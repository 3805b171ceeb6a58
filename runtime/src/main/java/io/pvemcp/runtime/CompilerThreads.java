package io.pvemcp.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.LoggerFactory;

/**
 * The JVM's JIT compiler threads at a lower scheduling priority (on Linux: a higher nice value, set with
 * {@code renice}), so that on a small machine they take a core only when the server's own threads leave it: the start
 * and the calls come first, compilation fills the time between. On two cores the compilers otherwise take about half of
 * the CPU of a start from the thread that starts the bundles. {@code PVEMCP_JIT_NICE} sets the value of C1's threads
 * (default {@value #DEFAULT_NICE}, {@code 0} leaves all of them as they are); C2's threads, which optimise the code that
 * stays hot, get the lowest priority, {@value #C2_NICE}, so that on the core the server leaves C1's quick compilations
 * of the start come before them. Where there is no {@code /proc} or no {@code renice}, nothing changes.
 */
final class CompilerThreads {

    static final String ENV = "PVEMCP_JIT_NICE";
    static final int DEFAULT_NICE = 10;
    /** The nice value of C2's threads. */
    static final int C2_NICE = 19;
    /** How the JVM names C2's threads ({@code /proc/self/task/ID/comm} holds the first 15 characters). */
    private static final String C2_NAME = "C2 CompilerThre";

    private CompilerThreads() {
    }

    /** Lowers the compilers' priority on a thread of its own, as {@value #ENV} says, while the start goes on. */
    static void lowerInBackground() {
        int nice;
        try {
            String v = System.getenv(ENV);
            nice = v == null || v.isBlank() ? DEFAULT_NICE : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            System.err.println("warning: " + ENV + " must be a number from 0 to 19; the JIT's priority stays as it is");
            return;
        }
        if (nice <= 0 || !Files.isDirectory(Path.of("/proc/self/task"))) {
            return;
        }
        int value = Math.min(nice, 19);
        Thread t = new Thread(() -> {
            try {
                lower(value, Math.max(value, C2_NICE));
            } catch (IOException e) {
                LoggerFactory.getLogger(CompilerThreads.class).debug("JIT compiler threads left at their priority: {}",
                        e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pvemcp-jit-priority");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Sets the nice values of this process's compiler threads.
     *
     * @param nice the value of C1's threads (1 to 19: a process may lower its own threads' priority, not raise it)
     * @param c2Nice the value of C2's threads
     * @return the threads changed, by id, with their names (empty if there were none to find)
     * @throws IOException if {@code renice} cannot run or fails
     */
    static Map<Long, String> lower(int nice, int c2Nice) throws IOException, InterruptedException {
        Map<Long, String> threads = compilerThreads();
        List<Long> c1 = new ArrayList<>();
        List<Long> c2 = new ArrayList<>();
        threads.forEach((id, name) -> (name.startsWith(C2_NAME) ? c2 : c1).add(id));
        renice(nice, c1);
        renice(c2Nice, c2);
        return threads;
    }

    private static void renice(int nice, List<Long> ids) throws IOException, InterruptedException {
        if (ids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("renice", "-n", Integer.toString(nice), "-p"));
        ids.forEach(id -> command.add(Long.toString(id)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("renice did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IOException("renice exited with " + p.exitValue());
        }
    }

    /**
     * @return the ids of this process's JIT compiler threads (C1, C2, JVMCI) with their names, from
     *         {@code /proc/self/task}
     */
    static Map<Long, String> compilerThreads() throws IOException {
        Map<Long, String> ids = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String name;
                try {
                    name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8);
                } catch (IOException gone) {
                    continue;
                }
                if (name.contains("CompilerThre")) {
                    ids.put(Long.parseLong(task.getFileName().toString()), name.strip());
                }
            }
        }
        return ids;
    }
}
