package dev.batchwise.cli;

import dev.batchwise.cli.bench.workloads.HeatmapBatch;
import dev.batchwise.cli.render.Colormap;
import dev.batchwise.cli.render.HeatmapGrid;
import dev.batchwise.cli.render.HeatmapInput;
import dev.batchwise.heatmap.GaussianDrawOptions;
import dev.batchwise.heatmap.GaussianHeatmaps;
import dev.batchwise.heatmap.GaussianStamp;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code batchwise render …}: pictures of targets, for a person to look at. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Renders targets as pictures.",
        subcommands = {RenderCommand.Heatmap.class})
public final class RenderCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    /** Without a subcommand: prints the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code batchwise render heatmap}: draws a seeded demo batch shaped like a W3 workload with
     * {@link GaussianHeatmaps} (zero-fill fused) — or the maps and objects of an {@code .npz} file
     * ({@code --input}, see {@link HeatmapInput}) — and writes the first maps as a PNG grid, colour
     * mapped, with the object centres outlined.
     */
    @Command(name = "heatmap", mixinStandardHelpOptions = true,
            description = "Draws Gaussian heatmaps (a demo batch, or the maps and objects of an .npz file) and "
                    + "writes them as a PNG grid.")
    public static final class Heatmap implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--workload", defaultValue = "W3-a",
                description = "Shape of the demo batch: W3-a (48 maps 20x50), W3-b, W3-c or W3-d (default: ${DEFAULT-VALUE}).")
        private String workload;

        @Option(names = "--seed", description = "Seed of the demo batch (default: the workload's own).")
        private Long seed;

        @Option(names = "--input", paramLabel = "FILE.npz",
                description = "Render the arrays of this .npz instead of a demo batch: 'maps' (float32 (N,H,W) or "
                        + "(B,C,H,W)) and optionally objects drawn into them: 'centers' (T,2) + 'radii' (T) + "
                        + "'map_index' (T), or 'centers' (B,M,2) + 'radii' (B,M) [+ 'labels' (B,M)] "
                        + "[+ 'sample_sizes' (B)], integers.")
        private Path input;

        @Option(names = {"-o", "--output"}, defaultValue = "heatmaps.png", description = "PNG file (default: ${DEFAULT-VALUE}).")
        private Path output;

        @Option(names = "--maps", defaultValue = "48", description = "Number of maps shown (default: ${DEFAULT-VALUE}).")
        private int maps;

        @Option(names = "--columns", defaultValue = "6", description = "Maps per grid row (default: ${DEFAULT-VALUE}).")
        private int columns;

        @Option(names = "--scale", defaultValue = "0",
                description = "Pixels per map cell; 0 picks about 240 pixels per map width (default: ${DEFAULT-VALUE}).")
        private int scale;

        @Option(names = "--colormap", defaultValue = "VIRIDIS",
                description = "One of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        private Colormap colormap;

        @Option(names = "--stamp", defaultValue = "MMDET_CUTOFF",
                description = "MMDET_CUTOFF or ACCVLAB_NO_CUT (default: ${DEFAULT-VALUE}).")
        private GaussianStamp stamp;

        @Option(names = "--k", defaultValue = "1", description = "Scale of every stamp (default: ${DEFAULT-VALUE}).")
        private float k;

        @Option(names = "--device", description = "cpu, cuda or cuda:N (default: the best available).")
        private String device;

        /** Draws and writes the picture; exit 2 for bad options. */
        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            if (stamp.floatCenters()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--stamp must be an integer-centre mode (MMDET_CUTOFF or ACCVLAB_NO_CUT), got " + stamp);
            }
            if (maps < 1 || columns < 1 || scale < 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--maps and --columns must be >= 1 and --scale >= 0");
            }
            Device d = device == null ? Device.best() : Device.parse(device);
            GaussianDrawOptions opts = GaussianDrawOptions.of(stamp).withK(k);
            if (input != null) {
                HeatmapInput in;
                try {
                    in = HeatmapInput.read(input, d, opts);
                } catch (IllegalArgumentException | IOException e) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "--input: " + e.getMessage());
                }
                int shown = Math.min(maps, in.numMaps());
                write(in.values(), shown, in.height(), in.width(), in.centres());
                out.printf("wrote %s: maps 0..%d of %d (from %s, %d x %d, %d objects drawn on %s), row-major, %d per row%n",
                        output, shown - 1, in.numMaps(), input, in.height(), in.width(), in.objects(), d,
                        Math.min(columns, shown));
                out.flush();
                return 0;
            }
            HeatmapBatch b;
            try {
                b = demoBatch();
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            float[] values;
            try (Scope s = Scope.open()) {
                Tensor m = Tensor.empty(DType.FLOAT32, d, b.samples(), b.classes(), b.height(), b.width());
                GaussianHeatmaps.drawClasswiseInto(m, Tensor.of(b.centers(), b.samples(), b.slots(), 2).to(d),
                        Tensor.of(b.radii(), b.samples(), b.slots()).to(d),
                        Tensor.of(b.labels(), b.samples(), b.slots()).to(d), Tensor.of(b.sizes(), b.samples()).to(d),
                        opts.withZeroFill(true));
                values = m.toFloatArray();
            }
            int shown = Math.min(maps, b.numMaps());
            write(values, shown, b.height(), b.width(), centres(b));
            out.printf("wrote %s: maps 0..%d of %d (%s-shaped, %d x %d, %d objects, drawn on %s), row-major, %d per row%n",
                    output, shown - 1, b.numMaps(), b.id(), b.height(), b.width(), b.objects(), d,
                    Math.min(columns, shown));
            out.flush();
            return 0;
        }

        private void write(float[] values, int shown, int height, int width, List<HeatmapGrid.Centre> centres)
                throws IOException {
            int px = scale > 0 ? scale : Math.max(1, 240 / width);
            var image = HeatmapGrid.render(values, shown, height, width, centres, columns, px, colormap);
            ImageIO.write(image, "png", output.toFile());
        }

        private HeatmapBatch demoBatch() {
            return seed == null ? HeatmapBatch.w3(workload) : HeatmapBatch.w3(workload, seed);
        }

        private static List<HeatmapGrid.Centre> centres(HeatmapBatch b) {
            List<HeatmapGrid.Centre> list = new ArrayList<>();
            for (int s = 0; s < b.samples(); s++) {
                for (int t = 0; t < b.sizes()[s]; t++) {
                    int p = s * b.slots() + t;
                    list.add(new HeatmapGrid.Centre(s * b.classes() + b.labels()[p], b.centers()[2 * p],
                            b.centers()[2 * p + 1]));
                }
            }
            return list;
        }
    }
}
