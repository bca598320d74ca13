#include "core/io/SaveScratch.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace cklab {

ReusableBlock::~ReusableBlock()
{
    std::free(m_data);
}

void* ReusableBlock::resize(void* ptr, std::size_t size)
{
    if (ptr != nullptr && ptr != m_data)
        return std::realloc(ptr, size);
    if (ptr == nullptr && m_inUse)
        return std::malloc(size); // a second image at the same time: not ours to reuse
    if (size > m_capacity) {
        // Grown once, then reused: the copy keeps what the driver wrote so far.
        char* grown = static_cast<char*>(std::malloc(std::max<std::size_t>(size, 1)));
        if (grown == nullptr)
            return nullptr;
        if (ptr != nullptr && m_size > 0)
            std::memcpy(grown, m_data, std::min(m_size, size));
        std::free(m_data);
        m_data = grown;
        m_capacity = size;
        ++m_allocations;
    }
    m_size = size;
    m_inUse = true;
    return m_data;
}

void ReusableBlock::release(void* ptr)
{
    if (ptr == nullptr)
        return;
    if (ptr != m_data) {
        std::free(ptr);
        return;
    }
    m_inUse = false;
    m_size = 0;
    if (m_capacity > kSaveScratchMaxBytes) {
        std::free(m_data);
        m_data = nullptr;
        m_capacity = 0;
    }
}

void SaveScratch::trim()
{
    if (bytes.capacity() > kSaveScratchMaxBytes)
        std::vector<char>().swap(bytes);
    std::size_t held = 0;
    for (const Matrix& m : content.variables)
        held += static_cast<std::size_t>(m.size()) * sizeof(float);
    if (held > kSaveScratchMaxBytes)
        content.variables.clear();
    // Optimizer state and training state are rebuilt by every save; keep no copy of them.
    content.optimizer.reset();
    content.trainingState.reset();
}

} // namespace cklab
