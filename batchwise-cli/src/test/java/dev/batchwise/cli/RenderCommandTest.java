package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.cli.bench.workloads.HeatmapBatch;
import dev.batchwise.cli.render.Colormap;
import dev.batchwise.cli.render.HeatmapGrid;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code batchwise render heatmap}: the PNG's layout, the stamp peaks and the centre markers. */
class RenderCommandTest {
    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void writesAGridWithPeaksAndMarkedCentres(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("maps.png");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = run(out, err, "render", "heatmap", "--output", png.toString(), "--maps", "8", "--columns", "4",
                "--scale", "5", "--device", "cpu");
        assertEquals(0, exit, err.toString());
        assertTrue(out.toString().contains("wrote " + png), out.toString());
        BufferedImage img = ImageIO.read(png.toFile());
        int gap = HeatmapGrid.GAP;
        assertEquals(4 * 50 * 5 + 5 * gap, img.getWidth());
        assertEquals(2 * 20 * 5 + 3 * gap, img.getHeight());
        assertEquals(HeatmapGrid.BACKGROUND, img.getRGB(0, 0) & 0xffffff);

        HeatmapBatch b = HeatmapBatch.w3("W3-a");
        int checked = 0;
        for (int m = 0; m < 8; m++) {
            for (int t = 0; t < b.sizes()[m]; t++) {
                int p = m * b.slots() + t;
                int x = HeatmapGrid.originX(m, 4, 250) + b.centers()[2 * p] * 5;
                int y = HeatmapGrid.originY(m, 4, 100) + b.centers()[2 * p + 1] * 5;
                // Inside the cell: the peak (1.0) colour; on the outline: the marker.
                assertEquals(Colormap.VIRIDIS.rgb(1f), img.getRGB(x + 2, y + 2) & 0xffffff, "map " + m + " object " + t);
                assertEquals(HeatmapGrid.MARKER, img.getRGB(x - 1, y + 2) & 0xffffff);
                checked++;
            }
        }
        assertTrue(checked > 20, "objects checked: " + checked);
    }

    @Test
    void badOptionsAreUsageErrors(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(2, run(out, err, "render", "heatmap", "--workload", "W9", "--output", dir.resolve("x.png").toString()));
        assertTrue(err.toString().contains("unknown heatmap workload 'W9'"), err.toString());
        assertEquals(2, run(out, err, "render", "heatmap", "--stamp", "DALI_FLOAT_CENTERS"));
    }

    @Test
    void colormapsSpanTheirAnchors() {
        assertEquals(0x440154, Colormap.VIRIDIS.rgb(0f));
        assertEquals(0xfde725, Colormap.VIRIDIS.rgb(1f));
        assertEquals(0xfde725, Colormap.VIRIDIS.rgb(7f));
        int grey = Colormap.GRAY.rgb(0.5f);
        assertEquals(grey >> 16, grey & 0xff);
        assertTrue(Math.abs((grey & 0xff) - 128) <= 1, Integer.toHexString(grey));
        assertEquals(0, Colormap.HOT.rgb(Float.NaN));
    }
}
