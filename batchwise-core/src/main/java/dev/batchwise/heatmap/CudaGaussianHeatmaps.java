package dev.batchwise.heatmap;

import dev.batchwise.cuda.Cuda;

/** CUDA drawing: the kernels of {@code heatmap.cu}, launched through {@code dev.batchwise.cuda}. */
final class CudaGaussianHeatmaps {
    private CudaGaussianHeatmaps() {}

    static void draw(DrawRequest q) {
        throw new IllegalStateException("CUDA drawing needs the CUDA runtime: " + Cuda.unavailableReason());
    }
}
