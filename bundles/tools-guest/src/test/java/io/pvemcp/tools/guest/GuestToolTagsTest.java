package io.pvemcp.tools.guest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GuestToolTagsTest {

    @Test
    void splitsAtSemicolonsCommasAndSpacesAsProxmoxWritesThem() {
        assertThat(GuestTool.tags("production;web")).containsExactly("production", "web");
        assertThat(GuestTool.tags(" a , b;;c\td ")).containsExactly("a", "b", "c", "d");
        assertThat(GuestTool.tags("single")).containsExactly("single");
    }

    @Test
    void noneWhenThereAreNoTags() {
        assertThat(GuestTool.tags(null)).isEmpty();
        assertThat(GuestTool.tags("  ")).isEmpty();
        assertThat(GuestTool.tags(42)).isEmpty();
    }
}
