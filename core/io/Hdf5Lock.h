#pragma once
/// One process-wide lock around every use of libhdf5 by the engine (checkpoint reads and
/// writes, HDF5 data files). libhdf5's own thread-safety lock would be inherited locked by a
/// fork()ed child if another thread were inside the library at that moment; holding this lock
/// across fork() (readUntrustedCheckpoint) guarantees no thread is. Re-entrant on one thread:
/// nested guards only count, so code that already holds it (or a forked child, which inherits
/// the forking thread's count) never blocks on itself.
namespace cklab {

class Hdf5Lock {
public:
    Hdf5Lock();
    ~Hdf5Lock();
    Hdf5Lock(const Hdf5Lock&) = delete;
    Hdf5Lock& operator=(const Hdf5Lock&) = delete;
};

} // namespace cklab
