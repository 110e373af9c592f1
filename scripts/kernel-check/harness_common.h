// What the two kernel-check harnesses share (check.cu on a GPU, emulate.cpp on the host): the
// reader of the cases file that dev.batchwise.heatmap.KernelCheckCases writes, and the launch grid
// of CudaGaussianHeatmaps.TileGrid (with its two knobs as parameters). Include after <algorithm>,
// <cstring> and <vector>.
#pragma once

struct Reader {
    const unsigned char* p;
    template <class T> T get() { T v; std::memcpy(&v, p, sizeof(T)); p += sizeof(T); return v; }
    template <class T> std::vector<T> arr(size_t n) { std::vector<T> v(n); std::memcpy(v.data(), p, n * sizeof(T)); p += n * sizeof(T); return v; }
};

struct Grid { int tileW, tileH, tilesX, tilesY, keysPerCta, groups; long long items; };
static int ceilDiv(int a, int b) { return a == 0 || b == 0 ? 1 : (a + b - 1) / b; }
static long long gridItems(int samples, int keys, int h, int w, int tw, int th, int g) {
    return (long long) samples * ceilDiv(keys, g) * ceilDiv(h, th) * ceilDiv(w, tw);
}
static Grid tileGrid(int samples, int keys, int h, int w, int target, int minPixels) {
    const int region = 8192;
    int tw = std::min(w, region);
    int th = std::min(h, region / std::max(tw, 1));
    int g = std::min(keys, std::max(1, region / std::max(tw * th, 1)));
    while (gridItems(samples, keys, h, w, tw, th, g) < target) {
        if (g > 1) g = (g + 1) / 2;
        else if (th > 1 && (long long) tw * ((th + 1) / 2) >= minPixels) th = (th + 1) / 2;
        else break;
    }
    return {tw, th, ceilDiv(w, tw), ceilDiv(h, th), g, ceilDiv(keys, g), gridItems(samples, keys, h, w, tw, th, g)};
}
