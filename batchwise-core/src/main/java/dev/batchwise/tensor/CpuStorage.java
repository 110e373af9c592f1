package dev.batchwise.tensor;

import dev.batchwise.cpu.NativeMemory;
import java.lang.foreign.MemorySegment;

/** Host memory from the C allocator, readable and writable from any thread. */
final class CpuStorage extends Storage {
    private final MemorySegment segment;

    private CpuStorage(long byteSize, long address) {
        super(Device.CPU, byteSize, address, new Free(address, byteSize));
        this.segment = NativeMemory.segment(address, byteSize);
        MemoryStats.CPU_BYTES.add(byteSize);
    }

    static CpuStorage allocate(long byteSize, boolean zero) {
        return new CpuStorage(byteSize, NativeMemory.allocate(byteSize, zero));
    }

    MemorySegment segment() {
        checkLive();
        return segment;
    }

    private static final class Free extends Allocation {
        private final long address;
        private final long bytes;

        Free(long address, long bytes) {
            this.address = address;
            this.bytes = bytes;
        }

        @Override
        void free() {
            NativeMemory.free(address, bytes);
            MemoryStats.CPU_BYTES.add(-bytes);
        }
    }
}
