#!/usr/bin/env python3
"""Golden fixtures for dev.batchwise.assign.LinearAssignment: cost matrices of many kinds and the
answers of SciPy's linear_sum_assignment for them.

Writes batchwise-core/src/test/resources/dev/batchwise/assign/lsa-fixtures.bin (little-endian):

    magic   8 bytes  b"BWLSA01\\n"
    int32   number of cases
    per case:
      int32 name length, UTF-8 name
      int32 dtype bytes (4 = float32 input, 8 = float64 input)
      int32 maximize (0/1)
      int32 rows R, int32 cols C
      R*C float64 costs, row-major (float32 cases hold values exactly representable in float32)
      int32 status: 0 solved, 1 infeasible (SciPy: "cost matrix is infeasible"),
                    2 invalid (SciPy: "matrix contains invalid numeric entries")
      int32 K, K int64 row_ind, K int64 col_ind   (K = 0 unless solved)
      float64 total: sum of costs[row_ind, col_ind] in pair order, left to right (0 unless solved)

Usage: python3 scripts/make-lsa-fixtures.py [--seed 20260] [--out PATH]
Needs NumPy and SciPy; records their versions in the case names' companion file lsa-fixtures.txt.
"""
import argparse
import os
import struct

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment

MAGIC = b"BWLSA01\n"


def shapes(rng, count, max_side):
    for _ in range(count):
        yield int(rng.integers(1, max_side + 1)), int(rng.integers(1, max_side + 1))


def generate(rng):
    """Yields (name, matrix float64, dtype_bytes, maximize)."""
    # uniform floats, both orientations and square
    for k, (r, c) in enumerate(shapes(rng, 120, 24)):
        yield f"uniform-{k}", rng.random((r, c)), 8, bool(k % 3 == 0)
    for k, (r, c) in enumerate(shapes(rng, 60, 24)):
        m = rng.random((r, c)).astype(np.float32).astype(np.float64)
        yield f"uniform-f32-{k}", m, 4, bool(k % 4 == 1)
    # small integers: many ties
    for k, (r, c) in enumerate(shapes(rng, 150, 16)):
        hi = [2, 3, 5, 10][k % 4]
        yield f"int-ties-{hi}-{k}", rng.integers(0, hi, (r, c)).astype(np.float64), 8, bool(k % 5 == 2)
    # constant matrices (identity-like answers), including wide/tall
    for k, (r, c) in enumerate([(1, 1), (3, 3), (7, 7), (4, 9), (9, 4), (1, 12), (12, 1), (16, 16), (5, 6)]):
        value = [0.0, 1.0, -2.5, 1e300, 7.0][k % 5]
        yield f"constant-{r}x{c}", np.full((r, c), value), 8, bool(k % 2)
    # huge and tiny magnitudes, negative, mixed
    for k, (r, c) in enumerate(shapes(rng, 30, 14)):
        yield f"huge-{k}", rng.random((r, c)) * 1e300, 8, bool(k % 2)
        yield f"tiny-{k}", rng.random((r, c)) * 1e-300, 8, bool(k % 2)
        yield f"subnormal-{k}", rng.integers(0, 4, (r, c)) * 5e-324, 8, False
        yield f"negative-{k}", -rng.random((r, c)) * 100, 8, bool(k % 2)
        mixed = (rng.random((r, c)) - 0.5) * 10.0 ** rng.integers(-20, 20, (r, c))
        yield f"mixed-magnitude-{k}", mixed, 8, bool(k % 3 == 0)
        offset = 1e16 + rng.integers(0, 8, (r, c)) * 2.0
        yield f"large-offset-{k}", offset, 8, bool(k % 2)
    # +inf (forbidden) entries, feasible and not
    for k, (r, c) in enumerate(shapes(rng, 80, 14)):
        m = rng.random((r, c))
        m[rng.random((r, c)) < [0.2, 0.5, 0.8][k % 3]] = np.inf
        maximize = bool(k % 4 == 3)
        if maximize:
            m = np.where(np.isinf(m), -np.inf, m)
        yield f"forbidden-{k}", m, 8, maximize
    # integers with forbidden entries: ties and infinity together
    for k, (r, c) in enumerate(shapes(rng, 40, 10)):
        m = rng.integers(0, 3, (r, c)).astype(np.float64)
        m[rng.random((r, c)) < 0.3] = np.inf
        yield f"int-forbidden-{k}", m, 8, False
    # 1xN and Nx1
    for n in [1, 2, 5, 17, 40]:
        yield f"row-1x{n}", rng.integers(0, 3, (1, n)).astype(np.float64), 8, False
        yield f"col-{n}x1", rng.integers(0, 3, (n, 1)).astype(np.float64), 8, False
        yield f"row-1x{n}-max", rng.random((1, n)), 8, True
    # tall and wide, larger
    for k, (r, c) in enumerate([(40, 7), (7, 40), (60, 20), (20, 60), (33, 32), (32, 33), (48, 48)]):
        yield f"large-{r}x{c}", rng.random((r, c)), 8, bool(k % 2)
        yield f"large-int-{r}x{c}", rng.integers(0, 4, (r, c)).astype(np.float64), 8, False
    # infeasible: a row (of the smaller side) entirely forbidden, or a Hall violation
    yield "infeasible-all-inf", np.full((3, 3), np.inf), 8, False
    m = rng.random((4, 6)); m[2, :] = np.inf
    yield "infeasible-row", m, 8, False
    m = rng.random((6, 4)); m[:, 1] = np.inf
    yield "infeasible-col-of-tall", m, 8, False
    m = rng.random((4, 4)); m[:, 2:] = np.inf; m[2:, :] = np.inf
    yield "infeasible-hall", m, 8, False
    m = rng.random((3, 5)); m[:, :] = -np.inf; m[0, 0] = 1
    yield "infeasible-max", m, 8, True
    # feasible although many entries forbidden: a tall matrix with one finite entry per column
    m = np.full((6, 3), np.inf); m[5, 0] = 1; m[0, 1] = 2; m[3, 2] = 3
    yield "feasible-sparse-tall", m, 8, False
    # invalid entries
    m = rng.random((3, 4)); m[1, 2] = np.nan
    yield "invalid-nan", m, 8, False
    m = rng.random((4, 3)); m[0, 0] = -np.inf
    yield "invalid-neg-inf", m, 8, False
    m = rng.random((3, 3)); m[2, 1] = np.inf
    yield "invalid-pos-inf-max", m, 8, True
    m = rng.random((2, 5)).astype(np.float32).astype(np.float64); m[0, 4] = np.nan
    yield "invalid-nan-f32", m, 4, True
    # empty problems
    yield "empty-0x4", np.zeros((0, 4)), 8, False
    yield "empty-3x0", np.zeros((3, 0)), 8, False
    yield "empty-0x0", np.zeros((0, 0)), 4, True


def solve(m, dtype_bytes, maximize):
    a = m.astype(np.float32) if dtype_bytes == 4 else m
    try:
        rows, cols = linear_sum_assignment(a, maximize=maximize)
    except ValueError as e:
        text = str(e)
        if "infeasible" in text:
            return 1, [], [], 0.0
        if "invalid" in text:
            return 2, [], [], 0.0
        raise
    total = 0.0
    for r, c in zip(rows, cols):
        total += float(m[r, c])
    return 0, [int(x) for x in rows], [int(x) for x in cols], total


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "batchwise-core", "src", "test", "resources", "dev", "batchwise",
                               "assign", "lsa-fixtures.bin")
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=20260)
    ap.add_argument("--out", default=default_out)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    cases = list(generate(rng))
    counts = {0: 0, 1: 0, 2: 0}
    with open(args.out, "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<i", len(cases)))
        for name, m, dtype_bytes, maximize in cases:
            status, rows, cols, total = solve(m, dtype_bytes, maximize)
            counts[status] += 1
            raw = name.encode("utf-8")
            r, c = m.shape
            f.write(struct.pack("<i", len(raw)) + raw)
            f.write(struct.pack("<iiii", dtype_bytes, int(maximize), r, c))
            f.write(np.ascontiguousarray(m, dtype="<f8").tobytes())
            f.write(struct.pack("<ii", status, len(rows)))
            f.write(np.asarray(rows, dtype="<i8").tobytes())
            f.write(np.asarray(cols, dtype="<i8").tobytes())
            f.write(struct.pack("<d", total))
    with open(os.path.splitext(args.out)[0] + ".txt", "w") as f:
        f.write(f"generated by scripts/make-lsa-fixtures.py --seed {args.seed}\n")
        f.write(f"scipy {scipy.__version__}, numpy {np.__version__}\n")
        f.write(f"{len(cases)} cases: {counts[0]} solved, {counts[1]} infeasible, {counts[2]} invalid\n")
    print(f"wrote {len(cases)} cases to {args.out} ({counts})")


if __name__ == "__main__":
    main()
