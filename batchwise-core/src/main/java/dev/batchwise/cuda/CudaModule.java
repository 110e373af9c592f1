package dev.batchwise.cuda;

import dev.batchwise.tensor.Device;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loaded kernel module ({@code CUmodule}): the fatbin of one {@code src/main/cuda/<name>.cu},
 * shipped as the class-path resource {@code dev/batchwise/kernels/<name>.fatbin}.
 *
 * <pre>{@code
 * CudaKernel k = CudaModule.load(Device.cuda(0), "tensor").function("bw_noop");
 * }</pre>
 *
 * <p>Modules are loaded once per device ({@code cuModuleLoadData} in the device's primary
 * context; the driver picks the SASS for the GPU or JIT-compiles the embedded PTX) and kept for
 * the life of the JVM, as are the functions looked up in them.
 */
public final class CudaModule {
    private static final ConcurrentHashMap<String, CudaModule> LOADED = new ConcurrentHashMap<>();

    private final CudaDevice device;
    private final String name;
    private final long handle;
    private final ConcurrentHashMap<String, CudaKernel> functions = new ConcurrentHashMap<>();

    private CudaModule(CudaDevice device, String name, long handle) {
        this.device = device;
        this.name = name;
        this.handle = handle;
    }

    /**
     * The module {@code name} on {@code device}, loading it on first use.
     *
     * @throws IllegalArgumentException when there is no resource {@code dev/batchwise/kernels/<name>.fatbin}
     * @throws IllegalStateException    when CUDA is unavailable
     * @throws CudaException            when the driver rejects the image (e.g.
     *                                  {@code CUDA_ERROR_NO_BINARY_FOR_GPU} for a GPU older than sm_80)
     */
    public static CudaModule load(Device device, String name) {
        CudaDevice d = CudaDevice.of(device);
        String key = d.ordinal() + "/" + name;
        CudaModule m = LOADED.get(key);
        if (m != null) {
            return m;
        }
        synchronized (LOADED) {
            return LOADED.computeIfAbsent(key, k -> new CudaModule(d, name, loadImage(d, name)));
        }
    }

    private static long loadImage(CudaDevice device, String name) {
        String resource = "/dev/batchwise/kernels/" + name + ".fatbin";
        byte[] image;
        try (InputStream in = CudaModule.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no kernel module '" + name + "': resource " + resource
                        + " is not on the class path (build it with scripts/build-kernels.sh)");
            }
            image = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment native_ = arena.allocate(image.length + 1L, 16);
            MemorySegment.copy(image, 0, native_, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, image.length);
            device.makeCurrent();
            return CudaDriver.moduleLoadData(native_.address());
        }
    }

    /**
     * The {@code extern "C"} kernel {@code functionName} of this module ({@code cuModuleGetFunction}),
     * cached.
     *
     * @throws CudaException {@code CUDA_ERROR_NOT_FOUND} when the module has no such kernel
     */
    public CudaKernel function(String functionName) {
        CudaKernel k = functions.get(functionName);
        if (k != null) {
            return k;
        }
        return functions.computeIfAbsent(functionName, this::lookUp);
    }

    private CudaKernel lookUp(String functionName) {
        try (Arena arena = Arena.ofConfined()) {
            device.makeCurrent();
            long f = CudaDriver.moduleGetFunction(handle, arena.allocateFrom(functionName).address(),
                    name + "." + functionName);
            return new CudaKernel(device, name + "." + functionName, f);
        }
    }

    /** The module's name (the .cu file's base name). */
    public String name() {
        return name;
    }

    /** The device the module is loaded on. */
    public Device device() {
        return device.device();
    }
}
