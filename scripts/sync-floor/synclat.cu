// The floor of a synchronised one-kernel call, in plain CUDA C++ (no Java): an empty kernel
// launched and then waited for, six ways (launch alone; cudaStreamSynchronize; cudaStreamQuery
// spin; event sync; a stream write of a host-mapped word and a host spin; a kernel that writes the
// host-mapped word itself). Median of 20,000 calls each, two rounds. Build and run on the GPU
// machine: nvcc -O2 -arch=sm_90 -o /tmp/synclat synclat.cu -lcuda && /tmp/synclat
#include <cuda.h>
#include <cuda_runtime.h>
#include <chrono>
#include <cstdio>
#include <vector>
#include <algorithm>
__global__ void empty() {}
__global__ void flagk(volatile unsigned* f, unsigned v) { __threadfence_system(); *f = v; }
static double now() { return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
template <class F> double med(F f) { std::vector<double> t; for (int i = 0; i < 20000; i++) { double a = now(); f(i); t.push_back(now() - a); } std::sort(t.begin(), t.end()); return t[t.size()/2]; }
int main() {
  cudaStream_t s; cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking);
  unsigned* h; cudaHostAlloc((void**)&h, 64, cudaHostAllocMapped); *h = 0;
  unsigned* d; cudaHostGetDevicePointer((void**)&d, h, 0);
  cudaEvent_t e; cudaEventCreateWithFlags(&e, cudaEventDisableTiming);
  for (int r = 0; r < 2; r++) {
  printf("launch only           %.2f us\n", med([&](int){ empty<<<1,1,0,s>>>(); }));
  cudaStreamSynchronize(s);
  printf("launch+StreamSync     %.2f us\n", med([&](int){ empty<<<1,1,0,s>>>(); cudaStreamSynchronize(s); }));
  printf("launch+query spin     %.2f us\n", med([&](int){ empty<<<1,1,0,s>>>(); while (cudaStreamQuery(s) == cudaErrorNotReady) {} }));
  printf("launch+event sync     %.2f us\n", med([&](int){ empty<<<1,1,0,s>>>(); cudaEventRecord(e, s); cudaEventSynchronize(e); }));
  printf("launch+writeValue spin %.2f us\n", med([&](int i){ empty<<<1,1,0,s>>>(); cuStreamWriteValue32((CUstream)s, (CUdeviceptr)d, (cuuint32_t)(i+1+r*100000), 0); while (*(volatile unsigned*)h != (unsigned)(i+1+r*100000)) {} }));
  cudaStreamSynchronize(s);
  printf("flag kernel spin      %.2f us\n", med([&](int i){ flagk<<<1,1,0,s>>>(d, i+7+r*300000); while (*(volatile unsigned*)h != (unsigned)(i+7+r*300000)) {} }));
  cudaStreamSynchronize(s);
  }
  return 0;
}
