package dev.batchwise.tensor;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One contiguous block of tensor memory on one device, shared by a tensor and all its views.
 *
 * <p>Lifetime: freed exactly once, by {@link Tensor#close()}, by the {@link Scope} that owns it,
 * or — only as a safety net — by a {@link Cleaner} once nothing references it. After that every
 * access through a tensor throws {@link IllegalStateException}.
 */
abstract class Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    /**
     * The raw resource and how to free it. Must not reference the {@link Storage} (the Cleaner
     * could then never run).
     */
    abstract static class Allocation implements Runnable {
        private final AtomicBoolean freed = new AtomicBoolean();

        @Override
        public final void run() {
            if (freed.compareAndSet(false, true)) {
                free();
            }
        }

        final boolean isFreed() {
            return freed.get();
        }

        /** Releases the memory; called at most once. */
        abstract void free();
    }

    private final Device device;
    private final long byteSize;
    private final long address;
    private final Allocation allocation;
    private final Cleaner.Cleanable cleanable;

    // Intrusive links of the owning scope's list (O(1) removal on explicit close), guarded by the
    // owning scope's monitor; owner is volatile because other threads read it to find that scope.
    volatile Scope owner;
    Storage prevInScope;
    Storage nextInScope;

    Storage(Device device, long byteSize, long address, Allocation allocation) {
        this.device = device;
        this.byteSize = byteSize;
        this.address = address;
        this.allocation = allocation;
        this.cleanable = CLEANER.register(this, allocation);
        Scope.adopt(this);
    }

    final Device device() {
        return device;
    }

    final long byteSize() {
        return byteSize;
    }

    /** Base address (host address for CPU, device pointer for CUDA). */
    final long address() {
        checkLive();
        return address;
    }

    final boolean isFreed() {
        return allocation.isFreed();
    }

    final void checkLive() {
        if (allocation.isFreed()) {
            throw new IllegalStateException(
                    "tensor memory on " + device + " was already freed (the tensor was closed or its Scope closed)");
        }
    }

    /** Frees the memory now (idempotent) and leaves the owning scope. */
    final void free() {
        Scope.disown(this);
        cleanable.clean();
    }
}
