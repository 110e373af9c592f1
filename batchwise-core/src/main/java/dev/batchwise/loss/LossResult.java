package dev.batchwise.loss;

import dev.batchwise.tensor.Tensor;

/**
 * A loss value and its gradient, both produced by one fused pass.
 *
 * @param value float64 on the predictions' device; a scalar of shape {@code ()} is represented as
 *     shape {@code (1)}, otherwise the kept leading dimensions of the {@link Reduction}
 * @param gradient d(sum of value)/d(predictions), same shape, dtype and device as the predictions
 */
public record LossResult(Tensor value, Tensor gradient) {
    /** The (first) value on the host; synchronises with the device. */
    public double scalar() {
        return value.toDoubleArray()[0];
    }
}
