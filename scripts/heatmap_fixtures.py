#!/usr/bin/env python3
"""Golden fixtures for dev.batchwise.heatmap tests (NumPy only; run from the repository root).

Writes into batchwise-core/src/test/resources/dev/batchwise/heatmap/:
  maps_<name>.i32  int32 little-endian: N, H, W, T, then T rows (map, x, y, r)
  maps_<name>.f32  float32 little-endian: the (N, H, W) maps after drawing
  maps_<name>.txt  k and the diameter-to-sigma factor
  radius.csv       h, w, overlap, original64, corrected64, original32, corrected32 (float.hex)

The maps are drawn box by box with mmdet3d's draw_heatmap_gaussian algorithm, re-expressed
here in NumPy: a float64 gaussian_2d kernel with the eps*max cut, cast to float32, scaled by k
in float32, clipped with left=min(x,r), right=min(W-x,r+1), ..., merged with np.maximum.
Radius values follow the published CornerNet formula (original and corrected roots), once in
Python floats and once in float32 with the operation order of mmdet3d's tensor code.
"""
import os
import numpy as np

OUT = "batchwise-core/src/test/resources/dev/batchwise/heatmap"


def kernel(r, factor):
    d = 2 * r + 1
    sigma = d / factor
    m = (d - 1.0) / 2.0
    yy, xx = np.ogrid[-m:m + 1, -m:m + 1]
    h = np.exp(-(xx * xx + yy * yy) / (2 * sigma * sigma))
    h[h < np.finfo(h.dtype).eps * h.max()] = 0
    return h


def draw(heat, x, y, r, k, factor):
    g = kernel(r, factor)
    H, W = heat.shape
    left, right = min(x, r), min(W - x, r + 1)
    top, bottom = min(y, r), min(H - y, r + 1)
    mh = heat[y - top:y + bottom, x - left:x + right]
    mg = g[r - top:r + bottom, r - left:r + right].astype(np.float32)
    if min(mg.shape) > 0 and min(mh.shape) > 0:
        np.maximum(mh, mg * np.float32(k), out=mh)


def accvlab_scene(rng, n=48, h=20, w=50, stride=16):
    """ACCV-Lab's test scenario: 320x800 images, stride 16, up to 50 boxes, half-extents <= 60."""
    rows = []
    for m in range(n):
        for _ in range(rng.integers(0, 51)):
            cx, cy = rng.uniform(0, w * stride), rng.uniform(0, h * stride)
            hx, hy = rng.uniform(0, 60), rng.uniform(0, 60)
            x1, y1 = max(cx - hx, 0), max(cy - hy, 0)
            x2, y2 = min(cx + hx, w * stride), min(cy + hy, h * stride)
            dist = min(cx - x1, cy - y1, x2 - cx, y2 - cy)
            r = max(1, int(np.ceil(dist / stride)))
            rows.append((m, int(cx / stride), int(cy / stride), r))
    return n, h, w, rows


def edge_scene(rng, n=6, h=13, w=17):
    """Centres inside, on and beyond the borders, radius 0 to 9, many overlaps."""
    rows = []
    for m in range(n):
        for _ in range(40):
            r = int(rng.integers(0, 10))
            rows.append((m, int(rng.integers(-r - 2, w + r + 2)), int(rng.integers(-r - 2, h + r + 2)), r))
    return n, h, w, rows


def write_maps(name, scene, k, factor):
    n, h, w, rows = scene
    heat = np.zeros((n, h, w), np.float32)
    for m, x, y, r in rows:
        draw(heat[m], x, y, r, k, factor)
    header = np.array([n, h, w, len(rows)], "<i4")
    body = np.array(rows, "<i4").reshape(-1)
    np.concatenate([header, body]).astype("<i4").tofile(f"{OUT}/maps_{name}.i32")
    heat.astype("<f4").tofile(f"{OUT}/maps_{name}.f32")
    with open(f"{OUT}/maps_{name}.txt", "w") as f:
        f.write(f"{k!r} {factor!r}\n")


def radius64(h, w, o, corrected):
    from math import sqrt
    a1, b1 = 1, (h + w)
    c1 = w * h * (1 - o) / (1 + o)
    sq1 = sqrt(b1 ** 2 - 4 * a1 * c1)
    a2, b2 = 4, 2 * (h + w)
    c2 = (1 - o) * w * h
    sq2 = sqrt(b2 ** 2 - 4 * a2 * c2)
    a3, b3 = 4 * o, -2 * o * (h + w)
    c3 = (o - 1) * w * h
    sq3 = sqrt(b3 ** 2 - 4 * a3 * c3)
    if corrected:
        return min((b1 - sq1) / (2 * a1), (b2 - sq2) / (2 * a2), (b3 + sq3) / (2 * a3))
    return min((b1 + sq1) / 2, (b2 + sq2) / 2, (b3 + sq3) / 2)


def radius32(h, w, o, corrected):
    f = np.float32
    h, w = f(h), f(w)
    b1 = h + w
    c1 = w * h * f(1 - o) / f(1 + o)
    sq1 = np.sqrt(b1 * b1 - f(4) * c1)
    b2 = f(2) * (h + w)
    c2 = f(1 - o) * w * h
    sq2 = np.sqrt(b2 * b2 - f(16) * c2)
    b3 = f(-2 * o) * (h + w)
    c3 = f(o - 1) * w * h
    sq3 = np.sqrt(b3 * b3 - f(4 * (4 * o)) * c3)
    if corrected:
        return min((b1 - sq1) / f(2), (b2 - sq2) / f(8), (b3 + sq3) / f(2 * (4 * o)))
    return min((b1 + sq1) / f(2), (b2 + sq2) / f(2), (b3 + sq3) / f(2))


def write_radius(rng):
    with open(f"{OUT}/radius.csv", "w") as f:
        f.write("# h w overlap original64 corrected64 original32 corrected32 (float.hex)\n")
        cases = [(0.0, 0.0, 0.5), (1.0, 1.0, 0.7), (10.0, 4.0, 0.1), (37.5, 80.25, 0.3)]
        for _ in range(300):
            h = float(np.float32(rng.uniform(0, 120)))
            w = float(np.float32(rng.uniform(0, 120)))
            cases.append((h, w, float(rng.choice([0.1, 0.3, 0.5, 0.7]))))
        for h, w, o in cases:
            vals = [radius64(h, w, o, False), radius64(h, w, o, True),
                    float(radius32(h, w, o, False)), float(radius32(h, w, o, True))]
            f.write(" ".join(float.hex(v) for v in [h, w, o] + vals) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(7)
    write_maps("accvlab", accvlab_scene(rng), 0.8, 6.0)
    write_maps("edges_f14", edge_scene(rng), 0.7, 14.0)
    write_radius(rng)


if __name__ == "__main__":
    main()
