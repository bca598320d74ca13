#!/usr/bin/python3
"""Float32 matrix-multiply GFLOP/s of the BLAS PyTorch uses here (torch.mm), for the same shapes
as bench_gemm, best of 5 runs: the reference's own machine limit. Prints one JSON object.
Usage: /usr/bin/python3 bench/torch_gemm.py [threads]
"""
import json
import sys
import time

SHAPES = [(128, 784, 256, "M forward layer 1"), (784, 128, 256, "M kernel gradient layer 1"),
          (256, 512, 512, "L forward hidden"), (1024, 1024, 1024, "square 1024")]


def main():
    import torch
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    torch.set_num_threads(threads)
    results = []
    for m, k, n, what in SHAPES:
        a, b, c = torch.rand(m, k), torch.rand(k, n), torch.empty(m, n)
        flop = 2.0 * m * k * n
        reps = max(3, int(4e9 / flop))
        torch.mm(a, b, out=c)
        best = 1e30
        for _ in range(5):
            t0 = time.perf_counter()
            for _ in range(reps):
                torch.mm(a, b, out=c)
            best = min(best, (time.perf_counter() - t0) / reps)
        results.append({"m": m, "k": k, "n": n, "what": what, "gflops": round(flop / best / 1e9, 2)})
    libs = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.split()[-1]})
    print(json.dumps({"threads": torch.get_num_threads(), "blas_libraries": libs, "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
