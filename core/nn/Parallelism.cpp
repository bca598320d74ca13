#include "core/nn/Parallelism.h"

#include <Eigen/Core>
#include <cstdlib>
#include <mutex>

#include "core/nn/MatMul.h"
#include "core/nn/WorkerPool.h"

namespace cklab {

void setThreadCount(int n)
{
    if (n < 1)
        return;
#ifdef _OPENMP
    // CKLAB_OPENMP=ON: Eigen's own OpenMP GEMM (its k-blocking depends on the thread count).
    Eigen::setNbThreads(n);
    setMatMulThreads(n); // each product kernel has its own copy of Eigen
#else
    WorkerPool::instance().setThreads(n);
#endif
}

int threadCount()
{
#ifdef _OPENMP
    return Eigen::nbThreads();
#else
    return WorkerPool::instance().threads();
#endif
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
