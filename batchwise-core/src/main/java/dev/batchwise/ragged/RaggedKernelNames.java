package dev.batchwise.ragged;

import dev.batchwise.cuda.CudaKernel;
import dev.batchwise.cuda.CudaModule;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * The entry points of {@code ragged.cu}, found per launch without building strings.
 *
 * <p>Why: a W1 op costs under a microsecond of Java time on the CUDA path, and building a kernel's
 * name per launch ({@code "ragged_gather_" + "e4" + "_i64"}), then the module's key, then hashing
 * both new strings to find them, took about 90 ns of it. Here each family builds its names once
 * (one per dtype, or per dtype and index dtype), and the module is kept per device.
 */
final class RaggedKernelNames {
    private static final int DEVICES = 64;
    private static final AtomicReferenceArray<CudaModule> MODULES = new AtomicReferenceArray<>(DEVICES);
    private static final DType[] TYPES = DType.values();

    private final String[] names; // [dtype ordinal * 3 + (0: no index, 1: i32, 2: i64)], null where undefined

    private RaggedKernelNames(String prefix, Function<DType, String> suffix, boolean indexed) {
        names = new String[TYPES.length * 3];
        for (DType t : TYPES) {
            String base;
            try {
                base = suffix == null ? prefix : prefix + "_" + suffix.apply(t);
            } catch (IllegalArgumentException noKernel) {
                continue; // no kernel for this dtype: name(t) reports it
            }
            names[t.ordinal() * 3] = indexed ? null : base;
            names[t.ordinal() * 3 + 1] = indexed ? base + "_i32" : null;
            names[t.ordinal() * 3 + 2] = indexed ? base + "_i64" : null;
        }
    }

    /** Kernels {@code prefix_e1/_e4/_e8} by element size (raw element copies). */
    static RaggedKernelNames byElement(String prefix) {
        return new RaggedKernelNames(prefix, t -> "e" + t.byteSize(), false);
    }

    /** Kernels {@code prefix_e1_i32 … prefix_e8_i64} by element size and index dtype. */
    static RaggedKernelNames byElementAndIndex(String prefix) {
        return new RaggedKernelNames(prefix, t -> "e" + t.byteSize(), true);
    }

    /** Kernels {@code prefix_f32/_f64/_s32/_s64} by arithmetic type. */
    static RaggedKernelNames byNumber(String prefix) {
        return new RaggedKernelNames(prefix, RaggedKernelNames::number, false);
    }

    /** Kernels {@code prefix_f32_i32 … prefix_s64_i64} by arithmetic type and index dtype. */
    static RaggedKernelNames byNumberAndIndex(String prefix) {
        return new RaggedKernelNames(prefix, RaggedKernelNames::number, true);
    }

    /** The one kernel {@code name} (no type suffix). */
    static RaggedKernelNames single(String name) {
        return new RaggedKernelNames(name, null, false);
    }

    private static String number(DType t) {
        return switch (t) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case INT32 -> "s32";
            case INT64 -> "s64";
            default -> throw new IllegalArgumentException("no arithmetic kernels for dtype " + t);
        };
    }

    /** The family's kernel for {@code t} on {@code device}. */
    CudaKernel on(Device device, DType t) {
        return find(device, t.ordinal() * 3, t);
    }

    /** The family's kernel for {@code t} and index dtype {@code index} (INT32 or INT64) on {@code device}. */
    CudaKernel on(Device device, DType t, DType index) {
        return find(device, t.ordinal() * 3 + (index == DType.INT32 ? 1 : 2), t);
    }

    /** The kernel of a {@link #single} family on {@code device}. */
    CudaKernel on(Device device) {
        return find(device, 0, null);
    }

    private CudaKernel find(Device device, int slot, DType t) {
        String name = names[slot];
        if (name == null) {
            throw new IllegalArgumentException("no ragged kernel for dtype " + t);
        }
        return module(device).function(name);
    }

    /** The {@code ragged} module on {@code device}, loaded once. */
    private static CudaModule module(Device device) {
        int i = device.cudaIndex();
        CudaModule m = i < DEVICES ? MODULES.get(i) : null;
        if (m == null) {
            m = CudaModule.load(device, "ragged");
            if (i < DEVICES) {
                MODULES.set(i, m);
            }
        }
        return m;
    }
}
