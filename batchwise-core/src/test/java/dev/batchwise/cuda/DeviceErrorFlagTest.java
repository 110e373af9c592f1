package dev.batchwise.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.MemoryStats;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorErrorFlags;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Kernel-reported errors surface when results are read on the host (GPU only). */
class DeviceErrorFlagTest {
    private static void report(CudaStream s, DeviceErrorFlag flag, long threads, long code, long value, long bound) {
        CudaModule.load(s.device(), "tensor").function("bw_debug_report_error").launch(s)
                .block(256).gridFor(Math.max(1, threads)).ptr(flag.pointer()).i64(threads).i64(code).i64(value)
                .i64(bound).run();
    }

    @Test
    void indexErrorsThrowOnEveryHostReadOfAnAttachedResult() {
        Device gpu = Gpu.device();
        CudaStream s = CudaStream.current(gpu);
        try (Scope scope = Scope.open()) {
            Tensor out = Tensor.zeros(DType.FLOAT32, gpu, 10);
            Tensor other = Tensor.zeros(DType.INT32, gpu, 3);
            DeviceErrorFlag flag = DeviceErrorFlag.create(gpu, s);
            report(s, flag, 1, DeviceErrorFlag.ERR_INDEX, 17, 10);
            flag.attachTo("testOp", out, other);
            String msg = "testOp: index 17 is out of range for size 10 in sample 0 at position 1";
            assertEquals(msg, assertThrows(IndexOutOfBoundsException.class, out::toFloatArray).getMessage());
            assertEquals(msg, assertThrows(IndexOutOfBoundsException.class, out::toFloatArray).getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> out.to(Device.CPU));
            assertThrows(IndexOutOfBoundsException.class, out::toString);
            assertThrows(IndexOutOfBoundsException.class, () -> out.narrow(0, 2, 3).toFloatArray());
            assertThrows(IndexOutOfBoundsException.class, () -> other.toIntArray());
            // carried over by GPU copies and conversions
            assertThrows(IndexOutOfBoundsException.class, () -> out.to(DType.FLOAT64).toDoubleArray());
            assertThrows(IndexOutOfBoundsException.class, () -> out.copy().toFloatArray());
            assertThrows(IndexOutOfBoundsException.class, flag::check);
        }
    }

    @Test
    void valueErrorsThrowIllegalArgument() {
        Device gpu = Gpu.device();
        CudaStream s = CudaStream.current(gpu);
        try (Scope scope = Scope.open()) {
            Tensor out = Tensor.zeros(DType.UINT8, gpu, 4);
            DeviceErrorFlag flag = DeviceErrorFlag.create(s);
            report(s, flag, 1, DeviceErrorFlag.ERR_VALUE, -7, 3);
            flag.attachTo("valueOp", out);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, out::toByteArray);
            assertEquals("valueOp: invalid value in sample 0 at position 1 (details -7, 3)", e.getMessage());
        }
    }

    @Test
    void anExceptionFactoryChoosesTheExceptionAndFallsBackToTheGenericOne() {
        Device gpu = Gpu.device();
        CudaStream s = CudaStream.current(gpu);
        DeviceErrorFlag.ExceptionFactory factory = (op, code, a, b, c, d) -> code == DeviceErrorFlag.ERR_VALUE
                ? new UnsupportedOperationException(op + " says " + c + "/" + d) : null;
        try (Scope scope = Scope.open()) {
            Tensor specific = Tensor.zeros(DType.INT32, gpu, 2);
            DeviceErrorFlag f1 = DeviceErrorFlag.create(s).withExceptions(factory);
            report(s, f1, 1, DeviceErrorFlag.ERR_VALUE, 9, 4);
            f1.attachTo("factoryOp", specific);
            assertEquals("factoryOp says 9/4",
                    assertThrows(UnsupportedOperationException.class, specific::toIntArray).getMessage());
            assertThrows(UnsupportedOperationException.class, f1::check);

            Tensor generic = Tensor.zeros(DType.INT32, gpu, 2);
            DeviceErrorFlag f2 = DeviceErrorFlag.create(s).withExceptions(factory);
            report(s, f2, 1, DeviceErrorFlag.ERR_INDEX, 12, 3);
            f2.attachTo("factoryOp", generic);
            assertEquals("factoryOp: index 12 is out of range for size 3 in sample 0 at position 1",
                    assertThrows(IndexOutOfBoundsException.class, generic::toIntArray).getMessage());
        }
    }

    @Test
    void theFirstReportWinsWhole() {
        Device gpu = Gpu.device();
        CudaStream s = CudaStream.current(gpu);
        try (Scope scope = Scope.open()) {
            Tensor out = Tensor.zeros(DType.FLOAT32, gpu, 1);
            DeviceErrorFlag flag = DeviceErrorFlag.create(s);
            report(s, flag, 1_000_000, DeviceErrorFlag.ERR_INDEX, 1000, 5);
            flag.attachTo("race", out);
            String m = assertThrows(IndexOutOfBoundsException.class, out::toFloatArray).getMessage();
            Matcher x = Pattern.compile("race: index (\\d+) is out of range for size 5 in sample (\\d+) at position (\\d+)")
                    .matcher(m);
            assertTrue(x.matches(), m);
            long index = Long.parseLong(x.group(1));
            long sample = Long.parseLong(x.group(2));
            long position = Long.parseLong(x.group(3));
            assertEquals(1000 + sample, index, "details of one report, not a mix: " + m);
            assertEquals(sample + 1, position, m);
        }
    }

    @Test
    void cleanFlagsAreDroppedAfterTheFirstRead() {
        Device gpu = Gpu.device();
        CudaStream s = CudaStream.current(gpu);
        long before = MemoryStats.cudaBytesInUse();
        try (Scope scope = Scope.open()) {
            Tensor out = Tensor.full(4, DType.FLOAT32, gpu, 3);
            DeviceErrorFlag flag = DeviceErrorFlag.create(s);
            report(s, flag, 0, DeviceErrorFlag.ERR_INDEX, 0, 0);
            flag.attachTo("cleanOp", out);
            assertEquals(1, TensorErrorFlags.pendingCount(out));
            assertArrayEquals(new float[] {4, 4, 4}, out.toFloatArray());
            assertEquals(0, TensorErrorFlags.pendingCount(out));
            flag.check();
        }
        assertEquals(before, MemoryStats.cudaBytesInUse());
    }

    @Test
    void manyFlagsRecycleTheirSlots() {
        Device gpu = Gpu.device();
        CudaStream s = CudaStream.current(gpu);
        for (int i = 0; i < 20_000; i++) {
            try (Scope scope = Scope.open()) {
                Tensor out = Tensor.empty(DType.FLOAT32, gpu, 2);
                DeviceErrorFlag.create(s).attachTo("loop", out);
            }
        }
        s.synchronize();
        try (Scope scope = Scope.open()) {
            Tensor out = Tensor.zeros(DType.FLOAT32, gpu, 2);
            DeviceErrorFlag.create(s).attachTo("after", out); // a recycled slot starts zeroed
            assertArrayEquals(new float[2], out.toFloatArray());
        }
    }

    @Test
    void flagsOfARecycledRunStartZeroedAfterErrors() {
        Device gpu = Gpu.device();
        // Every flag of several runs reports an error that nobody reads; the runs are recycled and
        // zeroed again, so later flags must come up clean (and still catch their own errors).
        try (CudaStream side = CudaStream.create(gpu); CudaStream.Use use = side.makeCurrent()) {
            for (int i = 0; i < 3 * ErrorFlagArena.RUN_SLOTS + 7; i++) {
                try (Scope scope = Scope.open()) {
                    Tensor out = Tensor.empty(DType.FLOAT32, gpu, 1);
                    DeviceErrorFlag f = DeviceErrorFlag.create(side).attachTo("dirty", out);
                    report(side, f, 1, DeviceErrorFlag.ERR_VALUE, 5, 6);
                }
            }
            side.synchronize();
        }
        CudaStream s = CudaStream.current(gpu);
        // more flags than a block holds: the stream cycles through every free run, the dirty ones included
        for (int i = 0; i < ErrorFlagArena.SLOTS_PER_BLOCK + 4 * ErrorFlagArena.RUN_SLOTS; i++) {
            try (Scope scope = Scope.open()) {
                Tensor out = Tensor.zeros(DType.FLOAT32, gpu, 1);
                DeviceErrorFlag.create(s).attachTo("clean", out);
                assertArrayEquals(new float[1], out.toFloatArray());
            }
        }
        try (Scope scope = Scope.open()) {
            Tensor out = Tensor.zeros(DType.FLOAT32, gpu, 1);
            DeviceErrorFlag f = DeviceErrorFlag.create(s).attachTo("caught", out);
            report(s, f, 3, DeviceErrorFlag.ERR_INDEX, 40, 10);
            assertThrows(IndexOutOfBoundsException.class, out::toFloatArray);
        }
    }
}
