package dev.batchwise.cli.render;

import dev.batchwise.heatmap.GaussianDrawOptions;
import dev.batchwise.heatmap.GaussianHeatmaps;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Npz;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Heatmaps read from a NumPy {@code .npz} archive for {@code batchwise render heatmap --input}:
 * the maps, and optionally objects that are drawn into them first.
 *
 * <p>Arrays (names as in the archive; other names are an error, so that a misspelt one is not
 * silently ignored):
 * <ul>
 *   <li>{@code maps} (required): float32 {@code (N, H, W)} or {@code (B, C, H, W)}; rendered as
 *       they are when there are no objects, otherwise the objects are max-combined into them (no
 *       clearing), as {@link GaussianHeatmaps} does.</li>
 *   <li>{@code centers} {@code (x, y)} and {@code radii}, integer (int32 or int64, converted to
 *       int32): {@code (T, 2)} and {@code (T)} with {@code map_index (T)} into {@code (N, H, W)}
 *       maps (concatenated format; {@code map_index} may be left out when {@code N = 1}), or
 *       {@code (B, M, 2)} and {@code (B, M)} with optional {@code sample_sizes (B)} (default
 *       {@code M}) — into {@code (B, H, W)} maps (batched), or with {@code labels (B, M)} into
 *       {@code (B, C, H, W)} maps (class-wise).</li>
 * </ul>
 *
 * @param values the maps after drawing, row-major {@code (numMaps, height, width)}
 * @param numMaps {@code N} or {@code B·C}
 * @param height map height
 * @param width map width
 * @param centres the centre of every drawn object, in its map
 * @param objects number of drawn objects
 */
public record HeatmapInput(float[] values, int numMaps, int height, int width, List<HeatmapGrid.Centre> centres,
                           int objects) {
    private static final Set<String> NAMES = Set.of("maps", "centers", "radii", "map_index", "labels", "sample_sizes");

    /**
     * Reads {@code file}, draws its objects (if any) on {@code device} with {@code options} and
     * returns the maps.
     *
     * @throws IOException when the file cannot be read or is not an .npz archive
     * @throws IllegalArgumentException when arrays are missing, unknown or of the wrong shape or dtype
     */
    public static HeatmapInput read(Path file, Device device, GaussianDrawOptions options) throws IOException {
        try (Scope scope = Scope.open()) {
            Map<String, Tensor> a = Npz.read(file);
            for (String name : a.keySet()) {
                if (!NAMES.contains(name)) {
                    throw new IllegalArgumentException(file + ": unknown array '" + name + "' (expected maps, centers, "
                            + "radii and map_index, labels or sample_sizes)");
                }
            }
            Tensor maps = a.get("maps");
            if (maps == null) {
                throw new IllegalArgumentException(file + ": no array 'maps' (float32 (N, H, W) or (B, C, H, W))");
            }
            if (maps.dtype() != DType.FLOAT32 || maps.rank() != 3 && maps.rank() != 4) {
                throw new IllegalArgumentException(file + ": maps must be float32 (N, H, W) or (B, C, H, W), got "
                        + maps.dtype() + " " + Shapes.format(maps.shape()));
            }
            int rank = maps.rank();
            long numMaps = rank == 3 ? maps.shape(0) : maps.shape(0) * maps.shape(1);
            int h = (int) maps.shape(rank - 2);
            int w = (int) maps.shape(rank - 1);
            Tensor centers = integers(a, "centers", file);
            Tensor radii = integers(a, "radii", file);
            List<HeatmapGrid.Centre> centres = new ArrayList<>();
            if (centers == null && radii == null) {
                for (String name : new String[] {"map_index", "labels", "sample_sizes"}) {
                    if (a.containsKey(name)) {
                        throw new IllegalArgumentException(file + ": '" + name + "' without centers and radii");
                    }
                }
                return new HeatmapInput(maps.toFloatArray(), (int) numMaps, h, w, centres, 0);
            }
            if (centers == null || radii == null) {
                throw new IllegalArgumentException(file + ": centers and radii go together, got only "
                        + (centers == null ? "radii" : "centers"));
            }
            Tensor onDevice = maps.to(device);
            int objects;
            if (centers.rank() == 2) {
                Tensor index = integers(a, "map_index", file);
                if (index == null) {
                    if (numMaps != 1) {
                        throw new IllegalArgumentException(file + ": centers (T, 2) need map_index (T) for "
                                + numMaps + " maps");
                    }
                    index = Tensor.zeros(DType.INT32, Device.CPU, centers.shape(0));
                }
                if (rank != 3) {
                    throw new IllegalArgumentException(file + ": centers (T, 2) draw into maps (N, H, W), got maps "
                            + Shapes.format(maps.shape()));
                }
                rejectPresent(a, file, "labels", "sample_sizes");
                GaussianHeatmaps.drawInto(onDevice, centers.to(device), radii.to(device), index.to(device), options);
                int[] xy = centers.toIntArray();
                int[] m = index.toIntArray();
                for (int t = 0; t < m.length; t++) {
                    centres.add(new HeatmapGrid.Centre(m[t], xy[2 * t], xy[2 * t + 1]));
                }
                objects = m.length;
            } else {
                rejectPresent(a, file, "map_index");
                if (centers.rank() != 3) {
                    throw new IllegalArgumentException(file + ": centers must be (T, 2) or (B, M, 2), got "
                            + Shapes.format(centers.shape()));
                }
                long b = centers.shape(0);
                long m = centers.shape(1);
                Tensor sizes = integers(a, "sample_sizes", file);
                if (sizes == null) {
                    sizes = Tensor.full(m, DType.INT32, Device.CPU, b);
                }
                Tensor labels = integers(a, "labels", file);
                if (labels == null) {
                    if (rank != 3) {
                        throw new IllegalArgumentException(file + ": without labels the maps must be (B, H, W), got "
                                + Shapes.format(maps.shape()));
                    }
                    GaussianHeatmaps.drawBatchedInto(onDevice, centers.to(device), radii.to(device), sizes.to(device),
                            options);
                } else {
                    if (rank != 4) {
                        throw new IllegalArgumentException(file + ": with labels the maps must be (B, C, H, W), got "
                                + Shapes.format(maps.shape()));
                    }
                    GaussianHeatmaps.drawClasswiseInto(onDevice, centers.to(device), radii.to(device), labels.to(device),
                            sizes.to(device), options);
                }
                int classes = rank == 4 ? (int) maps.shape(1) : 1;
                int[] xy = centers.toIntArray();
                int[] lab = labels == null ? null : labels.toIntArray();
                int[] n = sizes.toIntArray();
                objects = 0;
                for (int s = 0; s < b; s++) {
                    // Sizes outside [0, M] were rejected by the draw (CUDA: when the maps are read below).
                    n[s] = (int) Math.max(0, Math.min(n[s], m));
                    for (int t = 0; t < n[s]; t++) {
                        int p = (int) (s * m + t);
                        centres.add(new HeatmapGrid.Centre(s * classes + (lab == null ? 0 : lab[p]), xy[2 * p],
                                xy[2 * p + 1]));
                    }
                    objects += n[s];
                }
            }
            return new HeatmapInput(onDevice.toFloatArray(), (int) numMaps, h, w, centres, objects);
        }
    }

    /** The array {@code name} as int32 (from int32 or int64), or null when absent. */
    private static Tensor integers(Map<String, Tensor> a, String name, Path file) {
        Tensor t = a.get(name);
        if (t == null) {
            return null;
        }
        if (t.dtype() != DType.INT32 && t.dtype() != DType.INT64) {
            throw new IllegalArgumentException(file + ": " + name + " must be int32 or int64, got " + t.dtype());
        }
        return t.to(DType.INT32);
    }

    private static void rejectPresent(Map<String, Tensor> a, Path file, String... names) {
        for (String name : names) {
            if (a.containsKey(name)) {
                throw new IllegalArgumentException(file + ": '" + name + "' does not fit centers of this shape");
            }
        }
    }
}
