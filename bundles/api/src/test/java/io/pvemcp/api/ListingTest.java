package io.pvemcp.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

class ListingTest {

    @Test
    void matchesShellPatternsIgnoringCase() {
        assertThat(Listing.matches("web*", "Web01")).isTrue();
        assertThat(Listing.matches("web*", "db-web")).isFalse();
        assertThat(Listing.matches("db", "prod-DB-1")).as("a plain pattern matches exactly").isFalse();
        assertThat(Listing.matches("tmp", "tmpfs-critical")).isFalse();
        assertThat(Listing.matches("TMP", "tmp")).isTrue();
        assertThat(Listing.matches("*db*", "prod-DB-1")).isTrue();
        assertThat(Listing.matches("k8s-node?", "k8s-node2")).isTrue();
        assertThat(Listing.matches("k8s-node?", "k8s-node12")).isFalse();
        assertThat(Listing.matches("a.b", "axb")).isFalse();
        assertThat(Listing.matches("*", null)).isFalse();
    }

    @Test
    void cutsASortedListAndCountsWhatWasLeftOut() {
        Listing.Page<Integer> page = Listing.page(List.of(5, 3, 9, 1), Comparator.naturalOrder(), 2);
        assertThat(page.items()).containsExactly(1, 3);
        assertThat(page.total()).isEqualTo(4);
        assertThat(page.omitted()).isEqualTo(2);
        assertThat(Listing.page(List.of(2, 1), null, 10).items()).containsExactly(2, 1);
        assertThatThrownBy(() -> Listing.page(List.of(), null, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
