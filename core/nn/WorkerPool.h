#pragma once
/// Helper threads for the engine's matrix products. A product is cut into a fixed number of
/// chunks that depends only on its shape (core/nn/MatMul.cpp); the pool only decides which
/// thread computes which chunk, so results are bit-identical at any thread count (resume on
/// another thread count reproduces an uninterrupted run).
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cklab {

class WorkerPool {
public:
    /// The process-wide pool used by the matrix products; starts with no helper (1 thread).
    static WorkerPool& instance();

    WorkerPool() = default;
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Threads that work on a run(), the calling one included (n >= 1; smaller values: 1).
    /// Waits for a run() in progress on another thread. The helper threads are started (or
    /// stopped) by the next run() that has more than one chunk: a process whose products are
    /// all too small to split (workload S) runs the same single thread at any setting.
    void setThreads(int n);
    int threads() const;

    /// Calls fn(0) ... fn(count - 1), each exactly once, on the calling thread and the helpers;
    /// returns when all have returned. fn must not throw. Chunks are claimed in order from a
    /// shared counter, so a helper that the OS schedules late never delays the caller by more
    /// than the chunk it has already started. Called from several threads at once, one run at a
    /// time uses the helpers and the others run their chunks on their own thread.
    void run(int count, const std::function<void(int)>& fn);

private:
    void helperLoop();
    bool claim(std::uint64_t generation, int& index, const std::function<void(int)>*& fn);
    void finishOne();
    void stopHelpers();
    void matchHelpersToWanted(); // caller owns m_runMutex

    std::mutex m_runMutex; // one run() (or setThreads()) at a time owns the helpers
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_finished;
    std::vector<std::thread> m_helpers;
    int m_wanted = 1;
    bool m_stop = false;
    // Written under m_mutex; atomic so that a waiting thread can poll them before it sleeps.
    std::atomic<std::uint64_t> m_generation{0};
    const std::function<void(int)>* m_job = nullptr;
    int m_count = 0;
    int m_next = 0;
    std::atomic<int> m_done{0};
};

/// Element-wise work over [0, n) on the process-wide pool: fn(begin, end) once per block. From
/// minItems on, [0, n) is cut into 2 blocks at a multiple of `align` near the middle (fixed by n
/// alone), else fn(0, n) runs alone. For work whose every element is computed independently of
/// the others (an optimizer update, copying batch rows): the results are the same at any
/// thread count.
void runHalves(long n, long minItems, long align, const std::function<void(long, long)>& fn);

} // namespace cklab
