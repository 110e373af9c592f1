package dev.batchwise.heatmap;

import dev.batchwise.cuda.Cuda;

/** CUDA drawing: the kernels of {@code heatmap.cu}, launched through {@code dev.batchwise.cuda}. */
final class CudaGaussianHeatmaps {
    private CudaGaussianHeatmaps() {}

    static void draw(DrawRequest q) {
        throw new IllegalStateException("CUDA drawing needs the CUDA runtime: " + Cuda.unavailableReason());
    }

    static dev.batchwise.tensor.Tensor targetRadii(dev.batchwise.tensor.Tensor sizes, long[] outShape,
                                                    boolean corrected, GaussianRadius.Constants c, int minRadius) {
        throw new IllegalStateException("CUDA radii need the CUDA runtime: " + Cuda.unavailableReason());
    }
}
