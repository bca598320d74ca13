#include "core/nn/WorkerPool.h"

#include <chrono>

namespace cklab {

namespace {

// How long a thread polls before it sleeps on a condition variable. Waking a sleeping thread
// took tens of microseconds on the benchmark VM, several times per training step; the gaps
// between one step's products (activations, loss, Adam, the next batch) are shorter than this.
constexpr auto kSpinBudget = std::chrono::microseconds(200);

void cpuRelax()
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    std::this_thread::yield();
#endif
}

// Polls done() until it returns true or the budget is spent; returns its last answer.
template <class Done>
bool spinUntil(const Done& done)
{
    const auto end = std::chrono::steady_clock::now() + kSpinBudget;
    for (unsigned i = 1;; ++i) {
        if (done())
            return true;
        if (i % 64 == 0 && std::chrono::steady_clock::now() > end)
            return false;
        cpuRelax();
    }
}

} // namespace

WorkerPool& WorkerPool::instance()
{
    static WorkerPool pool;
    return pool;
}

WorkerPool::~WorkerPool()
{
    stopHelpers();
}

void WorkerPool::stopHelpers()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    for (std::thread& t : m_helpers)
        t.join();
    m_helpers.clear();
    std::lock_guard lock(m_mutex);
    m_stop = false;
}

void WorkerPool::setThreads(int n)
{
    std::lock_guard run(m_runMutex);
    std::lock_guard lock(m_mutex);
    m_wanted = n > 1 ? n : 1;
}

int WorkerPool::threads() const
{
    std::lock_guard lock(m_mutex);
    return m_wanted;
}

void WorkerPool::matchHelpersToWanted()
{
    std::size_t helpers = 0;
    {
        std::lock_guard lock(m_mutex);
        helpers = static_cast<std::size_t>(m_wanted - 1);
    }
    if (helpers == m_helpers.size())
        return;
    stopHelpers();
    for (std::size_t i = 0; i < helpers; ++i)
        m_helpers.emplace_back(&WorkerPool::helperLoop, this);
}

bool WorkerPool::claim(std::uint64_t generation, int& index, const std::function<void(int)>*& fn)
{
    std::lock_guard lock(m_mutex);
    if (generation != m_generation || m_next >= m_count)
        return false;
    index = m_next++;
    fn = m_job;
    return true;
}

void WorkerPool::finishOne()
{
    std::lock_guard lock(m_mutex);
    if (++m_done == m_count)
        m_finished.notify_one();
}

void WorkerPool::helperLoop()
{
    std::uint64_t seen = 0;
    for (;;) {
        spinUntil([&] { return m_generation.load(std::memory_order_acquire) != seen; });
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stop || m_generation != seen; });
            if (m_stop)
                return;
            seen = m_generation;
        }
        int index = 0;
        const std::function<void(int)>* fn = nullptr;
        while (claim(seen, index, fn)) {
            (*fn)(index);
            finishOne();
        }
    }
}

void WorkerPool::run(int count, const std::function<void(int)>& fn)
{
    std::unique_lock owner(m_runMutex, std::try_to_lock);
    if (count > 1 && owner.owns_lock())
        matchHelpersToWanted();
    if (count <= 1 || !owner.owns_lock() || m_helpers.empty()) {
        for (int i = 0; i < count; ++i)
            fn(i);
        return;
    }
    std::uint64_t generation = 0;
    {
        std::lock_guard lock(m_mutex);
        generation = ++m_generation;
        m_job = &fn;
        m_count = count;
        m_next = 0;
        m_done = 0;
    }
    m_wake.notify_all();
    int index = 0;
    const std::function<void(int)>* job = nullptr;
    while (claim(generation, index, job)) {
        (*job)(index);
        finishOne();
    }
    spinUntil([&] { return m_done.load(std::memory_order_acquire) == count; });
    std::unique_lock lock(m_mutex);
    m_finished.wait(lock, [&] { return m_done == m_count; });
    m_job = nullptr;
    m_count = 0; // a helper that wakes late finds nothing to claim
}

void runHalves(long n, long minItems, long align, const std::function<void(long, long)>& fn)
{
    if (n < minItems || n < 2 * align) {
        fn(0, n);
        return;
    }
    const long middle = (n / 2 + align / 2) / align * align;
    WorkerPool::instance().run(2, [&](int half) { half == 0 ? fn(0, middle) : fn(middle, n); });
}

} // namespace cklab
