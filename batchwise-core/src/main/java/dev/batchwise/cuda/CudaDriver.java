package dev.batchwise.cuda;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The downcall handles into {@code libcuda.so.1} (the CUDA driver API), one per driver entry point.
 *
 * <p>Symbol names are the real exported names behind cuda.h's {@code #define}s (CUDA 13):
 * {@code cuDeviceTotalMem_v2}, {@code cuMemcpyHtoDAsync_v2}, {@code cuStreamDestroy_v2},
 * {@code cuStreamBeginCapture_v2}, {@code cuGraphInstantiateWithFlags}, … Every function returns a
 * {@code CUresult} ({@code JAVA_INT}). Pointers, handles ({@code CUcontext}, {@code CUstream}, …),
 * {@code size_t} and {@code CUdeviceptr} are all passed as {@code JAVA_LONG}: on the 64-bit
 * platforms CUDA supports a pointer and a 64-bit integer travel in the same register, and using
 * {@code long} avoids a {@link MemorySegment} wrapper per call. Out-parameters point into
 * {@link Scratch} memory.
 *
 * <p>Loading this class opens the library; when that fails the class fails to initialise and
 * {@link Cuda} reports the cause. Everything else reaches the handles only after
 * {@link Cuda#requireAvailable()}.
 */
final class CudaDriver {
    private CudaDriver() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIB = openLibrary();

    private static final MemoryLayout I = JAVA_INT;
    private static final MemoryLayout L = JAVA_LONG;

    /** Scratch offset for error-name lookups (kept clear of out-parameters at lower offsets). */
    private static final long ERR_SLOT = 480;

    // ================================================================ initialisation and errors

    private static final MethodHandle CU_INIT = fn("cuInit", I);
    private static final MethodHandle CU_DRIVER_GET_VERSION = fn("cuDriverGetVersion", L);
    private static final MethodHandle CU_GET_ERROR_NAME = fn("cuGetErrorName", I, L);
    private static final MethodHandle CU_GET_ERROR_STRING = fn("cuGetErrorString", I, L);

    /** Forces class initialisation: opens the library and binds every handle. */
    static void load() {
        // the static initialiser has done the work when control gets here
    }

    /** {@code cuInit(0)}; returns the raw result (the caller turns failures into a reason). */
    static int init() {
        try {
            return (int) CU_INIT.invokeExact(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code cuDriverGetVersion}: e.g. 13000 for CUDA 13.0. */
    static int driverVersion() {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) CU_DRIVER_GET_VERSION.invokeExact(s.address);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuDriverGetVersion");
        return s.getInt(0);
    }

    /** {@code cuGetErrorName}, or {@code "CUDA_ERROR_<code>"} when the driver does not know the code. */
    static String errorName(int code) {
        return errorText(CU_GET_ERROR_NAME, code, "CUDA_ERROR_" + code);
    }

    /** {@code cuGetErrorString}, or {@code "unknown error"} when the driver does not know the code. */
    static String errorString(int code) {
        return errorText(CU_GET_ERROR_STRING, code, "unknown error");
    }

    private static String errorText(MethodHandle h, int code, String fallback) {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) h.invokeExact(code, s.address + ERR_SLOT);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        long p = s.getLong(ERR_SLOT);
        if (rc != 0 || p == 0) {
            return fallback;
        }
        return MemorySegment.ofAddress(p).reinterpret(Integer.MAX_VALUE).getString(0);
    }

    /** Throws the {@link CudaException} for {@code rc} unless it is {@code CUDA_SUCCESS}. */
    static void check(int rc, String call) {
        if (rc != 0) {
            throw error(rc, call);
        }
    }

    /** The exception for a failed call: {@link CudaOutOfMemoryException} for code 2. */
    static CudaException error(int rc, String call) {
        String name = errorName(rc);
        String text = errorString(rc);
        return rc == CuResult.OUT_OF_MEMORY ? new CudaOutOfMemoryException(call, name, text)
                : new CudaException(call, rc, name, text);
    }

    // ================================================================ devices and contexts

    private static final MethodHandle CU_DEVICE_GET_COUNT = fn("cuDeviceGetCount", L);
    private static final MethodHandle CU_DEVICE_GET = fn("cuDeviceGet", L, I);
    private static final MethodHandle CU_DEVICE_GET_NAME = fn("cuDeviceGetName", L, I, I);
    private static final MethodHandle CU_DEVICE_TOTAL_MEM = fn("cuDeviceTotalMem_v2", L, I);
    private static final MethodHandle CU_DEVICE_GET_ATTRIBUTE = fn("cuDeviceGetAttribute", L, I, I);
    private static final MethodHandle CU_DEVICE_PRIMARY_CTX_RETAIN = fn("cuDevicePrimaryCtxRetain", L, I);
    private static final MethodHandle CU_DEVICE_PRIMARY_CTX_RELEASE = fn("cuDevicePrimaryCtxRelease_v2", I);
    private static final MethodHandle CU_CTX_SET_CURRENT = fn("cuCtxSetCurrent", L);

    /** {@code cuDeviceGetCount}. */
    static int deviceCount() {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) CU_DEVICE_GET_COUNT.invokeExact(s.address);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuDeviceGetCount");
        return s.getInt(0);
    }

    /** {@code cuDeviceGet}: the {@code CUdevice} handle of an ordinal. */
    static int deviceGet(int ordinal) {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) CU_DEVICE_GET.invokeExact(s.address, ordinal);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuDeviceGet");
        return s.getInt(0);
    }

    /** {@code cuDeviceGetName} into a 256-byte buffer. */
    static String deviceName(int device) {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) CU_DEVICE_GET_NAME.invokeExact(s.address, 256, device);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuDeviceGetName");
        return s.segment.getString(0);
    }

    /** {@code cuDeviceTotalMem_v2}. */
    static long deviceTotalMem(int device) {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) CU_DEVICE_TOTAL_MEM.invokeExact(s.address, device);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuDeviceTotalMem_v2");
        return s.getLong(0);
    }

    /** {@code cuDeviceGetAttribute}. */
    static int deviceAttribute(int attribute, int device) {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) CU_DEVICE_GET_ATTRIBUTE.invokeExact(s.address, attribute, device);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuDeviceGetAttribute");
        return s.getInt(0);
    }

    /** {@code cuDevicePrimaryCtxRetain}: the device's primary context (retained once more). */
    static long primaryCtxRetain(int device) {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) CU_DEVICE_PRIMARY_CTX_RETAIN.invokeExact(s.address, device);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuDevicePrimaryCtxRetain");
        return s.getLong(0);
    }

    /** {@code cuDevicePrimaryCtxRelease_v2}. */
    static void primaryCtxRelease(int device) {
        int rc;
        try {
            rc = (int) CU_DEVICE_PRIMARY_CTX_RELEASE.invokeExact(device);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuDevicePrimaryCtxRelease_v2");
    }

    /** {@code cuCtxSetCurrent}. */
    static void ctxSetCurrent(long context) {
        int rc;
        try {
            rc = (int) CU_CTX_SET_CURRENT.invokeExact(context);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuCtxSetCurrent");
    }

    // ================================================================ streams and events

    private static final MethodHandle CU_STREAM_CREATE = fn("cuStreamCreate", L, I);
    private static final MethodHandle CU_STREAM_DESTROY = fn("cuStreamDestroy_v2", L);
    private static final MethodHandle CU_STREAM_SYNCHRONIZE = fn("cuStreamSynchronize", L);
    private static final MethodHandle CU_STREAM_QUERY = fn("cuStreamQuery", L);
    private static final MethodHandle CU_STREAM_WAIT_EVENT = fn("cuStreamWaitEvent", L, L, I);
    private static final MethodHandle CU_EVENT_CREATE = fn("cuEventCreate", L, I);
    private static final MethodHandle CU_EVENT_RECORD = fn("cuEventRecord", L, L);
    private static final MethodHandle CU_EVENT_SYNCHRONIZE = fn("cuEventSynchronize", L);
    private static final MethodHandle CU_EVENT_QUERY = fn("cuEventQuery", L);
    // cuda.h (13) maps cuEventElapsedTime to _v2; older drivers export only the original name
    private static final MethodHandle CU_EVENT_ELAPSED_TIME = fnEither("cuEventElapsedTime_v2", "cuEventElapsedTime", L, L, L);
    private static final MethodHandle CU_EVENT_DESTROY = fn("cuEventDestroy_v2", L);

    /** {@code cuStreamCreate}. */
    static long streamCreate(int flags) {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) CU_STREAM_CREATE.invokeExact(s.address, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuStreamCreate");
        return s.getLong(0);
    }

    /** {@code cuStreamDestroy_v2}. */
    static void streamDestroy(long stream) {
        int rc;
        try {
            rc = (int) CU_STREAM_DESTROY.invokeExact(stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuStreamDestroy_v2");
    }

    /** {@code cuStreamSynchronize}. */
    static void streamSynchronize(long stream) {
        int rc;
        try {
            rc = (int) CU_STREAM_SYNCHRONIZE.invokeExact(stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuStreamSynchronize");
    }

    /** {@code cuStreamQuery}: true when all work is done, false for {@code CUDA_ERROR_NOT_READY}. */
    static boolean streamQuery(long stream) {
        int rc;
        try {
            rc = (int) CU_STREAM_QUERY.invokeExact(stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (rc == CuResult.NOT_READY) {
            return false;
        }
        check(rc, "cuStreamQuery");
        return true;
    }

    /** {@code cuStreamWaitEvent(stream, event, 0)}. */
    static void streamWaitEvent(long stream, long event) {
        int rc;
        try {
            rc = (int) CU_STREAM_WAIT_EVENT.invokeExact(stream, event, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuStreamWaitEvent");
    }

    /** {@code cuEventCreate}. */
    static long eventCreate(int flags) {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) CU_EVENT_CREATE.invokeExact(s.address, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuEventCreate");
        return s.getLong(0);
    }

    /** {@code cuEventRecord}. */
    static void eventRecord(long event, long stream) {
        int rc;
        try {
            rc = (int) CU_EVENT_RECORD.invokeExact(event, stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuEventRecord");
    }

    /** {@code cuEventSynchronize}. */
    static void eventSynchronize(long event) {
        int rc;
        try {
            rc = (int) CU_EVENT_SYNCHRONIZE.invokeExact(event);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuEventSynchronize");
    }

    /** {@code cuEventQuery}: true when complete, false for {@code CUDA_ERROR_NOT_READY}. */
    static boolean eventQuery(long event) {
        int rc;
        try {
            rc = (int) CU_EVENT_QUERY.invokeExact(event);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (rc == CuResult.NOT_READY) {
            return false;
        }
        check(rc, "cuEventQuery");
        return true;
    }

    /** {@code cuEventElapsedTime_v2}: milliseconds from {@code start} to {@code end}. */
    static float eventElapsedTime(long start, long end) {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) CU_EVENT_ELAPSED_TIME.invokeExact(s.address, start, end);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuEventElapsedTime_v2");
        return s.getFloat(0);
    }

    /** {@code cuEventDestroy_v2}. */
    static void eventDestroy(long event) {
        int rc;
        try {
            rc = (int) CU_EVENT_DESTROY.invokeExact(event);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuEventDestroy_v2");
    }

    // ================================================================ memory

    private static final MethodHandle CU_DEVICE_GET_DEFAULT_MEM_POOL = fn("cuDeviceGetDefaultMemPool", L, I);
    private static final MethodHandle CU_MEM_POOL_SET_ATTRIBUTE = fn("cuMemPoolSetAttribute", L, I, L);
    private static final MethodHandle CU_MEM_POOL_GET_ATTRIBUTE = fn("cuMemPoolGetAttribute", L, I, L);
    private static final MethodHandle CU_MEM_ALLOC_ASYNC = fn("cuMemAllocAsync", L, L, L);
    private static final MethodHandle CU_MEM_FREE_ASYNC = fn("cuMemFreeAsync", L, L);
    private static final MethodHandle CU_MEM_ALLOC = fn("cuMemAlloc_v2", L, L);
    private static final MethodHandle CU_MEM_HOST_ALLOC = fn("cuMemHostAlloc", L, L, I);
    private static final MethodHandle CU_MEM_FREE_HOST = fn("cuMemFreeHost", L);
    private static final MethodHandle CU_MEMCPY_HTOD_ASYNC = fn("cuMemcpyHtoDAsync_v2", L, L, L, L);
    private static final MethodHandle CU_MEMCPY_DTOH_ASYNC = fn("cuMemcpyDtoHAsync_v2", L, L, L, L);
    private static final MethodHandle CU_MEMCPY_DTOD_ASYNC = fn("cuMemcpyDtoDAsync_v2", L, L, L, L);
    private static final MethodHandle CU_MEMCPY_2D_ASYNC = fn("cuMemcpy2DAsync_v2", L, L);
    private static final MethodHandle CU_MEMCPY_PEER_ASYNC = fn("cuMemcpyPeerAsync", L, L, L, L, L, L);
    private static final MethodHandle CU_MEMSET_D8_ASYNC = fn("cuMemsetD8Async", L, JAVA_BYTE, L, L);
    private static final MethodHandle CU_MEMSET_D32_ASYNC = fn("cuMemsetD32Async", L, I, L, L);

    /** {@code cuDeviceGetDefaultMemPool}. */
    static long deviceDefaultMemPool(int device) {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) CU_DEVICE_GET_DEFAULT_MEM_POOL.invokeExact(s.address, device);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuDeviceGetDefaultMemPool");
        return s.getLong(0);
    }

    /** {@code cuMemPoolSetAttribute} for an attribute whose value type is {@code cuuint64_t}. */
    static void memPoolSetAttributeU64(long pool, int attribute, long value) {
        Scratch s = Scratch.get();
        s.setLong(0, value);
        int rc;
        try {
            rc = (int) CU_MEM_POOL_SET_ATTRIBUTE.invokeExact(pool, attribute, s.address);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuMemPoolSetAttribute");
    }

    /** {@code cuMemPoolGetAttribute} for an attribute whose value type is {@code cuuint64_t}. */
    static long memPoolGetAttributeU64(long pool, int attribute) {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) CU_MEM_POOL_GET_ATTRIBUTE.invokeExact(pool, attribute, s.address);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuMemPoolGetAttribute");
        return s.getLong(0);
    }

    /** {@code cuMemAllocAsync}: stream-ordered allocation from the device's current pool. */
    static long memAllocAsync(long bytes, long stream) {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) CU_MEM_ALLOC_ASYNC.invokeExact(s.address, bytes, stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuMemAllocAsync");
        return s.getLong(0);
    }

    /** {@code cuMemFreeAsync}. */
    static void memFreeAsync(long pointer, long stream) {
        int rc;
        try {
            rc = (int) CU_MEM_FREE_ASYNC.invokeExact(pointer, stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuMemFreeAsync");
    }

    /** {@code cuMemAlloc_v2}: a plain (not stream-ordered) allocation, never freed by us. */
    static long memAlloc(long bytes) {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) CU_MEM_ALLOC.invokeExact(s.address, bytes);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuMemAlloc_v2");
        return s.getLong(0);
    }

    /** {@code cuMemHostAlloc}: page-locked host memory. */
    static long memHostAlloc(long bytes, int flags) {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) CU_MEM_HOST_ALLOC.invokeExact(s.address, bytes, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuMemHostAlloc");
        return s.getLong(0);
    }

    /** {@code cuMemFreeHost}. */
    static void memFreeHost(long pointer) {
        int rc;
        try {
            rc = (int) CU_MEM_FREE_HOST.invokeExact(pointer);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuMemFreeHost");
    }

    /** {@code cuMemcpyHtoDAsync_v2}. */
    static void memcpyHtoDAsync(long dstDevice, long srcHost, long bytes, long stream) {
        int rc;
        try {
            rc = (int) CU_MEMCPY_HTOD_ASYNC.invokeExact(dstDevice, srcHost, bytes, stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuMemcpyHtoDAsync_v2");
    }

    /** {@code cuMemcpyDtoHAsync_v2}. */
    static void memcpyDtoHAsync(long dstHost, long srcDevice, long bytes, long stream) {
        int rc;
        try {
            rc = (int) CU_MEMCPY_DTOH_ASYNC.invokeExact(dstHost, srcDevice, bytes, stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuMemcpyDtoHAsync_v2");
    }

    /** {@code cuMemcpyDtoDAsync_v2}. */
    static void memcpyDtoDAsync(long dstDevice, long srcDevice, long bytes, long stream) {
        int rc;
        try {
            rc = (int) CU_MEMCPY_DTOD_ASYNC.invokeExact(dstDevice, srcDevice, bytes, stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuMemcpyDtoDAsync_v2");
    }

    /** {@code cuMemcpyPeerAsync}. */
    static void memcpyPeerAsync(long dst, long dstContext, long src, long srcContext, long bytes, long stream) {
        int rc;
        try {
            rc = (int) CU_MEMCPY_PEER_ASYNC.invokeExact(dst, dstContext, src, srcContext, bytes, stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuMemcpyPeerAsync");
    }

    /** {@code cuMemsetD8Async}. */
    static void memsetD8Async(long dst, byte value, long count, long stream) {
        int rc;
        try {
            rc = (int) CU_MEMSET_D8_ASYNC.invokeExact(dst, value, count, stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuMemsetD8Async");
    }

    /** {@code cuMemsetD32Async}. */
    static void memsetD32Async(long dst, int value, long count, long stream) {
        int rc;
        try {
            rc = (int) CU_MEMSET_D32_ASYNC.invokeExact(dst, value, count, stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuMemsetD32Async");
    }

    /**
     * {@code cuMemcpy2DAsync_v2} with a {@code CUDA_MEMCPY2D} built in scratch memory. Field
     * offsets (bytes) as in cuda.h on 64-bit platforms: srcXInBytes 0, srcY 8, srcMemoryType 16,
     * srcHost 24, srcDevice 32, srcArray 40, srcPitch 48, dstXInBytes 56, dstY 64,
     * dstMemoryType 72, dstHost 80, dstDevice 88, dstArray 96, dstPitch 104, WidthInBytes 112,
     * Height 120; 128 bytes in all.
     *
     * @param srcType {@code CU_MEMORYTYPE_HOST} (1) or {@code CU_MEMORYTYPE_DEVICE} (2)
     */
    static void memcpy2DAsync(int srcType, long src, long srcPitch, int dstType, long dst, long dstPitch,
                              long widthBytes, long height, long stream) {
        Scratch s = Scratch.get();
        MemorySegment p = s.segment.asSlice(0, MEMCPY2D_BYTES);
        p.fill((byte) 0);
        p.set(JAVA_INT, 16, srcType);
        p.set(JAVA_LONG, srcType == CuResult.MEMORYTYPE_HOST ? 24 : 32, src);
        p.set(JAVA_LONG, 48, srcPitch);
        p.set(JAVA_INT, 72, dstType);
        p.set(JAVA_LONG, dstType == CuResult.MEMORYTYPE_HOST ? 80 : 88, dst);
        p.set(JAVA_LONG, 104, dstPitch);
        p.set(JAVA_LONG, 112, widthBytes);
        p.set(JAVA_LONG, 120, height);
        int rc;
        try {
            rc = (int) CU_MEMCPY_2D_ASYNC.invokeExact(s.address, stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuMemcpy2DAsync_v2");
    }

    /** Size of {@code CUDA_MEMCPY2D}. */
    static final int MEMCPY2D_BYTES = 128;

    // ================================================================ modules and launches

    private static final MethodHandle CU_MODULE_LOAD_DATA = fn("cuModuleLoadData", L, L);
    private static final MethodHandle CU_MODULE_GET_FUNCTION = fn("cuModuleGetFunction", L, L, L);
    private static final MethodHandle CU_LAUNCH_KERNEL = fn("cuLaunchKernel", L, I, I, I, I, I, I, I, L, L, L);

    /** {@code cuModuleLoadData} from a native image (fatbin, cubin or NUL-terminated PTX). */
    static long moduleLoadData(long image) {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) CU_MODULE_LOAD_DATA.invokeExact(s.address, image);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuModuleLoadData");
        return s.getLong(0);
    }

    /** {@code cuModuleGetFunction}; {@code name} is a NUL-terminated native string. */
    static long moduleGetFunction(long module, long name, String javaName) {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) CU_MODULE_GET_FUNCTION.invokeExact(s.address, module, name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuModuleGetFunction(" + javaName + ")");
        return s.getLong(0);
    }

    /** {@code cuLaunchKernel} with a {@code void**} parameter array and no {@code extra}. */
    static void launchKernel(long function, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes,
                             long stream, long params, String kernelName) {
        int rc;
        try {
            rc = (int) CU_LAUNCH_KERNEL.invokeExact(function, gx, gy, gz, bx, by, bz, sharedBytes, stream, params, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (rc != 0) {
            throw error(rc, "cuLaunchKernel(" + kernelName + ", grid " + gx + "x" + gy + "x" + gz
                    + ", block " + bx + "x" + by + "x" + bz + ", shared " + sharedBytes + " B)");
        }
    }

    // ================================================================ graphs

    private static final MethodHandle CU_STREAM_BEGIN_CAPTURE = fn("cuStreamBeginCapture_v2", L, I);
    private static final MethodHandle CU_STREAM_END_CAPTURE = fn("cuStreamEndCapture", L, L);
    private static final MethodHandle CU_GRAPH_INSTANTIATE = fn("cuGraphInstantiateWithFlags", L, L, L);
    private static final MethodHandle CU_GRAPH_LAUNCH = fn("cuGraphLaunch", L, L);
    private static final MethodHandle CU_GRAPH_EXEC_DESTROY = fn("cuGraphExecDestroy", L);
    private static final MethodHandle CU_GRAPH_DESTROY = fn("cuGraphDestroy", L);

    /** {@code cuStreamBeginCapture_v2}. */
    static void streamBeginCapture(long stream, int mode) {
        int rc;
        try {
            rc = (int) CU_STREAM_BEGIN_CAPTURE.invokeExact(stream, mode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuStreamBeginCapture_v2");
    }

    /**
     * {@code cuStreamEndCapture}; returns the raw result and leaves the graph handle (possibly 0)
     * in the scratch slot read by {@link #lastEndCaptureGraph()}.
     */
    static int streamEndCapture(long stream) {
        Scratch s = Scratch.get();
        s.setLong(0, 0);
        try {
            return (int) CU_STREAM_END_CAPTURE.invokeExact(stream, s.address);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The graph written by the last {@link #streamEndCapture} on this thread. */
    static long lastEndCaptureGraph() {
        return Scratch.get().getLong(0);
    }

    /** {@code cuGraphInstantiateWithFlags}. */
    static long graphInstantiate(long graph, long flags) {
        Scratch s = Scratch.get();
        int rc;
        try {
            rc = (int) CU_GRAPH_INSTANTIATE.invokeExact(s.address, graph, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuGraphInstantiateWithFlags");
        return s.getLong(0);
    }

    /** {@code cuGraphLaunch}. */
    static void graphLaunch(long graphExec, long stream) {
        int rc;
        try {
            rc = (int) CU_GRAPH_LAUNCH.invokeExact(graphExec, stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuGraphLaunch");
    }

    /** {@code cuGraphExecDestroy}. */
    static void graphExecDestroy(long graphExec) {
        int rc;
        try {
            rc = (int) CU_GRAPH_EXEC_DESTROY.invokeExact(graphExec);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuGraphExecDestroy");
    }

    /** {@code cuGraphDestroy}. */
    static void graphDestroy(long graph) {
        int rc;
        try {
            rc = (int) CU_GRAPH_DESTROY.invokeExact(graph);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuGraphDestroy");
    }

    // ================================================================ plumbing

    private static SymbolLookup openLibrary() {
        try {
            return SymbolLookup.libraryLookup("libcuda.so.1", Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("libcuda.so.1 not found (no NVIDIA driver installed)", e);
        }
    }

    private static MethodHandle fn(String symbol, MemoryLayout... args) {
        MemorySegment address = LIB.find(symbol).orElseThrow(() -> new IllegalStateException(
                "libcuda.so.1 has no symbol " + symbol + " (the NVIDIA driver is too old; CUDA 12 or newer is needed)"));
        return LINKER.downcallHandle(address, FunctionDescriptor.of(JAVA_INT, args));
    }

    private static MethodHandle fnEither(String symbol, String fallback, MemoryLayout... args) {
        return LIB.find(symbol).isPresent() ? fn(symbol, args) : fn(fallback, args);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("unexpected exception from a CUDA driver downcall", t);
    }
}
