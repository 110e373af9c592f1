package dev.batchwise.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Streams, the thread's current stream, and events (GPU only). */
class CudaStreamEventTest {
    @Test
    void defaultStreamIsCurrentUntilAnotherIsMadeCurrent() {
        Device gpu = Gpu.device();
        CudaStream def = CudaStream.defaultStream(gpu);
        assertTrue(def.isDefault());
        assertSame(def, CudaStream.current(gpu));
        try (CudaStream a = CudaStream.create(gpu); CudaStream b = CudaStream.create(gpu)) {
            assertFalse(a.isDefault());
            assertNotSame(a, b);
            try (CudaStream.Use ua = a.makeCurrent()) {
                assertSame(a, CudaStream.current(gpu));
                try (CudaStream.Use ub = b.makeCurrent()) {
                    assertSame(b, CudaStream.current(gpu));
                    assertThrows(IllegalStateException.class, ua::close, "outer use closed first");
                }
                assertSame(a, CudaStream.current(gpu));
            }
            assertSame(def, CudaStream.current(gpu));
        }
        assertThrows(IllegalStateException.class, def::close);
        assertThrows(IllegalArgumentException.class, () -> CudaStream.current(Device.CPU));
    }

    @Test
    void otherThreadsKeepTheirOwnCurrentStream() throws Exception {
        Device gpu = Gpu.device();
        try (CudaStream a = CudaStream.create(gpu); CudaStream.Use u = a.makeCurrent()) {
            CudaStream[] seen = new CudaStream[1];
            Thread t = new Thread(() -> seen[0] = CudaStream.current(gpu));
            t.start();
            t.join();
            assertSame(CudaStream.defaultStream(gpu), seen[0]);
        }
    }

    @Test
    void eventsMeasureDeviceTime() {
        Device gpu = Gpu.device();
        CudaStream s = CudaStream.current(gpu);
        try (Scope scope = Scope.open();
             CudaEvent start = CudaEvent.create(gpu);
             CudaEvent end = CudaEvent.create(gpu)) {
            Tensor big = Tensor.empty(DType.FLOAT64, gpu, 32L << 20); // 256 MiB
            start.record(s);
            for (int i = 0; i < 10; i++) {
                big.fillInPlace(i + 0.5);
            }
            end.record(s);
            end.synchronize();
            assertTrue(end.isComplete());
            float ms = end.elapsedMillisSince(start);
            assertTrue(ms > 0 && ms < 60_000, "elapsed " + ms);
            assertTrue(s.isIdle());
        }
    }

    @Test
    void streamsWaitForEventsOfOtherStreams() {
        Device gpu = Gpu.device();
        try (Scope scope = Scope.open();
             CudaStream producer = CudaStream.create(gpu);
             CudaStream consumer = CudaStream.create(gpu);
             CudaEvent ready = CudaEvent.create(gpu)) {
            Tensor src;
            try (CudaStream.Use u = producer.makeCurrent()) {
                src = Tensor.empty(DType.FLOAT32, gpu, 1 << 24);
                src.fillInPlace(7);
                ready.record(producer);
            }
            consumer.waitFor(ready);
            try (CudaStream.Use u = consumer.makeCurrent()) {
                Tensor copy = src.copy();
                float[] host = copy.narrow(0, (1 << 24) - 4, 4).toFloatArray();
                assertArrayEquals(new float[] {7, 7, 7, 7}, host);
            }
            producer.synchronize();
        }
    }

    @Test
    void eventElapsedBeforeCompletionIsACudaException() {
        Device gpu = Gpu.device();
        try (CudaEvent never = CudaEvent.create(gpu); CudaEvent end = CudaEvent.create(gpu)) {
            end.record(CudaStream.current(gpu));
            end.synchronize();
            CudaException e = assertThrows(CudaException.class, () -> end.elapsedMillisSince(never));
            assertFalse(e.errorName().isBlank());
            assertTrue(e.code() != 0);
        }
    }
}
