#pragma once
/// Memory of the running process: a measure for benchmarks and memory-bound tests, and the
/// allocator policy the applications set at start.
namespace cklab {

/// Resident set size in MiB (VmRSS of /proc/self/status), or -1 where that is not available.
double residentMegabytes();

/// Freed blocks of up to 16 MiB stay in the process for reuse (glibc: fixed mmap and trim
/// thresholds via mallopt; elsewhere nothing). Without it, glibc returns such memory to the
/// kernel depending on its own adaptive thresholds, and the next allocation pays a page fault
/// per 4 KiB again (~19 µs each on the benchmark VM). Eigen's products allocate their packing
/// buffers on every call: on workload M that made training 4x slower or not, depending on
/// what else the process had freed before (docs/benchmarks.md). Process-wide, so the
/// applications call it first thing in main(); returns whether the policy was set.
bool keepFreedMemoryForReuse();

/// Gives the free pages inside the heap back to the kernel (glibc: malloc_trim(0); elsewhere
/// nothing). For the few moments when the shapes of large per-batch buffers change (the short
/// last batch of an epoch, then validation in full batches): the blocks freed then leave holes
/// the next, larger blocks do not fit in, and resident memory would hold both (issue 17). Costs a
/// page fault per 4 KiB the process later touches again; call it once an epoch, not per batch.
void releaseFreedMemory();

} // namespace cklab
