package dev.batchwise.heatmap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The CUDA tile geometry (host-side arithmetic only, no GPU needed). */
class CudaTileGridTest {
    @Test
    void largeGridsKeepTheFewestTileRows() {
        // W3-b: 960 maps of 20×50 → 24-row tiles (3 rows per thread), 2 per map, 1920 CTAs.
        assertEquals(new CudaGaussianHeatmaps.TileGrid(3, 2, 2), CudaGaussianHeatmaps.TileGrid.of(960, 20, 50));
        // W3-d: 80 maps of 180×180 → 32×32 tiles.
        assertEquals(new CudaGaussianHeatmaps.TileGrid(4, 6, 36), CudaGaussianHeatmaps.TileGrid.of(80, 180, 180));
    }

    @Test
    void smallGridsGetSmallerTiles() {
        // W3-a: 48 maps of 20×50 would be 96 CTAs; 8-row tiles make 48·2·3 = 288.
        assertEquals(new CudaGaussianHeatmaps.TileGrid(1, 2, 6), CudaGaussianHeatmaps.TileGrid.of(48, 20, 50));
        // 4 maps of 64×64: 16 CTAs at 4 rows per thread, 64 at 1; still below 256, but 1 is the
        // smallest tile.
        assertEquals(new CudaGaussianHeatmaps.TileGrid(1, 2, 16), CudaGaussianHeatmaps.TileGrid.of(4, 64, 64));
        // 128 maps of 20×20: 128 CTAs at 3 rows per thread; 2 rows make 256, the threshold, so it
        // stops there.
        assertEquals(new CudaGaussianHeatmaps.TileGrid(2, 1, 2), CudaGaussianHeatmaps.TileGrid.of(128, 20, 20));
    }
}
