package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class CompilerThreadsTest {

    @Test
    void theJitCompilerThreadsGetTheNiceValueAndNoOtherThreadDoes() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/renice")) || Files.isExecutable(Path.of("/bin/renice")),
                "renice is needed");
        long self = Long.parseLong(Path.of("/proc/thread-self").toRealPath().getFileName().toString());
        int before = nice(self);
        List<Long> changed = CompilerThreads.lower(3);
        assertThat(changed).as("a JVM with a JIT has compiler threads").isNotEmpty().doesNotContain(self);
        for (long id : changed) {
            assertThat(nice(id)).as("thread %d", id).isEqualTo(3);
        }
        assertThat(nice(self)).isEqualTo(before);
    }

    /** @return the nice value of a thread of this process, from {@code /proc/self/task/ID/stat} */
    private static int nice(long id) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task", Long.toString(id), "stat"), StandardCharsets.UTF_8);
        // the fields after the thread's name, which may hold spaces: state is the first, nice the 17th
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }
}
