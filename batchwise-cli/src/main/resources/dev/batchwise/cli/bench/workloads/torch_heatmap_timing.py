"""Times Gaussian heatmap targets drawn the way mmdet3d-based code draws them today: one object at
a time with PyTorch, on the device the maps live on (draw_heatmap_gaussian semantics).

Usage: python3 torch_heatmap_timing.py DIR DEVICE CLASSWISE CLASSES HEIGHT WIDTH WARMUP RUNS
DIR holds centers.npy (S, T, 2) int32 pixel (x, y), radii.npy (S, T), labels.npy (S, T) and
sizes.npy (S), all int32; object t of sample s is valid when t < sizes[s]. A timed run allocates zeroed maps
(S, H, W) or (S, CLASSES, H, W) on DEVICE, draws every object and waits for the device. Prints one
line per timed run (milliseconds) and saves the maps of the last run to DIR/maps.npy.

Per object, as the mmdet3d helper does: build the (2r+1)^2 float64 Gaussian with numpy
(sigma = (2r+1)/6, values below eps * max set to 0), clip it and the map window at the borders,
copy the clipped kernel to the device as float32 and max-combine it (times k = 1) into the window.
The objects' integer centres, radii and map indices are given as Python ints (cheaper than the
per-object tensor reads a training pipeline makes), so this is a lower bound of the usual cost.
"""
import sys
import time

import numpy as np
import torch


def gaussian(radius):
    diameter = 2 * radius + 1
    sigma = diameter / 6
    y, x = np.ogrid[-radius:radius + 1, -radius:radius + 1]
    g = np.exp(-(x * x + y * y) / (2 * sigma * sigma))
    g[g < np.finfo(g.dtype).eps * g.max()] = 0
    return g


def draw(heatmap, x, y, radius, k=1):
    g = gaussian(radius)
    height, width = heatmap.shape
    left, right = min(x, radius), min(width - x, radius + 1)
    top, bottom = min(y, radius), min(height - y, radius + 1)
    window = heatmap[y - top:y + bottom, x - left:x + right]
    kernel = torch.from_numpy(g[radius - top:radius + bottom, radius - left:radius + right]).to(
        heatmap.device, torch.float32)
    if min(kernel.shape) > 0 and min(window.shape) > 0:
        torch.max(window, kernel * k, out=window)


def main():
    folder, device = sys.argv[1], torch.device(sys.argv[2])
    classwise, classes = sys.argv[3] == "true", int(sys.argv[4])
    height, width, warmup, runs = (int(a) for a in sys.argv[5:9])
    centers = np.load(f"{folder}/centers.npy")
    radii = np.load(f"{folder}/radii.npy")
    labels = np.load(f"{folder}/labels.npy")
    sizes = np.load(f"{folder}/sizes.npy")
    samples = sizes.shape[0]
    objects = [(s * classes + int(labels[s, t]) if classwise else s,
                int(centers[s, t, 0]), int(centers[s, t, 1]), int(radii[s, t]))
               for s in range(samples) for t in range(int(sizes[s]))]
    shape = (samples, classes, height, width) if classwise else (samples, height, width)

    def loop():
        maps = torch.zeros(shape, dtype=torch.float32, device=device)
        flat = maps.view(-1, height, width)
        for m, x, y, r in objects:
            draw(flat[m], x, y, r)
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        return maps

    for _ in range(warmup):
        loop()
    maps = None
    for _ in range(runs):
        t0 = time.perf_counter()
        maps = loop()
        print((time.perf_counter() - t0) * 1e3, flush=True)
    np.save(f"{folder}/maps.npy", maps.cpu().numpy())


if __name__ == "__main__":
    main()
