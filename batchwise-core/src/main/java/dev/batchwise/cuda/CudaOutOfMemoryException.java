package dev.batchwise.cuda;

/** The driver returned {@code CUDA_ERROR_OUT_OF_MEMORY} (2): a device or pinned allocation did not fit. */
public final class CudaOutOfMemoryException extends CudaException {
    private static final long serialVersionUID = 1L;

    /** See {@link CudaException#CudaException(String, int, String, String)}; the code is always 2. */
    public CudaOutOfMemoryException(String call, String errorName, String errorString) {
        super(call, CuResult.OUT_OF_MEMORY, errorName, errorString);
    }
}
