package dev.batchwise.assign;

import dev.batchwise.cuda.CudaDevice;
import dev.batchwise.cuda.CudaKernel;
import dev.batchwise.cuda.CudaModule;
import dev.batchwise.cuda.CudaStream;
import dev.batchwise.cuda.DeviceErrorFlag;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;

/**
 * CUDA back end of {@link LinearAssignment}: one launch of {@code assign_solve_f32/f64}
 * (assign.cu) for the whole batch, one thread block per problem, sizes read on the device, no
 * host synchronisation. Per-problem statuses land in the status tensor; a bad count (always) and,
 * when the caller asked for exceptions, the lowest-indexed bad problem are reported through a
 * {@link DeviceErrorFlag} attached to every result, so they surface when a result is read.
 */
final class CudaLinearAssignment {
    /** Dynamic shared memory a block may use without opting in to more (48 KiB less the kernel's static part). */
    private static final long SHARED_LIMIT = 47 * 1024;
    private static final int MAX_THREADS = 512;
    /** Shared tile of the transposed copy ({@code TILE_BYTES} in assign.cu). */
    private static final int TILE_BYTES = 16896;

    private CudaLinearAssignment() {}

    static AssignmentResult solve(Tensor costs, Tensor rowCounts, Tensor colCounts, boolean maximize,
                                  boolean throwOnError) {
        Device device = costs.device();
        int b = (int) costs.shape(0);
        int rMax = (int) costs.shape(1);
        int cMax = (int) costs.shape(2);
        int k = Math.min(rMax, cMax);
        Tensor rowInd = Tensor.empty(DType.INT64, device, b, k);
        Tensor colInd = Tensor.empty(DType.INT64, device, b, k);
        Tensor sizes = Tensor.empty(DType.INT64, device, b);
        Tensor total = Tensor.empty(DType.FLOAT64, device, b);
        Tensor rowPot = Tensor.empty(DType.FLOAT64, device, b, rMax);
        Tensor colPot = Tensor.empty(DType.FLOAT64, device, b, cMax);
        Tensor status = Tensor.empty(DType.INT32, device, b);
        AssignmentResult result = new AssignmentResult(rowInd, colInd, sizes, total, rowPot, colPot, status);
        if (b == 0) {
            return result;
        }
        boolean f32 = costs.dtype() == DType.FLOAT32;
        long m = Math.max(rMax, cMax);
        long n = Math.min(rMax, cMax);
        long work = workBytes(n, m);
        boolean useShared = work <= SHARED_LIMIT;
        // Room for the transposed copy, unless no problem can have more rows than columns.
        boolean mayTranspose = rMax > cMax || rowCounts != null || colCounts != null;
        long workOffset = mayTranspose ? align16((long) rMax * cMax * (f32 ? 4 : 8)) : 0;
        long perProblem = workOffset + (useShared ? 0 : align16(work));
        int threads = threadsFor(m, b, CudaDevice.of(device).multiprocessorCount());
        // The transposed copy goes through a shared tile at the start of the dynamic shared memory.
        long sharedBytes = Math.max(useShared ? work : 0, mayTranspose ? TILE_BYTES : 0);

        CudaStream stream = CudaStream.current(device);
        DeviceErrorFlag flag = DeviceErrorFlag.create(device, stream).withExceptions(CudaLinearAssignment::problemError);
        try (Tensor scratch = Tensor.empty(DType.UINT8, device, Math.max(16, perProblem * b));
             Tensor finished = Tensor.zeros(DType.INT32, device, 1)) {
            CudaKernel kernel = CudaModule.load(device, "assign").function(f32 ? "assign_solve_f32" : "assign_solve_f64");
            kernel.launch(stream).grid(b).block(threads).sharedMemory((int) sharedBytes)
                    .ptr(costs).i32(b).i32(rMax).i32(cMax)
                    .ptr(rowCounts == null ? 0L : rowCounts.devicePointer()).i32(kind(rowCounts))
                    .ptr(colCounts == null ? 0L : colCounts.devicePointer()).i32(kind(colCounts))
                    .i32(maximize ? 1 : 0)
                    .ptr(scratch).i64(perProblem).i64(workOffset).i32(useShared ? 1 : 0)
                    .ptr(rowInd).ptr(colInd).ptr(sizes).ptr(total).ptr(rowPot).ptr(colPot).ptr(status)
                    .ptr(finished).ptr(flag.pointer()).i32(throwOnError ? 1 : 0)
                    .run();
        } // scratch and counter are freed in stream order, after the kernel
        flag.attachTo("LinearAssignment", rowInd, colInd, sizes, total, rowPot, colPot, status);
        return result;
    }

    /**
     * Bytes of the work arrays of a problem with {@code n <= m}: doubles v, spc (m) and u (n), ints
     * path, row4col, remaining, visited (m) and col4row (n).
     */
    static long workBytes(long n, long m) {
        return 32 * m + 12 * n;
    }

    /**
     * The exception of a bad problem reported by the kernel ({@code BW_ERR_VALUE}: a = problem,
     * b = its row count, c = its status, d = its column count): the CPU back end's exception, so
     * {@link InfeasibleAssignmentException} for an infeasible one. Other reports (a count outside
     * the padded extent) keep the generic {@link IndexOutOfBoundsException}.
     */
    static RuntimeException problemError(String op, long code, long a, long b, long c, long d) {
        if (code != DeviceErrorFlag.ERR_VALUE || (c != AssignmentStatus.INFEASIBLE.code()
                && c != AssignmentStatus.INVALID_COST.code())) {
            return null;
        }
        return LinearAssignment.errorFor(AssignmentStatus.ofCode((int) c), (int) a, b, d);
    }

    /**
     * Threads per block for {@code problems} problems whose larger side is {@code m}, on a GPU of
     * {@code sms} multiprocessors: more threads shorten each scan step, but beyond about 320 per
     * block two blocks no longer share a multiprocessor; when every problem has a multiprocessor
     * of its own, up to 512 (measured on an H200).
     */
    static int threadsFor(long m, long problems, int sms) {
        long t = Math.max(Math.min(m, 320), m / 2);
        if (problems <= sms) {
            t = Math.max(t, Math.min(MAX_THREADS, m));
        }
        t = (t + 31) / 32 * 32;
        return (int) Math.max(32, Math.min(MAX_THREADS, t));
    }

    /** Element size of a count tensor as the kernel reads it: 0 (absent, full size), 4 or 8. */
    private static int kind(Tensor counts) {
        return counts == null ? 0 : counts.dtype() == DType.INT32 ? 4 : 8;
    }

    private static long align16(long bytes) {
        return (bytes + 15) & ~15L;
    }
}
