#include "core/base/ProcessMemory.h"

#include <fstream>
#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace cklab {

double residentMegabytes()
{
    std::ifstream in("/proc/self/status");
    std::string key;
    while (in >> key) {
        if (key == "VmRSS:") {
            double kb = 0;
            in >> kb;
            return kb / 1024.0;
        }
        in.ignore(1 << 12, '\n');
    }
    return -1.0;
}

void releaseFreedMemory()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

bool keepFreedMemoryForReuse()
{
#if defined(__GLIBC__)
    // Blocks under 16 MiB come from the heap rather than their own mapping, and the heap keeps up
    // to 64 MiB of free memory at its top instead of trimming it. Larger blocks (a data set, a
    // large model's checkpoint image) are still mapped and unmapped on their own.
    constexpr int kMmapThreshold = 16 << 20;
    constexpr int kTrimThreshold = 64 << 20;
    return mallopt(M_MMAP_THRESHOLD, kMmapThreshold) == 1 && mallopt(M_TRIM_THRESHOLD, kTrimThreshold) == 1;
#else
    return false;
#endif
}

} // namespace cklab
