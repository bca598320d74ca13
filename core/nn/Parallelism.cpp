#include "core/nn/Parallelism.h"

#include <Eigen/Core>
#include <cstdlib>
#include <mutex>

#include "core/nn/MatMul.h"

namespace cklab {

void setThreadCount(int n)
{
    if (n < 1)
        return;
    Eigen::setNbThreads(n);
    setMatMulThreads(n); // each product kernel has its own copy of Eigen
}

int threadCount()
{
    return Eigen::nbThreads();
}

int applyThreadCountFromEnvironment()
{
    static std::once_flag once;
    std::call_once(once, [] {
        const char* value = std::getenv("CKLAB_THREADS");
        if (value == nullptr || *value == '\0')
            return;
        char* end = nullptr;
        const long n = std::strtol(value, &end, 10);
        if (end != nullptr && *end == '\0' && n >= 1 && n <= 1024)
            setThreadCount(static_cast<int>(n));
    });
    return threadCount();
}

bool parallelBuild()
{
#ifdef _OPENMP
    return true;
#else
    return false;
#endif
}

} // namespace cklab
