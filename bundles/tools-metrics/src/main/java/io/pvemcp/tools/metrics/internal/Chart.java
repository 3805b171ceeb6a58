package io.pvemcp.tools.metrics.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A line chart of time series as a PNG image, drawn into a plain pixel array with a built-in 5×7 font: no display,
 * no AWT and no installed fonts are needed, so it draws the same on a server without either. Panels are stacked
 * from top to bottom and share the time axis.
 */
final class Chart {

    static final int WIDTH = 800;
    private static final int SCALE = 2;
    private static final int GLYPH_W = 6 * SCALE;
    private static final int LINE_H = 9 * SCALE;
    private static final int LEFT = 96;
    private static final int RIGHT = 16;
    private static final int BACKGROUND = 0xFFFFFF;
    private static final int INK = 0x222222;
    private static final int GRID = 0xDDDDDD;
    /** Series colours, in order: blue, orange, green, red. */
    static final int[] COLOURS = {0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728};

    /**
     * One panel.
     *
     * @param title e.g. {@code CPU %}
     * @param names the series' names, for the legend
     * @param values the series, each as long as the time axis; {@code NaN} where there is no value
     * @param max the top of the value axis (at least the largest value)
     * @param label writes a value of the axis, e.g. {@code 100%} or {@code 2.5 MB/s}
     */
    record Panel(String title, List<String> names, List<double[]> values, double max, DoubleFunction<String> label) {
    }

    private final int height;
    private final int[] pixels;

    private Chart(int height) {
        this.height = height;
        this.pixels = new int[WIDTH * height];
        java.util.Arrays.fill(pixels, BACKGROUND);
    }

    /**
     * @param title the chart's title, e.g. {@code VM 100 WEB01 - LAST HOUR}
     * @param panels the panels, top to bottom
     * @param from the time axis' start label
     * @param to the time axis' end label
     * @return the PNG image
     */
    static byte[] draw(String title, List<Panel> panels, String from, String to) {
        int panelHeight = 150;
        int top = 12 + LINE_H + 8;
        Chart c = new Chart(top + panels.size() * panelHeight + LINE_H + 12);
        c.text(LEFT, 12, title, INK);
        int y = top;
        for (Panel p : panels) {
            c.panel(p, y, panelHeight - 8);
            y += panelHeight;
        }
        c.text(LEFT, y - 2, from, INK);
        c.text(WIDTH - RIGHT - to.length() * GLYPH_W, y - 2, to, INK);
        return c.png();
    }

    private void panel(Panel p, int y0, int h) {
        int legendY = y0;
        text(LEFT, legendY, p.title(), INK);
        int x = LEFT + (p.title().length() + 2) * GLYPH_W;
        for (int i = 0; i < p.names().size(); i++) {
            int colour = COLOURS[i % COLOURS.length];
            fill(x, legendY + 2, 10, 10, colour);
            text(x + 14, legendY, p.names().get(i), INK);
            x += 14 + (p.names().get(i).length() + 2) * GLYPH_W;
        }
        int plotTop = y0 + LINE_H + 4;
        int plotBottom = y0 + h;
        int plotHeight = plotBottom - plotTop;
        int plotWidth = WIDTH - LEFT - RIGHT;
        for (int q = 0; q <= 4; q++) {
            int gy = plotBottom - plotHeight * q / 4;
            fill(LEFT, gy, plotWidth, 1, q == 0 ? INK : GRID);
        }
        fill(LEFT, plotTop, 1, plotHeight, INK);
        double max = p.max() > 0 ? p.max() : 1;
        String topLabel = p.label().apply(max);
        text(LEFT - 6 - topLabel.length() * GLYPH_W, plotTop - 6, topLabel, INK);
        String zero = p.label().apply(0);
        text(LEFT - 6 - zero.length() * GLYPH_W, plotBottom - 7, zero, INK);
        for (int s = 0; s < p.values().size(); s++) {
            double[] v = p.values().get(s);
            int colour = COLOURS[s % COLOURS.length];
            int px = -1;
            int py = -1;
            for (int i = 0; i < v.length; i++) {
                if (Double.isNaN(v[i])) {
                    px = -1;
                    continue;
                }
                int cx = LEFT + (v.length == 1 ? plotWidth / 2 : (int) Math.round(i * (plotWidth - 1.0) / (v.length - 1)));
                int cy = plotBottom - (int) Math.round(Math.min(1, Math.max(0, v[i] / max)) * plotHeight);
                if (px >= 0) {
                    line(px, py, cx, cy, colour);
                } else {
                    fill(cx - 1, cy - 1, 3, 3, colour);
                }
                px = cx;
                py = cy;
            }
        }
    }

    private void fill(int x, int y, int w, int h, int rgb) {
        for (int j = Math.max(0, y); j < Math.min(height, y + h); j++) {
            for (int i = Math.max(0, x); i < Math.min(WIDTH, x + w); i++) {
                pixels[j * WIDTH + i] = rgb;
            }
        }
    }

    /** A line two pixels thick (Bresenham). */
    private void line(int x0, int y0, int x1, int y1, int rgb) {
        int dx = Math.abs(x1 - x0);
        int dy = -Math.abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1;
        int sy = y0 < y1 ? 1 : -1;
        int err = dx + dy;
        while (true) {
            fill(x0, y0, 2, 2, rgb);
            if (x0 == x1 && y0 == y1) {
                return;
            }
            int e2 = 2 * err;
            if (e2 >= dy) {
                err += dy;
                x0 += sx;
            }
            if (e2 <= dx) {
                err += dx;
                y0 += sy;
            }
        }
    }

    private void text(int x, int y, String s, int rgb) {
        String upper = s.toUpperCase(Locale.ROOT);
        for (int k = 0; k < upper.length(); k++) {
            int[] rows = glyph(upper.charAt(k));
            for (int r = 0; r < 7; r++) {
                for (int b = 0; b < 5; b++) {
                    if ((rows[r] >> (4 - b) & 1) != 0) {
                        fill(x + k * GLYPH_W + b * SCALE, y + r * SCALE, SCALE, SCALE, rgb);
                    }
                }
            }
        }
    }

    private static final String GLYPHS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ%./:-+()";
    /** Seven rows of five bits per glyph, in the order of {@link #GLYPHS}. */
    private static final int[][] FONT = {
        {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E}, {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E},
        {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F}, {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E},
        {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02}, {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E},
        {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E}, {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08},
        {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E}, {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C},
        {0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11}, {0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E},
        {0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E}, {0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C},
        {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F}, {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10},
        {0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F}, {0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11},
        {0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E}, {0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C},
        {0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11}, {0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F},
        {0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11}, {0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11},
        {0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}, {0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10},
        {0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D}, {0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11},
        {0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E}, {0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04},
        {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}, {0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04},
        {0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A}, {0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11},
        {0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04}, {0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F},
        {0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03}, {0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C},
        {0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00}, {0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00},
        {0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00}, {0x00, 0x04, 0x04, 0x1F, 0x04, 0x04, 0x00},
        {0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02}, {0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08},
    };
    private static final int[] BLANK = new int[7];

    private static int[] glyph(char c) {
        int i = GLYPHS.indexOf(c);
        return i < 0 ? BLANK : FONT[i];
    }

    /** @return the picture as a PNG: 8-bit RGB, each row unfiltered, one zlib stream */
    private byte[] png() {
        byte[] raw = new byte[height * (1 + WIDTH * 3)];
        int o = 0;
        for (int y = 0; y < height; y++) {
            raw[o++] = 0;
            for (int x = 0; x < WIDTH; x++) {
                int p = pixels[y * WIDTH + x];
                raw[o++] = (byte) (p >> 16);
                raw[o++] = (byte) (p >> 8);
                raw[o++] = (byte) p;
            }
        }
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream(raw.length / 8);
        byte[] buf = new byte[16384];
        while (!deflater.finished()) {
            z.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream(z.size() + 64);
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(WIDTH).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(out, "IDAT", z.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
