"""Times SciPy's linear_sum_assignment called once per problem, the way DETR-style code does it.

Usage: python3 scipy_lsa_timing.py COSTS.npy ROWS.npy COLS.npy WARMUP RUNS
COSTS is (B, R, C); problem b is COSTS[b, :ROWS[b], :COLS[b]]. Prints one line per timed run:
the wall time of the whole loop over the batch, in milliseconds.
"""
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment


def main():
    costs = np.load(sys.argv[1])
    rows = np.load(sys.argv[2])
    cols = np.load(sys.argv[3])
    warmup, runs = int(sys.argv[4]), int(sys.argv[5])
    problems = [costs[b, :rows[b], :cols[b]] for b in range(costs.shape[0])]

    def loop():
        for p in problems:
            linear_sum_assignment(p)

    for _ in range(warmup):
        loop()
    for _ in range(runs):
        t0 = time.perf_counter()
        loop()
        print((time.perf_counter() - t0) * 1e3, flush=True)


if __name__ == "__main__":
    main()
