package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        int before = CompilerThreads.nice(self);
        List<Long> changed = CompilerThreads.lower(3);
        assertThat(changed).as("a JVM with a JIT has compiler threads").isNotEmpty().doesNotContain(self);
        for (long id : changed) {
            assertThat(CompilerThreads.nice(id)).as("thread %d", id).isEqualTo(3);
        }
        assertThat(CompilerThreads.nice(self)).isEqualTo(before);
    }
}
