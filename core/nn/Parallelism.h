#pragma once
/// Threads used by the engine's matrix products. By default large products are cut into blocks
/// fixed by their shape and the blocks run on a pool of threads (core/nn/WorkerPool.h): results
/// are bit-identical at every thread count. With CMake option CKLAB_OPENMP=ON, Eigen's own
/// OpenMP GEMM is used instead (results may differ in the last bits between thread counts).
namespace cklab {

/// Sets the number of threads for matrix products (n >= 1; 0 or negative: leave the default).
void setThreadCount(int n);
/// Threads the matrix products will use.
int threadCount();
/// Applies the environment variable CKLAB_THREADS (a positive integer) once per process;
/// later calls do nothing. Returns the resulting threadCount().
int applyThreadCountFromEnvironment();
/// True when the library was built with OpenMP (CKLAB_OPENMP=ON).
bool parallelBuild();

} // namespace cklab
