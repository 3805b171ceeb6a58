package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CompilerThreadsTest {

    @Test
    void theJitCompilerThreadsGetTheirNiceValuesAndNoOtherThreadDoes() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/renice")) || Files.isExecutable(Path.of("/bin/renice")),
                "renice is needed");
        long self = Long.parseLong(Path.of("/proc/thread-self").toRealPath().getFileName().toString());
        int before = nice(self);
        Map<Long, String> changed = CompilerThreads.lower(3, 5);
        assertThat(changed.values()).as("a JVM with tiered compilation has C1 and C2 threads")
                .anyMatch(n -> n.startsWith("C1 ")).anyMatch(n -> n.startsWith("C2 "));
        assertThat(changed).doesNotContainKey(self);
        Set<String> checked = new HashSet<>();
        changed.forEach((id, name) -> {
            // the JVM may end a compiler thread it started for a busy moment; the first of each kind stays
            Integer nice = nice(id);
            if (nice != null) {
                assertThat(nice).as("thread %d (%s)", id, name).isEqualTo(name.startsWith("C2 ") ? 5 : 3);
                checked.add(name.substring(0, 2));
            }
        });
        assertThat(checked).contains("C1", "C2");
        assertThat(nice(self)).isEqualTo(before);
    }

    /** @return the nice value of a thread of this process, from {@code /proc/self/task/ID/stat}; null once it ended */
    private static Integer nice(long id) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/self/task", Long.toString(id), "stat"), StandardCharsets.UTF_8);
        } catch (IOException gone) {
            return null;
        }
        // the fields after the thread's name, which may hold spaces: state is the first, nice the 17th
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }
}
