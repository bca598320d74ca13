#include "core/io/Hdf5Lock.h"

#include <mutex>

namespace cklab {

namespace {

std::mutex g_hdf5Mutex;
// Per thread, how many guards are alive; the mutex is taken on 0 -> 1 and released on 1 -> 0.
// A plain counter rather than std::recursive_mutex: it stays right in a fork()ed child (the
// tests' fault injection forks), where glibc's record of a recursive mutex's owner, a kernel
// thread id, would not.
thread_local int t_depth = 0;

} // namespace

Hdf5Lock::Hdf5Lock()
{
    if (t_depth == 0)
        g_hdf5Mutex.lock();
    ++t_depth;
}

Hdf5Lock::~Hdf5Lock()
{
    if (--t_depth == 0)
        g_hdf5Mutex.unlock();
}

} // namespace cklab
