#pragma once
/// Threads used by the engine's matrix products. Eigen parallelises large GEMMs only when the
/// library is built with OpenMP (CMake option CKLAB_OPENMP); without it every call here is a
/// harmless no-op and threadCount() is 1.
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
