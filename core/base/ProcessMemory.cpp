#include "core/base/ProcessMemory.h"

#include <fstream>
#include <string>

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

} // namespace cklab
