package dev.batchwise.ragged;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;

/** Sums and means over the valid entries of a ragged batch, and their backward. */
final class Reductions {
    private Reductions() {}

    static Tensor reduce(RaggedBatch data, boolean average, boolean nansToZero) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        if (average) {
            TensorChecks.requireDType(data.data(), "data", DType.FLOAT32, DType.FLOAT64);
        } else {
            TensorChecks.requireDType(data.data(), "data", DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64);
        }
        Tensor out = Tensor.empty(data.dtype(), data.device(), TensorAxes.remove(data.shape(), data.raggedDim()));
        RaggedKernels.of(data.device()).reduceOverTargets(data.data(), data.layout(), data.sampleSizes(), out,
                average, nansToZero);
        return out;
    }

    static Tensor backward(Tensor grad, RaggedBatch data, boolean average, boolean nansToZero) {
        TensorChecks.requireNonNull(grad, "gradOutput");
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        TensorChecks.requireShape(grad, "gradOutput", "the forward result's shape",
                TensorAxes.remove(data.shape(), data.raggedDim()));
        TensorChecks.requireDType(grad, "gradOutput", DType.FLOAT32, DType.FLOAT64);
        TensorChecks.requireSameDevice("gradOutput", grad, "data", data.data());
        // the kernels read the forward mean in the gradient's dtype
        Tensor forward = average && nansToZero ? reduce(data, true, false).to(grad.dtype()) : null;
        Tensor out = Tensor.empty(grad.dtype(), grad.device(), data.shape());
        RaggedKernels.of(grad.device()).broadcastOverTargets(grad, data.layout(), data.sampleSizes(), out, average,
                forward);
        return out;
    }
}
