package dev.batchwise.cli.bench;

/** A case that reports a byte or item count per run on behalf of another case. */
final class RatedCase implements BenchCase {
    private final BenchCase delegate;
    private final long bytes;
    private final long items;

    RatedCase(BenchCase delegate, long bytes, long items) {
        if (bytes < 0 || items < 1) {
            throw new IllegalArgumentException("bytes per run must be >= 0 and items per run >= 1, got "
                    + bytes + " and " + items);
        }
        this.delegate = delegate;
        this.bytes = bytes;
        this.items = items;
    }

    @Override
    public String implementation() {
        return delegate.implementation();
    }

    @Override
    public void run() throws Exception {
        delegate.run();
    }

    @Override
    public double[] externalTimesMs() throws Exception {
        return delegate.externalTimesMs();
    }

    @Override
    public long bytesPerRun() {
        return bytes;
    }

    @Override
    public long itemsPerRun() {
        return items;
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }
}
