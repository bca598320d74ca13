#pragma once
/// One process-wide lock around every use of libhdf5 by the engine (checkpoint reads and
/// writes, HDF5 data files), so that one thread's sequence of HDF5 calls (open, read every
/// dataset, close) is never interleaved with another's. Re-entrant on one thread: nested
/// guards only count, so code that already holds it never blocks on itself.
namespace cklab {

class Hdf5Lock {
public:
    Hdf5Lock();
    ~Hdf5Lock();
    Hdf5Lock(const Hdf5Lock&) = delete;
    Hdf5Lock& operator=(const Hdf5Lock&) = delete;
};

} // namespace cklab
