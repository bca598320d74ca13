#include "core/nn/WorkerPool.h"

namespace cklab {

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
    std::unique_lock lock(m_mutex);
    m_finished.wait(lock, [&] { return m_done == m_count; });
    m_job = nullptr;
    m_count = 0; // a helper that wakes late finds nothing to claim
}

} // namespace cklab
