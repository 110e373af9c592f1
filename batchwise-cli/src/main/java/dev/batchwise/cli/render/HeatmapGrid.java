package dev.batchwise.cli.render;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A picture of a batch of heatmaps: the maps in a grid (row-major, {@code columns} per row), each
 * map cell drawn as a {@code scale × scale} square coloured by a {@link Colormap}, with a
 * {@value #GAP}-pixel dark gap between maps and every object centre that lies in its map outlined
 * by a red square around its cell.
 */
public final class HeatmapGrid {
    /** Pixels between maps and around the grid. */
    public static final int GAP = 2;
    /** Colour of the gaps. */
    public static final int BACKGROUND = 0x202020;
    /** Colour of the centre markers. */
    public static final int MARKER = 0xff2020;

    /** An object centre {@code (x, y)} (column, row) in map {@code map}. */
    public record Centre(int map, int x, int y) {}

    private HeatmapGrid() {}

    /**
     * Renders {@code numMaps} maps of {@code height × width} from {@code values} (row-major
     * {@code (numMaps, height, width)}).
     */
    public static BufferedImage render(float[] values, int numMaps, int height, int width, List<Centre> centres,
                                       int columns, int scale, Colormap colormap) {
        int cols = Math.max(1, Math.min(columns, numMaps));
        int rows = Math.max(1, (numMaps + cols - 1) / cols);
        int tw = width * scale;
        int th = height * scale;
        BufferedImage img = new BufferedImage(cols * tw + (cols + 1) * GAP, rows * th + (rows + 1) * GAP,
                BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, BACKGROUND);
            }
        }
        for (int m = 0; m < numMaps; m++) {
            int ox = originX(m, cols, tw);
            int oy = originY(m, cols, th);
            for (int r = 0; r < height; r++) {
                for (int c = 0; c < width; c++) {
                    int rgb = colormap.rgb(values[(m * height + r) * width + c]);
                    fill(img, ox + c * scale, oy + r * scale, scale, scale, rgb);
                }
            }
        }
        for (Centre p : centres) {
            if (p.map() < 0 || p.map() >= numMaps || p.x() < 0 || p.x() >= width || p.y() < 0 || p.y() >= height) {
                continue;
            }
            outline(img, originX(p.map(), cols, tw) + p.x() * scale - 1, originY(p.map(), cols, th) + p.y() * scale - 1,
                    scale + 2);
        }
        return img;
    }

    /** Left pixel of map {@code m}'s tile. */
    public static int originX(int m, int cols, int tileWidth) {
        return GAP + (m % cols) * (tileWidth + GAP);
    }

    /** Top pixel of map {@code m}'s tile. */
    public static int originY(int m, int cols, int tileHeight) {
        return GAP + (m / cols) * (tileHeight + GAP);
    }

    private static void fill(BufferedImage img, int x0, int y0, int w, int h, int rgb) {
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
    }

    /** A one-pixel square outline of side {@code size} at {@code (x0, y0)}, clipped to the image. */
    private static void outline(BufferedImage img, int x0, int y0, int size) {
        for (int i = 0; i < size; i++) {
            set(img, x0 + i, y0);
            set(img, x0 + i, y0 + size - 1);
            set(img, x0, y0 + i);
            set(img, x0 + size - 1, y0 + i);
        }
    }

    private static void set(BufferedImage img, int x, int y) {
        if (x >= 0 && y >= 0 && x < img.getWidth() && y < img.getHeight()) {
            img.setRGB(x, y, MARKER);
        }
    }
}
