package dev.batchwise.cuda;

/** Numeric constants of cuda.h (CUDA 13) used by the runtime; values checked against the header. */
final class CuResult {
    private CuResult() {}

    static final int SUCCESS = 0;
    static final int INVALID_VALUE = 1;
    static final int OUT_OF_MEMORY = 2;
    static final int STUB_LIBRARY = 34;
    static final int INSUFFICIENT_DRIVER = 35;
    static final int NO_DEVICE = 100;
    static final int NOT_READY = 600;

    static final int MEMORYTYPE_HOST = 1;
    static final int MEMORYTYPE_DEVICE = 2;

    static final int STREAM_NON_BLOCKING = 1;
    static final int EVENT_DEFAULT = 0;
    static final int EVENT_DISABLE_TIMING = 2;
    static final int MEMHOSTALLOC_PORTABLE = 1;

    /** {@code CU_MEMPOOL_ATTR_RELEASE_THRESHOLD} (value type cuuint64_t). */
    static final int MEMPOOL_ATTR_RELEASE_THRESHOLD = 4;
    /** {@code CU_MEMPOOL_ATTR_RESERVED_MEM_CURRENT}: bytes the pool holds from the driver. */
    static final int MEMPOOL_ATTR_RESERVED_MEM_CURRENT = 5;
    /** {@code CU_MEMPOOL_ATTR_USED_MEM_CURRENT}: bytes of the pool handed out and not freed. */
    static final int MEMPOOL_ATTR_USED_MEM_CURRENT = 7;

    static final int ATTR_MAX_THREADS_PER_BLOCK = 1;
    static final int ATTR_MAX_PITCH = 11;
    static final int ATTR_MULTIPROCESSOR_COUNT = 16;
    static final int ATTR_COMPUTE_CAPABILITY_MAJOR = 75;
    static final int ATTR_COMPUTE_CAPABILITY_MINOR = 76;
    static final int ATTR_MEMORY_POOLS_SUPPORTED = 115;
}
