package dev.batchwise.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The low-latency way into {@link CpuPool}: a fixed set of daemon helper threads that run the
 * chunks of one loop at a time together with the calling thread, and that keep polling for the
 * next loop for a short while after each one instead of parking at once.
 *
 * <p>Why: handing a loop to the {@link java.util.concurrent.ForkJoinPool} from an outside thread
 * costs 12-24 µs on the 2-core development machine ({@code parallelFor(2, 1, k -> {})} took
 * about 12 µs), because its workers are parked between loops and each must be woken with a
 * futex call and rescheduled. That is more than many whole operations take: the W1 combine writes
 * a 154 KB padded batch in 4.4 µs on one core, so it could not use the second core at all. A
 * helper that is still spinning sees a new loop within a few hundred nanoseconds.
 *
 * <p>The trade-off of the spin window ({@code batchwise.cpu.spinMicros}, default
 * {@value #DEFAULT_SPIN_MICROS} µs; 0 parks at once): after each loop, every helper occupies a
 * core for at most that long, polling one volatile field with {@link Thread#onSpinWait()}, and
 * then parks until the next loop wakes it. A program that runs loops back to back (the W1 step,
 * repeated ragged ops) pays the fast hand-off; one that runs a loop now and then pays at most
 * the window of busy CPU after each, and the usual wake-up cost when it comes back.
 *
 * <p>How one loop runs ({@link #tryRun}): the caller takes the lane (one loop at a time), claims
 * the loop's first chunk, publishes a {@link Job} in one field, unparks the helpers that are
 * parked, and runs chunks itself, claiming more from the loop's shared counter like everyone else.
 * A helper that sees the job <em>joins</em> it (a counter in the job) and claims chunks too. When
 * the caller finds no chunk left it <em>closes</em> the job, so that helpers arriving later stay
 * out, and waits only for the helpers that joined (spinning, then yielding, then parking). Each
 * helper leaves with a volatile decrement after its last item, so everything the items wrote is
 * visible to the caller when {@link #tryRun} returns. An exception from any item is rethrown on
 * the caller, after every helper has left; the loop skips the chunks not yet claimed.
 *
 * <p>Why the caller claims chunk 0 before publishing: a loop cut into one chunk per thread (the
 * split W1 combine) then writes each part of its output from the same core every time, so the
 * lines stay in that core's cache. When the caller and a spinning helper raced for chunk 0, the
 * helper won it in 1-10% of the loops; each time both halves of the output moved between the
 * cores, and the split combine's kernel took 3.3-5 µs instead of 2.6 µs (2 cores, 154 KB).
 *
 * <p>A loop started while the lane is busy is not queued: {@link #tryRun} answers {@link
 * Outcome#BUSY} (another thread's loop; the caller goes to the fork/join pool) or {@link
 * Outcome#NESTED} (the calling thread is already running items of the lane's loop; the caller
 * runs the inner loop on its own thread). Neither waits for the lane, so nesting cannot deadlock,
 * and no loop ever runs on more threads than there are cores.
 */
final class SpinLane {
    /**
     * Spin window of the shared lane when {@code batchwise.cpu.spinMicros} is not set (the
     * {@link CpuPool} class comment names it too). Measured on the 2-core machine with the W1
     * bench, two runs each: the per-sample W1 baseline, which runs many small loops with serial
     * work between them, took 21.5-22.6 ms with 0 µs, 19.6-21.0 ms with 50 µs, 18.3-18.6 ms with
     * 150 µs and 18.3-18.8 ms with 400 µs (27-29 ms on the fork/join pool alone); the batched step
     * took 11.2-12.6 ms with any window of 50 µs or more (one noisy run aside). 150 µs is where
     * the gain stops growing.
     */
    static final long DEFAULT_SPIN_MICROS = 150;

    /** How {@link #tryRun} went. */
    enum Outcome {
        /** The loop ran on the lane; every item has run (or one threw, and that was rethrown). */
        RAN,
        /** Another thread's loop holds the lane; nothing ran. */
        BUSY,
        /** The calling thread runs items of the lane's current loop; nothing ran. */
        NESTED
    }

    /**
     * How long the caller spins for helpers that joined before it starts yielding, and then how
     * long it yields before it parks (a helper running a long last chunk then wakes it).
     */
    private static final long CALLER_SPIN_NANOS = 20_000;
    private static final long CALLER_YIELD_NANOS = 1_000_000;

    private static final VarHandle OWNER;
    private static final VarHandle JOB;
    private static final VarHandle PARK_STATE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            OWNER = l.findVarHandle(SpinLane.class, "owner", Thread.class);
            JOB = l.findVarHandle(SpinLane.class, "job", Job.class);
            PARK_STATE = l.findVarHandle(Helper.class, "parkState", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Helper[] helpers;
    private final long spinNanos;
    /** The thread whose loop holds the lane, while one does (through {@link #OWNER}). */
    private volatile Thread owner;
    /** The latest job; helpers compare it with the last one they saw (through {@link #JOB} too). */
    private volatile Job job;
    /** Set by {@link #shutdown}: helpers exit. */
    private volatile boolean stopped;

    /**
     * Starts {@code helperCount} daemon helper threads named {@code namePrefix + i}.
     *
     * @param spinMicros how long a helper polls for the next job after each one before it parks
     *                   ({@code 0}: parks at once)
     */
    SpinLane(int helperCount, long spinMicros, String namePrefix) {
        this.spinNanos = Math.max(0, spinMicros) * 1_000;
        this.helpers = new Helper[helperCount];
        for (int i = 0; i < helperCount; i++) {
            helpers[i] = new Helper(namePrefix + i);
        }
        for (Helper h : helpers) {
            h.start();
        }
    }

    /** The spin window read from {@code batchwise.cpu.spinMicros} (µs, negative counts as 0). */
    static long configuredSpinMicros() {
        return Math.max(0, Long.getLong("batchwise.cpu.spinMicros", DEFAULT_SPIN_MICROS));
    }

    /** Threads that run items of one loop: the helpers and the caller. */
    int threads() {
        return helpers.length + 1;
    }

    /** The helper threads (tests check their state). */
    Thread[] helperThreads() {
        return helpers.clone();
    }

    /**
     * Runs {@code body} for every item of {@code [0, n)} on the calling thread and the helpers, in
     * chunks of at least {@code grain} items ({@code n > grain}), if the lane is free; see the class
     * comment. Returns when every item has run, rethrowing the first exception an item threw.
     */
    Outcome tryRun(int n, int grain, IntConsumer body) {
        Thread me = Thread.currentThread();
        Thread holder = owner;
        if (holder == me || me instanceof Helper) {
            return Outcome.NESTED;
        }
        if (holder != null || !OWNER.compareAndSet(this, null, me)) {
            return Outcome.BUSY;
        }
        try {
            Job j = new Job(n, grain, threads(), body);
            // the caller's first chunk is claimed before any helper can see the loop: chunk 0 is
            // always the caller's, so a loop split into one chunk per thread writes the same part
            // of its output from the same core each time (see the class comment)
            int first = j.claim();
            publish(j);
            Throwable failure = null;
            try {
                j.run(first);
            } catch (Throwable t) {
                failure = t;
            }
            j.closeAndAwait();
            j.forgetBody();
            if (failure == null) {
                failure = j.failure;
                j.failure = null;
            }
            if (failure != null) {
                throw CpuPool.<RuntimeException>sneaky(failure);
            }
            return Outcome.RAN;
        } finally {
            // release: the next owner's CAS sees everything this loop did
            OWNER.setRelease(this, null);
        }
    }

    /**
     * Makes {@code j} the job helpers see, waking those that are parked. While every helper is
     * polling, a release store is enough and the caller goes on to its first chunk at once (a
     * volatile store would wait until the store has reached the other cores). A helper that
     * decides to park just then may miss this job: the caller then runs its chunks, and the next
     * loop finds that helper parked and takes the slow path below.
     */
    private void publish(Job j) {
        boolean parked = false;
        for (Helper h : helpers) {
            parked |= h.parkState == Helper.PARKED;
        }
        if (!parked) {
            JOB.setRelease(this, j);
            return;
        }
        // a helper that parks announces it, then looks at the job once more; this volatile store
        // comes before the caller reads the announcements, so either the caller sees it and wakes
        // the helper, or the helper sees the job
        job = j;
        // wake no more helpers than the loop has seats for (the first helpers, counting those
        // still polling): on 16 cores a 3-chunk loop need not pay for 15 unparks
        int need = j.seats;
        for (Helper h : helpers) {
            if (need-- <= 0) {
                break;
            }
            h.wake();
        }
    }

    /** Stops the helpers (for tests of private lanes; the shared lane lives as long as the JVM). */
    void shutdown() {
        stopped = true;
        for (Helper h : helpers) {
            LockSupport.unpark(h);
        }
    }

    /**
     * One loop as the lane runs it: the chunks (the {@link CpuPool.Loop} it extends), who joined,
     * who is still in it, and the first helper failure, in one object.
     */
    static final class Job extends CpuPool.Loop {
        /** Added by {@link #closeAndAwait}: no helper joins after it. */
        private static final int CLOSED = 1 << 30;
        private static final VarHandle STATE;
        private static final VarHandle SEATS;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Job.class, "state", int.class);
                SEATS = MethodHandles.lookup().findVarHandle(Job.class, "seats", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Helpers in the job (joined, not yet left), plus {@link #CLOSED} once closed. */
        private volatile int state;
        /** The caller, once it parks waiting for the helpers. */
        private volatile Thread waiter;
        /** The first exception a helper's item threw. */
        private volatile Throwable failure;

        /**
         * Helpers that may still join: one fewer than the chunks, at most all helpers. Why: on
         * the 16-core GPU host every spinning helper joined the W1 combine's 3-chunk loop, and the
         * caller then waited for 15 helpers to join and leave through one contended cache line
         * (combine 11 µs median, against 4.3 µs at best); a helper that cannot get a chunk has no
         * reason to enter.
         */
        private volatile int seats;

        Job(int n, int grain, int threads, IntConsumer body) {
            super(n, grain, threads, body);
            seats = Math.min(threads - 1, chunks - 1);
        }

        /** Enters the job unless the caller closed it already or every seat is taken. */
        boolean tryJoin() {
            for (int left = seats; ; left = seats) {
                if (left <= 0) {
                    return false;
                }
                if (SEATS.compareAndSet(this, left, left - 1)) {
                    break;
                }
            }
            for (int s = state; (s & CLOSED) == 0; s = state) {
                if (STATE.compareAndSet(this, s, s + 1)) {
                    return true;
                }
            }
            return false;
        }

        /** Runs chunks until none are left, records a failure, then leaves (the caller's hand-off). */
        void runAndLeave() {
            try {
                run();
            } catch (Throwable t) {
                if (failure == null) {
                    synchronized (this) {
                        if (failure == null) {
                            failure = t;
                        }
                    }
                }
            } finally {
                if ((int) STATE.getAndAdd(this, -1) - 1 == CLOSED) {
                    Thread w = waiter;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                }
            }
        }

        /**
         * Called by the caller after its own last chunk: closes the job, then waits until every
         * helper that joined has left, spinning briefly, then yielding, then parking.
         */
        void closeAndAwait() {
            if ((int) STATE.getAndAdd(this, CLOSED) == 0) {
                return;
            }
            long start = System.nanoTime();
            while (state != CLOSED) {
                long waited = System.nanoTime() - start;
                if (waited < CALLER_SPIN_NANOS) {
                    Thread.onSpinWait();
                } else if (waited < CALLER_YIELD_NANOS) {
                    Thread.yield();
                } else {
                    waiter = Thread.currentThread();
                    while (state != CLOSED) {
                        LockSupport.park(this);
                    }
                    return;
                }
            }
        }
    }

    /** A helper thread: runs each new job, polls for the next one for the spin window, then parks. */
    private final class Helper extends Thread {
        static final int RUNNING = 0;
        static final int PARKED = 1;
        /** {@link #PARKED} while the helper is parked or about to park; a caller wakes it once. */
        volatile int parkState = RUNNING;

        Helper(String name) {
            super(name);
            setDaemon(true);
        }

        /** Unparks this helper if it is parked (or about to), once per park. */
        void wake() {
            if (parkState == PARKED && PARK_STATE.compareAndSet(this, PARKED, RUNNING)) {
                LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            Job last = null;
            long idleSince = System.nanoTime();
            while (!stopped) {
                Job j = job;
                if (j != last) {
                    last = j;
                    if (j.tryJoin()) {
                        j.runAndLeave();
                    }
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < spinNanos) {
                    Thread.onSpinWait();
                } else {
                    // announce the park, then look once more: a caller publishes the job before it
                    // reads parkState, so either it sees PARKED and unparks, or this sees the job
                    parkState = PARKED;
                    if (job == last && !stopped) {
                        LockSupport.park(SpinLane.this);
                    }
                    parkState = RUNNING;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
