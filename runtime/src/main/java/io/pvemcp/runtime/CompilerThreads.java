package io.pvemcp.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.LoggerFactory;

/**
 * The JVM's JIT compiler threads at a lower scheduling priority (on Linux: a higher nice value, set with
 * {@code renice}), so that on a small machine they take a core only when the server's own threads leave it: the start
 * and the calls come first, compilation fills the time between. On two cores the compilers otherwise take about half of
 * the CPU of a start from the thread that starts the bundles. {@code PVEMCP_JIT_NICE} sets the value (default
 * {@value #DEFAULT_NICE}, {@code 0} leaves the threads as they are); where there is no {@code /proc} or no
 * {@code renice}, nothing changes.
 */
final class CompilerThreads {

    static final String ENV = "PVEMCP_JIT_NICE";
    static final int DEFAULT_NICE = 10;

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
                lower(value);
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
     * Sets the nice value of this process's compiler threads.
     *
     * @param nice the value (1 to 19: a process may lower its own threads' priority, not raise it)
     * @return the threads changed (empty if there were none to find)
     * @throws IOException if {@code renice} cannot run or fails
     */
    static List<Long> lower(int nice) throws IOException, InterruptedException {
        List<Long> ids = compilerThreads();
        if (ids.isEmpty()) {
            return ids;
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
        return ids;
    }

    /** @return the ids of this process's JIT compiler threads (C1, C2, JVMCI), from {@code /proc/self/task} */
    static List<Long> compilerThreads() throws IOException {
        List<Long> ids = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String name;
                try {
                    name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8);
                } catch (IOException gone) {
                    continue;
                }
                if (name.contains("CompilerThre")) {
                    ids.add(Long.parseLong(task.getFileName().toString()));
                }
            }
        }
        return ids;
    }
}
