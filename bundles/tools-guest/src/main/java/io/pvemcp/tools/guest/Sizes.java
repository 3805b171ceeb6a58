package io.pvemcp.tools.guest;

import java.util.Locale;

/** Sizes and durations as people read them. */
public final class Sizes {

    private Sizes() {
    }

    /**
     * @param bytes a size
     * @return e.g. {@code 512 MiB}, {@code 4.0 GiB}, {@code 1.5 TiB}
     */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return v >= 100 || v == Math.rint(v) && u <= 1 ? String.format(Locale.ROOT, "%.0f %s", v, units[u])
                : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /**
     * @param seconds a duration
     * @return e.g. {@code 45 s}, {@code 3 h 12 min}, {@code 12 d 4 h}
     */
    public static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
        }
        return seconds / 86_400 + " d " + seconds % 86_400 / 3600 + " h";
    }
}
