package dev.batchwise.cli.bench.foundation;

import java.util.Locale;

/** Byte sizes as short text for workload descriptions. */
final class Sizes {
    private Sizes() {}

    /** {@code "64 MiB"}, or with one decimal when not a whole number of MiB. */
    static String mib(long bytes) {
        double m = bytes / (double) (1 << 20);
        return m == Math.rint(m) ? String.format(Locale.ROOT, "%d MiB", (long) m)
                : String.format(Locale.ROOT, "%.1f MiB", m);
    }
}
