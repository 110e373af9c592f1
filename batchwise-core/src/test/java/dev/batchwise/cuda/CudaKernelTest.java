package dev.batchwise.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Module loading, the launch builder and launch errors (GPU only). */
class CudaKernelTest {
    @Test
    void modulesAndFunctionsAreCached() {
        Device gpu = Gpu.device();
        CudaModule m = CudaModule.load(gpu, "tensor");
        assertSame(m, CudaModule.load(gpu, "tensor"));
        assertSame(m.function("bw_noop"), m.function("bw_noop"));
        assertEquals("tensor.bw_noop", m.function("bw_noop").name());
        assertEquals("tensor", m.name());
        assertEquals(gpu, m.device());
    }

    @Test
    void launchesRunAndTakeTypedArguments() {
        Device gpu = Gpu.device();
        CudaStream s = CudaStream.current(gpu);
        CudaKernel noop = CudaModule.load(gpu, "tensor").function("bw_noop");
        for (int i = 0; i < 1000; i++) {
            noop.launch(s).grid(4).block(128).run();
        }
        s.synchronize();
        try (Scope scope = Scope.open()) {
            Tensor out = Tensor.zeros(DType.INT64, gpu, 1000);
            CudaModule.load(gpu, "tensor").function("bw_fill_u64").launch(s)
                    .block(64).gridFor(990).ptr(out).i64(990).i64(0x0102030405060708L).run();
            long[] v = out.toLongArray();
            assertEquals(0x0102030405060708L, v[0]);
            assertEquals(0x0102030405060708L, v[989]);
            assertEquals(0, v[990]);
            // i32/f32/f64 slots and a raw pointer: cast kernel with a pointer given as a long
            Tensor f = Tensor.of(new float[] {1.5f, -2.5f, 3.75f}).to(gpu);
            Tensor d = Tensor.empty(DType.FLOAT64, gpu, 3);
            CudaModule.load(gpu, "tensor").function("bw_cast_f32_f64").launch(s)
                    .block(32).grid(1).ptr(f.devicePointer()).ptr(d).i64(3).run();
            assertArrayEquals(new double[] {1.5, -2.5, 3.75}, d.toDoubleArray());
        }
    }

    @Test
    void tablesPassByValueBetweenScalars() {
        Device gpu = Gpu.device();
        CudaStream s = CudaStream.current(gpu);
        CudaKernel k = CudaModule.load(gpu, "tensor").function("bw_debug_copy_words");
        long[] table = new long[20];
        table[0] = 5; // bw_debug_words.count, then the words
        for (int i = 1; i <= 15; i++) {
            table[i] = 1000L * i + 7;
        }
        try (Scope scope = Scope.open()) {
            Tensor out = Tensor.full(-1, DType.INT64, gpu, 8);
            k.launch(s).block(32).grid(1).i64(-42).words(table, 16).i64(99).ptr(out).run();
            table[1] = 0; // copied at launch: later changes do not matter
            assertArrayEquals(new long[] {-42, 1007, 2007, 3007, 4007, 5007, 99, -1}, out.toLongArray());
            // the builder's parameter space is reset per launch
            table[0] = 15;
            Tensor all = Tensor.full(-1, DType.INT64, gpu, 17);
            k.launch(s).block(32).grid(1).i64(1).words(table, 16).i64(2).ptr(all).run();
            long[] v = all.toLongArray();
            assertEquals(1, v[0]);
            assertEquals(0, v[1]);
            assertEquals(15007, v[15]);
            assertEquals(2, v[16]);
        }
        assertThrows(IllegalArgumentException.class, () -> k.launch(s).words(table, 0));
        assertThrows(IllegalArgumentException.class, () -> k.launch(s).words(table, 21));
        long[] big = new long[CudaKernel.MAX_PARAMETER_BYTES / 8];
        CudaKernel.Launch l = k.launch(s).words(big, big.length);
        assertThrows(IllegalArgumentException.class, () -> l.i64(0));
        CudaModule.load(gpu, "tensor").function("bw_noop").launch(s).run(); // the builder is usable again
        s.synchronize();
    }

    @Test
    void invalidLaunchesThrowCudaExceptionWithTheDriverErrorName() {
        Device gpu = Gpu.device();
        CudaStream s = CudaStream.current(gpu);
        CudaKernel noop = CudaModule.load(gpu, "tensor").function("bw_noop");
        CudaException e = assertThrows(CudaException.class, () -> noop.launch(s).block(2048).run());
        assertEquals(1, e.code());
        assertEquals("CUDA_ERROR_INVALID_VALUE", e.errorName());
        assertTrue(e.getMessage().contains("tensor.bw_noop"), e.getMessage());
        assertTrue(e.getMessage().contains("block 2048x1x1"), e.getMessage());
        // the context survives a rejected launch
        noop.launch(s).run();
        s.synchronize();
    }

    @Test
    void missingKernelsAndModulesAreReported() {
        Device gpu = Gpu.device();
        CudaException e = assertThrows(CudaException.class,
                () -> CudaModule.load(gpu, "tensor").function("no_such_kernel"));
        assertEquals("CUDA_ERROR_NOT_FOUND", e.errorName());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> CudaModule.load(gpu, "no_such_module"));
        assertTrue(m.getMessage().contains("dev/batchwise/kernels/no_such_module.fatbin"), m.getMessage());
    }

    @Test
    void builderRejectsMisuse() {
        Device gpu = Gpu.device();
        CudaStream s = CudaStream.current(gpu);
        CudaKernel noop = CudaModule.load(gpu, "tensor").function("bw_noop");
        try (Scope scope = Scope.open()) {
            Tensor cpu = Tensor.zeros(DType.FLOAT32, Device.CPU, 2);
            assertThrows(IllegalArgumentException.class, () -> noop.launch(s).ptr(cpu));
            CudaKernel.Launch l = noop.launch(s);
            for (int i = 0; i < CudaKernel.MAX_PARAMETERS; i++) {
                l.i32(i);
            }
            assertThrows(IllegalArgumentException.class, () -> l.i32(0));
            noop.launch(s).run();
            CudaKernel.Launch done = noop.launch(s);
            done.run();
            assertThrows(IllegalStateException.class, done::run);
        }
    }
}
