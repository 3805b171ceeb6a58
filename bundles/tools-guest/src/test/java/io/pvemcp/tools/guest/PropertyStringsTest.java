package io.pvemcp.tools.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import io.pvemcp.api.ToolException;

import org.junit.jupiter.api.Test;

/** A value a client gives becomes exactly one value in a property string, or is refused. */
class PropertyStringsTest {

    @Test
    void refusesValuesThatWouldAddOptions() {
        for (String bad : new String[] {"vmbr0,firewall=1", "vmbr0;x", "a=b", "a\"b", "a b", "a\nb", "a\\b", ""}) {
            assertThatThrownBy(() -> PropertyStrings.value("bridge", bad)).as(bad).isInstanceOf(ToolException.class)
                    .hasMessageContaining("not a single value");
        }
        assertThat(PropertyStrings.value("bridge", "vmbr0.20")).isEqualTo("vmbr0.20");
        Map<String, Object> nic = new LinkedHashMap<>();
        nic.put("bridge", "vmbr0,tag=5");
        assertThatThrownBy(() -> PropertyStrings.format(nic)).isInstanceOf(ToolException.class)
                .hasMessageContaining("a comma");
        nic.put("bridge", "vmbr1");
        nic.put("tag", 20);
        nic.put("gw", null);
        assertThat(PropertyStrings.format(nic)).isEqualTo("bridge=vmbr1,tag=20");
    }

    @Test
    void acceptsOneVolumeIdOfTheRightContentOnly() {
        assertThat(PropertyStrings.volumeId("iso", "local:iso/debian-13.1.0-amd64-netinst.iso", "iso"))
                .isEqualTo("local:iso/debian-13.1.0-amd64-netinst.iso");
        assertThat(PropertyStrings.volumeId("disk", "local-lvm:vm-100-disk-0", null)).isEqualTo("local-lvm:vm-100-disk-0");
        for (String bad : new String[] {"local:iso/debian.iso,cache=unsafe", "local:iso/a b.iso", "local:iso/x;y",
            "local:iso/../../etc/passwd", "local:../x", "1local:iso/x.iso", "local", ":iso/x.iso", "local:iso/x.iso\n"}) {
            assertThatThrownBy(() -> PropertyStrings.volumeId("iso", bad, "iso")).as(bad)
                    .isInstanceOf(ToolException.class).hasMessageContaining("is not a volume id");
        }
        assertThatThrownBy(() -> PropertyStrings.volumeId("iso", "local:vztmpl/x.tar.zst", "iso"))
                .hasMessageContaining("not in the iso content");
        assertThat("local:iso/debian-13.1.0-amd64-netinst.iso,cache=unsafe".matches("^" + PropertyStrings.STORAGE_ID
                + ":iso/[A-Za-z0-9._+@-]+$")).as("the schema pattern tools use").isFalse();
    }
}
