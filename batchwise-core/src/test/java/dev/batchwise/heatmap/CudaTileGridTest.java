package dev.batchwise.heatmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.heatmap.CudaGaussianHeatmaps.TileGrid;
import org.junit.jupiter.api.Test;

/** The CUDA work split (host-side arithmetic only, no GPU needed). */
class CudaTileGridTest {
    @Test
    void regionsAreWholeRowsOfSeveralMaps() {
        // W3-b: 48 samples × 20 classes of 20×50: 8 maps per region would be 144 CTAs; 2 make 480.
        assertEquals(new TileGrid(50, 20, 1, 1, 2, 10, 480), TileGrid.of(48, 20, 20, 50));
        // W3-d: 80 maps of 180×180: 45 rows (8100 pixels) per region, 320 CTAs.
        assertEquals(new TileGrid(180, 45, 1, 4, 1, 10, 320), TileGrid.of(8, 10, 180, 180));
        // W3-c: 80 maps of 128×128: 64 rows would be 160 CTAs; 32 rows make 320.
        assertEquals(new TileGrid(128, 32, 1, 4, 1, 10, 320), TileGrid.of(8, 10, 128, 128));
    }

    @Test
    void smallGridsGetSmallerRegionsDownToTheLeast() {
        // W3-a: 48 maps of 20×50: 10-row regions make 96 CTAs; 5 rows would be below 256 pixels.
        assertEquals(new TileGrid(50, 10, 1, 2, 1, 1, 96), TileGrid.of(48, 1, 20, 50));
    }

    @Test
    void everyRegionFitsAndEveryPixelIsCovered() {
        int[] extents = {0, 1, 7, 50, 128, 181, 8191, 8192, 8193, 20_000};
        for (int h : extents) {
            for (int w : extents) {
                for (int keys : new int[] {1, 3, 20}) {
                    TileGrid g = TileGrid.of(3, keys, h, w);
                    assertTrue((long) g.keysPerCta() * g.tileW() * g.tileH() <= TileGrid.REGION_PIXELS, g.toString());
                    assertTrue((long) g.tilesX() * g.tileW() >= w && (long) g.tilesY() * g.tileH() >= h, g.toString());
                    assertTrue((long) g.groups() * g.keysPerCta() >= keys, g.toString());
                    assertEquals(3L * g.groups() * g.tilesX() * g.tilesY(), g.items(), g.toString());
                }
            }
        }
    }
}
