package io.pvemcp.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class McpSessionsTest {

    @Test
    void answersWithTheRequestedVersionWhenItKnowsItAndTheNewestOtherwise() {
        assertThat(McpSessions.negotiate("2025-11-25")).isEqualTo("2025-11-25");
        assertThat(McpSessions.negotiate("2025-06-18")).isEqualTo("2025-06-18");
        assertThat(McpSessions.negotiate("2025-03-26")).isEqualTo("2025-03-26");
        assertThat(McpSessions.negotiate("2024-11-05")).isEqualTo("2025-11-25");
        assertThat(McpSessions.negotiate(null)).isEqualTo("2025-11-25");
    }
}
