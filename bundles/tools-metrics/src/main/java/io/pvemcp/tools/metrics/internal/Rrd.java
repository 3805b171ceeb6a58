package io.pvemcp.tools.metrics.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import io.pvemcp.api.Json;

/**
 * The series of a Proxmox VE {@code rrddata} answer as a model reads them (each series' minimum, average, maximum and
 * last value, the busiest intervals) and as a person looks at them (the panels of a {@link Chart}).
 */
final class Rrd {

    /** What a series measures, for its unit in words and on the chart's axis. */
    enum Unit {
        PERCENT, BYTES_PER_SECOND, LOAD
    }

    /**
     * A series to take from the points.
     *
     * @param key its name in the result, e.g. {@code cpu_percent}
     * @param legend its name on the chart, e.g. {@code CPU}
     * @param panel the chart panel it is drawn in, e.g. {@code CPU %}
     * @param unit its unit
     * @param value its value in a point; {@code NaN} where the point has none
     */
    record Spec(String key, String legend, String panel, Unit unit, ToDoubleFunction<Map<String, Object>> value) {
    }

    static final List<Spec> NODE = List.of(
            new Spec("cpu_percent", "cpu", "CPU %", Unit.PERCENT, p -> get(p, "cpu") * 100),
            new Spec("iowait_percent", "io wait", "CPU %", Unit.PERCENT, p -> get(p, "iowait") * 100),
            new Spec("memory_percent", "used", "Memory %", Unit.PERCENT, p -> ratio(p, "memused", "memtotal")),
            new Spec("swap_percent", "swap", "Memory %", Unit.PERCENT, p -> ratio(p, "swapused", "swaptotal")),
            new Spec("net_in_bytes_per_s", "in", "Network B/s", Unit.BYTES_PER_SECOND, p -> get(p, "netin")),
            new Spec("net_out_bytes_per_s", "out", "Network B/s", Unit.BYTES_PER_SECOND, p -> get(p, "netout")),
            new Spec("loadavg", "load", "Load", Unit.LOAD, p -> get(p, "loadavg")));
    static final List<Spec> GUEST = List.of(
            new Spec("cpu_percent", "cpu", "CPU %", Unit.PERCENT, p -> get(p, "cpu") * 100),
            new Spec("memory_percent", "used", "Memory %", Unit.PERCENT, p -> ratio(p, "mem", "maxmem")),
            new Spec("net_in_bytes_per_s", "in", "Network B/s", Unit.BYTES_PER_SECOND, p -> get(p, "netin")),
            new Spec("net_out_bytes_per_s", "out", "Network B/s", Unit.BYTES_PER_SECOND, p -> get(p, "netout")),
            new Spec("disk_read_bytes_per_s", "read", "Disk I/O B/s", Unit.BYTES_PER_SECOND, p -> get(p, "diskread")),
            new Spec("disk_write_bytes_per_s", "write", "Disk I/O B/s", Unit.BYTES_PER_SECOND,
                    p -> get(p, "diskwrite")));
    static final List<Spec> STORAGE = List.of(
            new Spec("usage_percent", "used", "Usage %", Unit.PERCENT, p -> ratio(p, "used", "total")));

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final List<Map<String, Object>> points;
    private final long[] times;
    private final Map<Spec, double[]> values = new LinkedHashMap<>();

    /**
     * @param data the {@code rrddata} answer
     * @param specs the series to take
     */
    Rrd(Object data, List<Spec> specs) {
        points = new ArrayList<>();
        for (Object o : Json.list(data)) {
            points.add(Json.map(o));
        }
        times = new long[points.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = Json.longValue(points.get(i), "time", 0);
        }
        for (Spec s : specs) {
            double[] v = new double[points.size()];
            boolean any = false;
            for (int i = 0; i < v.length; i++) {
                v[i] = s.value().applyAsDouble(points.get(i));
                any |= !Double.isNaN(v[i]);
            }
            if (any) {
                values.put(s, v);
            }
        }
    }

    int size() {
        return times.length;
    }

    long from() {
        return times.length == 0 ? 0 : times[0];
    }

    long to() {
        return times.length == 0 ? 0 : times[times.length - 1];
    }

    /** @return each series with data: its minimum, average, maximum, last value and when it peaked */
    Map<String, Object> summary() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : values.entrySet()) {
            double[] v = e.getValue();
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            int n = 0;
            double last = Double.NaN;
            long peak = 0;
            for (int i = 0; i < v.length; i++) {
                if (Double.isNaN(v[i])) {
                    continue;
                }
                min = Math.min(min, v[i]);
                if (v[i] > max) {
                    max = v[i];
                    peak = times[i];
                }
                sum += v[i];
                n++;
                last = v[i];
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("min", round(min));
            s.put("avg", round(sum / n));
            s.put("max", round(max));
            s.put("last", round(last));
            s.put("peak_at", Instant.ofEpochSecond(peak).toString());
            out.put(e.getKey().key(), s);
        }
        return out;
    }

    /**
     * @param key a series, e.g. {@code cpu_percent}
     * @param count how many
     * @return the points where it was highest, highest first: time and value
     */
    List<Map<String, Object>> busiest(String key, int count) {
        double[] v = values.entrySet().stream().filter(e -> e.getKey().key().equals(key)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
        if (v == null) {
            return List.of();
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isNaN(v[i])) {
                order.add(i);
            }
        }
        order.sort((a, b) -> Double.compare(v[b], v[a]));
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i : order.subList(0, Math.min(count, order.size()))) {
            out.add(Map.of("time", Instant.ofEpochSecond(times[i]).toString(), key, round(v[i])));
        }
        return out;
    }

    /** @return the chart's panels, one per panel name, in the order of the specs */
    List<Chart.Panel> panels() {
        Map<String, List<Spec>> byPanel = new LinkedHashMap<>();
        for (Spec s : values.keySet()) {
            byPanel.computeIfAbsent(s.panel(), k -> new ArrayList<>()).add(s);
        }
        List<Chart.Panel> out = new ArrayList<>();
        for (var e : byPanel.entrySet()) {
            Unit unit = e.getValue().get(0).unit();
            List<double[]> series = new ArrayList<>();
            double max = 0;
            for (Spec s : e.getValue()) {
                double[] v = values.get(s);
                series.add(v);
                for (double d : v) {
                    if (!Double.isNaN(d)) {
                        max = Math.max(max, d);
                    }
                }
            }
            double top = unit == Unit.PERCENT ? Math.max(100, max) : max * 1.1;
            out.add(new Chart.Panel(e.getKey(), e.getValue().stream().map(Spec::legend).toList(), series, top,
                    unit == Unit.PERCENT ? d -> Math.round(d) + "%" : unit == Unit.LOAD
                            ? d -> String.format(java.util.Locale.ROOT, "%.1f", d) : Rrd::compact));
        }
        return out;
    }

    /**
     * @param epoch a time
     * @param timeframe the time frame shown
     * @return how the chart's time axis writes it: the clock for an hour or a day, the date beyond
     */
    static String axisTime(long epoch, String timeframe) {
        Instant t = Instant.ofEpochSecond(epoch);
        return ("hour".equals(timeframe) || "day".equals(timeframe) ? CLOCK.format(t) : DATE.format(t)) + " UTC";
    }

    /** @return e.g. {@code 2.5 MB}, {@code 512 B}, in powers of 1024 */
    static String bytes(double b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (Math.abs(b) >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return (u == 0 ? Long.toString(Math.round(b)) : String.format(java.util.Locale.ROOT, "%.1f", b)) + " "
                + units[u];
    }

    /** @return an axis label of bytes, e.g. {@code 2.7M}, {@code 512}, in powers of 1024 */
    static String compact(double b) {
        String[] units = {"", "K", "M", "G", "T"};
        int u = 0;
        while (Math.abs(b) >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return (u == 0 || b >= 100 ? Long.toString(Math.round(b)) : String.format(java.util.Locale.ROOT, "%.1f", b))
                + units[u];
    }

    static double round(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? 0 : Math.round(v * 100) / 100.0;
    }

    private static double get(Map<String, Object> p, String key) {
        return p.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static double ratio(Map<String, Object> p, String used, String total) {
        double t = get(p, total);
        return t > 0 ? get(p, used) / t * 100 : Double.NaN;
    }
}
