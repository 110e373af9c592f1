package dev.batchwise.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.MemoryStats;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Graph capture and replay give the results of direct launches (GPU only). */
class CudaGraphTest {
    @Test
    void replayEqualsDirectExecution() {
        Device gpu = Gpu.device();
        try (Scope scope = Scope.open(); CudaStream s = CudaStream.create(gpu)) {
            Tensor input;
            Tensor direct;
            Tensor out;
            Tensor filled;
            try (CudaStream.Use u = s.makeCurrent()) {
                input = Tensor.of(new double[] {1.9, -2.5, 1e10, Double.NaN, 255.5, 7}).to(gpu);
                direct = input.to(DType.INT32).to(DType.UINT8);
                out = Tensor.zeros(DType.UINT8, gpu, 6);
                filled = Tensor.zeros(DType.INT64, gpu, 4);
            }
            long before = MemoryStats.cudaBytesInUse();
            try (CudaGraph g = CudaGraph.capture(s, () -> {
                try (Scope inner = Scope.open()) {
                    out.copyFrom(input.to(DType.INT32).to(DType.UINT8)); // temporaries allocated and freed in the graph
                }
                filled.fillInPlace(-3);
            })) {
                assertFalse(s.isCapturing());
                assertEquals(before, MemoryStats.cudaBytesInUse());
                assertArrayEquals(new byte[6], onStream(s, out::toByteArray), "capture does not execute");
                g.launch(s);
                assertArrayEquals(onStream(s, direct::toByteArray), onStream(s, out::toByteArray));
                assertArrayEquals(new long[] {-3, -3, -3, -3}, onStream(s, filled::toLongArray));
                // replays read the current contents of the captured buffers
                try (CudaStream.Use u = s.makeCurrent()) {
                    input.copyFrom(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}));
                }
                for (int i = 0; i < 100; i++) {
                    g.launch(s);
                }
                assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, onStream(s, out::toByteArray));
            }
        }
    }

    @Test
    void freeingOlderMemoryInsideACaptureIsDeferred() {
        Device gpu = Gpu.device();
        try (CudaStream s = CudaStream.create(gpu)) {
            long before = MemoryStats.cudaBytesInUse();
            Tensor old;
            try (CudaStream.Use u = s.makeCurrent()) {
                old = Tensor.zeros(DType.FLOAT32, gpu, 256);
            }
            try (CudaGraph g = CudaGraph.capture(s, CudaGraph.CaptureMode.GLOBAL, old::close)) {
                g.launch(s);
                s.synchronize();
            }
            assertTrue(old.isClosed());
            assertEquals(before, MemoryStats.cudaBytesInUse());
        }
    }

    @Test
    void aFailingBodyEndsTheCapture() {
        Device gpu = Gpu.device();
        try (CudaStream s = CudaStream.create(gpu)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> CudaGraph.capture(s, () -> Tensor.of(new float[] {1, 2}).to(gpu)));
            assertTrue(e.getMessage().contains("cannot be captured"), e.getMessage());
            assertFalse(s.isCapturing());
            RuntimeException boom = new RuntimeException("boom");
            assertEquals(boom, assertThrows(RuntimeException.class, () -> CudaGraph.capture(s, () -> {
                throw boom;
            })));
            try (CudaStream.Use u = s.makeCurrent(); Scope scope = Scope.open()) {
                assertArrayEquals(new float[] {2, 2}, Tensor.full(2, DType.FLOAT32, gpu, 2).toFloatArray());
            }
        }
    }

    @Test
    void errorFlagsCreatedInACaptureAreCheckedPerReplay() {
        Device gpu = Gpu.device();
        try (CudaStream s = CudaStream.create(gpu); Scope scope = Scope.open()) {
            CudaKernel report = CudaModule.load(gpu, "tensor").function("bw_debug_report_error");
            Tensor count;
            try (CudaStream.Use u = s.makeCurrent()) {
                count = Tensor.zeros(DType.INT64, gpu, 1);
            }
            try (CudaGraph g = CudaGraph.capture(s, () -> {
                DeviceErrorFlag flag = DeviceErrorFlag.create(s);
                report.launch(s).block(32).grid(1).ptr(flag.pointer()).i64(0).i64(DeviceErrorFlag.ERR_INDEX)
                        .i64(10).i64(5).run();
                flag.attachTo("graphOp");
            })) {
                g.launch(s);
                g.checkErrors(s); // n = 0: nothing reported
            }
            try (CudaGraph g = CudaGraph.capture(s, () -> {
                DeviceErrorFlag flag = DeviceErrorFlag.create(s);
                report.launch(s).block(32).grid(1).ptr(flag.pointer()).i64(1).i64(DeviceErrorFlag.ERR_INDEX)
                        .i64(10).i64(5).run();
                flag.attachTo("graphOp");
            })) {
                g.launch(s);
                IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> g.checkErrors(s));
                assertEquals("graphOp: index 10 is out of range for size 5 in sample 0 at position 1", e.getMessage());
            }
            assertEquals(1, count.numel());
        }
    }

    private static <T> T onStream(CudaStream s, java.util.function.Supplier<T> read) {
        try (CudaStream.Use u = s.makeCurrent()) {
            return read.get();
        }
    }
}
