package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.cli.bench.workloads.HeatmapBatch;
import dev.batchwise.cli.render.Colormap;
import dev.batchwise.cli.render.HeatmapGrid;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Npz;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
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
    void rendersTheMapsAndObjectsOfAnNpz(@TempDir Path dir) throws Exception {
        Path npz = dir.resolve("batch.npz");
        try (Scope scope = Scope.open()) {
            Tensor maps = Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3, 10, 12);
            maps.set(0.25, 1, 2, 9, 11); // existing content is kept where it is larger
            Npz.write(npz, java.util.Map.of(
                    "maps", maps,
                    "centers", Tensor.of(new long[] {3, 4, 8, 2, 5, 5, 0, 0}, 2, 2, 2),
                    "radii", Tensor.of(new long[] {2, 1, 0, 0}, 2, 2),
                    "labels", Tensor.of(new int[] {1, 2, 0, 0}, 2, 2),
                    "sample_sizes", Tensor.of(new int[] {2, 1}, 2)));
        }
        Path png = dir.resolve("npz.png");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = run(out, err, "render", "heatmap", "--input", npz.toString(), "--output", png.toString(),
                "--columns", "3", "--scale", "4", "--device", "cpu");
        assertEquals(0, exit, err.toString());
        assertTrue(out.toString().contains("maps 0..5 of 6") && out.toString().contains("3 objects"), out.toString());
        BufferedImage img = ImageIO.read(png.toFile());
        int gap = HeatmapGrid.GAP;
        assertEquals(3 * 12 * 4 + 4 * gap, img.getWidth());
        assertEquals(2 * 10 * 4 + 3 * gap, img.getHeight());
        // Sample 0, object 0: label 1 -> map 1, centre (3, 4); sample 1 object 0: label 0 -> map 3, centre (5, 5).
        int[][] peaks = {{1, 3, 4}, {2, 8, 2}, {3, 5, 5}};
        for (int[] pk : peaks) {
            int x = HeatmapGrid.originX(pk[0], 3, 48) + pk[1] * 4;
            int y = HeatmapGrid.originY(pk[0], 3, 40) + pk[2] * 4;
            assertEquals(Colormap.VIRIDIS.rgb(1f), img.getRGB(x + 2, y + 2) & 0xffffff, "peak in map " + pk[0]);
            assertEquals(HeatmapGrid.MARKER, img.getRGB(x - 1, y + 2) & 0xffffff, "marker in map " + pk[0]);
        }
        // The filler (sample 1, object 1 at (0, 0)) is not drawn: map 3 keeps 0 at (0, 0).
        int x0 = HeatmapGrid.originX(3, 3, 48);
        int y0 = HeatmapGrid.originY(3, 3, 40);
        assertEquals(Colormap.VIRIDIS.rgb(0f), img.getRGB(x0 + 2, y0 + 2) & 0xffffff);

        Path bad = dir.resolve("bad.npz");
        try (Scope scope = Scope.open()) {
            Npz.write(bad, java.util.Map.of("maps", Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 4, 4),
                    "centres", Tensor.zeros(DType.INT32, Device.CPU, 1, 2)));
        }
        StringWriter err2 = new StringWriter();
        assertEquals(2, run(new StringWriter(), err2, "render", "heatmap", "--input", bad.toString(), "--output",
                dir.resolve("x.png").toString(), "--device", "cpu"));
        assertTrue(err2.toString().contains("unknown array 'centres'"), err2.toString());
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
