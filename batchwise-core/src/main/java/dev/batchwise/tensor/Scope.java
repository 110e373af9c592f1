package dev.batchwise.tensor;

/**
 * Owns every tensor created on this thread while it is the innermost open scope, and frees their
 * CPU and GPU memory when closed.
 *
 * <pre>{@code
 * try (Scope scope = Scope.open()) {
 *     Tensor a = Tensor.of(new float[] {1, 2, 3}, 3);
 *     Tensor b = a.to(Device.cuda(0));
 *     Tensor keep = scope.detach(b.to(DType.FLOAT64)); // survives the scope
 * } // a and b are freed here
 * }</pre>
 *
 * <p>Scopes nest per thread; {@link #close()} must be called on the thread that opened the scope,
 * innermost first (try-with-resources does this). Tensors created with no scope open, and tensors
 * {@linkplain #detach detached} from the outermost scope, are freed by {@link Tensor#close()} or,
 * as a safety net, when they become unreachable. Tensors created on other threads (for example by
 * the caller's own worker threads) belong to the scopes of those threads.
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private final Scope parent;
    private final Thread thread;
    private Storage head;
    private int size;
    private boolean closed;

    private Scope(Scope parent) {
        this.parent = parent;
        this.thread = Thread.currentThread();
    }

    /** Opens a new scope nested in the current one and makes it current on this thread. */
    public static Scope open() {
        Scope s = new Scope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** The innermost open scope of this thread, or {@code null}. */
    public static Scope current() {
        return CURRENT.get();
    }

    /** Number of storages (tensors, not counting views) this scope currently owns. */
    public synchronized int ownedCount() {
        return size;
    }

    /**
     * Moves {@code tensor}'s memory (shared with its views) out of this scope into the enclosing
     * scope, or makes it unowned when this is the outermost one.
     *
     * @return {@code tensor}
     * @throws IllegalArgumentException if this scope does not own the tensor
     * @throws IllegalStateException if the tensor was already closed, or this scope is closed
     */
    public <T extends Tensor> T detach(T tensor) {
        if (tensor == null) {
            throw new IllegalArgumentException("tensor must not be null");
        }
        if (tensor.isClosed()) {
            throw new IllegalStateException("cannot detach a closed tensor");
        }
        if (closed) {
            throw new IllegalStateException("cannot detach from a closed scope (it already freed its tensors)");
        }
        Storage s = tensor.storage();
        if (!unlink(s)) {
            throw new IllegalArgumentException("tensor is not owned by this scope"
                    + (s.owner == null ? " (it is owned by no scope)" : " (it is owned by another scope)"));
        }
        if (parent != null && !parent.closed) {
            parent.link(s);
        }
        return tensor;
    }

    /** Frees every tensor this scope still owns and makes the enclosing scope current. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("a Scope must be closed on the thread that opened it (" + thread.getName() + ")");
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("scopes must be closed innermost first; an inner scope is still open");
        }
        closed = true;
        CURRENT.set(parent);
        RuntimeException failure = null;
        while (true) {
            Storage s;
            synchronized (this) {
                s = head;
                if (s == null) {
                    break;
                }
                unlink(s);
            }
            try {
                s.free();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Called by every new storage: joins the current scope of this thread, if any. */
    static void adopt(Storage s) {
        Scope scope = CURRENT.get();
        if (scope != null) {
            scope.link(s);
        }
    }

    /**
     * Called when a storage is freed explicitly: leaves its scope. Any thread may free, so the
     * list operations are synchronised on the scope; the loop covers a concurrent
     * {@link #detach} moving the storage to the parent scope meanwhile.
     */
    static void disown(Storage s) {
        Scope scope = s.owner;
        while (scope != null && !scope.unlink(s)) {
            scope = s.owner;
        }
    }

    private synchronized void link(Storage s) {
        s.owner = this;
        s.prevInScope = null;
        s.nextInScope = head;
        if (head != null) {
            head.prevInScope = s;
        }
        head = s;
        size++;
    }

    /** Removes {@code s} from this scope's list; false (and nothing changes) when this scope does not own it. */
    private synchronized boolean unlink(Storage s) {
        if (s.owner != this) {
            return false;
        }
        if (s.prevInScope != null) {
            s.prevInScope.nextInScope = s.nextInScope;
        } else {
            head = s.nextInScope;
        }
        if (s.nextInScope != null) {
            s.nextInScope.prevInScope = s.prevInScope;
        }
        s.owner = null;
        s.prevInScope = null;
        s.nextInScope = null;
        size--;
        return true;
    }
}
