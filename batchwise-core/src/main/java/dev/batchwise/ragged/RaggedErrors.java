package dev.batchwise.ragged;

/** The exceptions ragged kernels report, with the same wording on the CPU and from the GPU error flag. */
final class RaggedErrors {
    private RaggedErrors() {}

    static IndexOutOfBoundsException badIndex(long sample, long position, long value, long extent) {
        return new IndexOutOfBoundsException("index " + value + " at position " + position + " of sample " + sample
                + " (flat sample index) is out of range for an axis of extent " + extent
                + " (valid: -" + extent + " .. " + (extent - 1) + ", negatives wrap once)");
    }

    static IllegalArgumentException badSize(long sample, long size, long limit) {
        return new IllegalArgumentException("sample size " + size + " of sample " + sample
                + " (flat sample index) must be in [0, " + limit + "] (the padded extent)");
    }
}
