package io.pvemcp.pve.sim.internal.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Synthetic but plausible RRD time series, as {@code .../rrddata} returns them: 70 points per time frame at the
 * resolution Proxmox VE keeps, a daily rhythm with noise, stable for the same object and time.
 */
final class Rrd {

    private Rrd() {
    }

    /**
     * @param timeframe {@code hour}, {@code day}, {@code week}, {@code month} or {@code year}
     * @return the step between points, in seconds
     */
    static long step(String timeframe) {
        return switch (timeframe) {
            case "day" -> 1800;
            case "week" -> 10_800;
            case "month" -> 43_200;
            case "year" -> 604_800;
            default -> 60;
        };
    }

    /**
     * @param seed distinguishes objects
     * @param time a point in time (seconds)
     * @return a load between 0 and 1 that follows the time of day, with noise
     */
    static double load(long seed, long time) {
        double day = Math.sin((time % 86_400) / 86_400.0 * 2 * Math.PI - Math.PI / 2) * 0.5 + 0.5;
        long h = (seed * 0x9E3779B97F4A7C15L) ^ (time / 60 * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 29;
        double noise = ((h & 0xffff) / 65535.0) * 0.3;
        return Math.min(1.0, 0.1 + day * 0.5 + noise);
    }

    /**
     * @param timeframe the time frame
     * @param now the current time (seconds)
     * @param point makes the values of one point from its time
     * @return the series, oldest first
     */
    static List<Map<String, Object>> series(String timeframe, long now, Function<Long, Map<String, Object>> point) {
        long step = step(timeframe);
        long end = now / step * step;
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 69; i >= 0; i--) {
            long t = end - i * step;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time", t);
            m.putAll(point.apply(t));
            out.add(m);
        }
        return out;
    }

    static double round(double v) {
        return Math.round(v * 1_000_000) / 1_000_000.0;
    }
}
