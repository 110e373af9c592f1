package dev.batchwise.cuda;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Bookkeeping of one graph capture in progress on a stream (see {@link CudaGraph}).
 *
 * <p>During capture, {@code cuMemFreeAsync} may only free memory that was allocated inside the same
 * capture (it becomes a free node of the graph). Frees of other memory, and frees issued by other
 * threads (for example the Cleaner), are therefore deferred and enqueued once the capture ends.
 * Error flags created during the capture are kept alive by the graph.
 */
final class CaptureState {
    final Thread thread = Thread.currentThread();
    /** Device pointers allocated on the stream by the capturing thread during this capture. */
    final Set<Long> allocations = new HashSet<>();
    /** Frees to enqueue after the capture ends. */
    private final List<Long> deferredFrees = new ArrayList<>();
    /** Error flags created on the stream during this capture. */
    final List<DeviceErrorFlag> flags = new ArrayList<>();

    synchronized void deferFree(long pointer) {
        deferredFrees.add(pointer);
    }

    synchronized List<Long> takeDeferredFrees() {
        List<Long> l = new ArrayList<>(deferredFrees);
        deferredFrees.clear();
        return l;
    }
}
