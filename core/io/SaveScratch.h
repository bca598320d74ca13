#pragma once
/// Memory a checkpoint writer keeps from one save to the next (issue 7, "time per checkpoint").
/// A page touched for the first time costs a page fault, and on the benchmark machine (a VM)
/// that is ~19 µs per 4 KiB: ~5 ms per MB, against 0.09 ms to memset a MB already paged in.
/// Building a 1 MB weights file in fresh memory (the copy of the weights, libhdf5's in-memory
/// file, the finished image) took longer than writing and fsyncing it. A FileCheckpointStore
/// owns one SaveScratch; its warm-up at the start of training touches the pages and every save
/// reuses them. One save at a time per scratch (not thread-safe).
#include <cstddef>
#include <vector>

#include "core/io/CheckpointContent.h"

namespace cklab {

/// A scratch keeps at most this much between saves; a larger model's memory is freed after each
/// save (it then pays the page faults, in proportion to its size, as before).
inline constexpr std::size_t kSaveScratchMaxBytes = std::size_t{64} << 20;

/// One reusable block handed out with realloc()/free() semantics, for libhdf5's core driver
/// (file image callbacks in hdf5Image()). A second block requested while the first is in use
/// comes from malloc, so nested or foreign requests are always served.
class ReusableBlock {
public:
    ReusableBlock() = default;
    ~ReusableBlock();
    ReusableBlock(const ReusableBlock&) = delete;
    ReusableBlock& operator=(const ReusableBlock&) = delete;

    /// realloc(ptr, size): `ptr` is null or a pointer this object returned. Keeps the first
    /// min(old size, size) bytes. Returns null if memory runs out (ptr then stays valid).
    void* resize(void* ptr, std::size_t size);
    /// free(ptr) for a pointer resize() returned (null is ignored). The reusable block is kept
    /// for the next resize(nullptr, ...) unless it is larger than kSaveScratchMaxBytes.
    void release(void* ptr);

    std::size_t capacity() const { return m_capacity; }
    bool inUse() const { return m_inUse; }
    /// How many times the block had to be (re)allocated; stays put while saves reuse it.
    int allocations() const { return m_allocations; }

private:
    char* m_data = nullptr;
    std::size_t m_capacity = 0;
    std::size_t m_size = 0;
    bool m_inUse = false;
    int m_allocations = 0;
};

struct SaveScratch {
    CheckpointContent content;   ///< the copy of the model's variables (matrices keep their storage)
    ReusableBlock hdf5File;      ///< libhdf5's in-memory file while an HDF5 image is built
    std::vector<char> bytes;     ///< the finished file image, written out by saveCheckpoint()

    /// After a save: frees what exceeds kSaveScratchMaxBytes.
    void trim();
};

} // namespace cklab
