#pragma once
/// Memory of the running process, for benchmarks and memory-bound tests.
namespace cklab {

/// Resident set size in MiB (VmRSS of /proc/self/status), or -1 where that is not available.
double residentMegabytes();

} // namespace cklab
