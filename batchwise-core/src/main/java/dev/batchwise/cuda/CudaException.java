package dev.batchwise.cuda;

/**
 * A CUDA driver call returned an error ({@code CUresult} other than {@code CUDA_SUCCESS}).
 *
 * <p>Carries the numeric code, the driver's symbolic name ({@code cuGetErrorName}, e.g.
 * {@code CUDA_ERROR_INVALID_VALUE}) and its description ({@code cuGetErrorString}). The message
 * reads {@code "cuLaunchKernel failed: CUDA_ERROR_INVALID_VALUE (1): invalid argument"}.
 * Errors from earlier asynchronous work (e.g. an illegal address in a kernel) surface at a later
 * call on the same context, often a synchronisation.
 */
public class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String errorName;
    private final String errorString;

    /**
     * @param call        the driver function that failed (e.g. {@code "cuMemAllocAsync"})
     * @param code        the {@code CUresult}
     * @param errorName   {@code cuGetErrorName} of the code
     * @param errorString {@code cuGetErrorString} of the code
     */
    public CudaException(String call, int code, String errorName, String errorString) {
        super(call + " failed: " + errorName + " (" + code + "): " + errorString);
        this.code = code;
        this.errorName = errorName;
        this.errorString = errorString;
    }

    /** The {@code CUresult} value, e.g. 2 for {@code CUDA_ERROR_OUT_OF_MEMORY}. */
    public int code() {
        return code;
    }

    /** The symbolic name from {@code cuGetErrorName}, e.g. {@code "CUDA_ERROR_INVALID_VALUE"}. */
    public String errorName() {
        return errorName;
    }

    /** The description from {@code cuGetErrorString}, e.g. {@code "invalid argument"}. */
    public String errorString() {
        return errorString;
    }
}
