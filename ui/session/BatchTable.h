#pragma once
/// Every batch end of a run, stored by column: the epoch, batch and global step of each row, and
/// one value column per log key. A run of 200 000 batches with two keys takes ~32 bytes per batch
/// (a BatchPoint with its std::map took ~250). Values stay doubles, so exports and the run record
/// carry exactly what the policies saw. A plain value: cheap to copy for a pool thread.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ui/session/RunTypes.h"

namespace cklab::ui {

class BatchTable {
public:
    /// One log key's values, row by row. `present` is empty while every row has the key;
    /// otherwise present[i] tells whether row i has it (values[i] is NaN where it does not).
    struct Column {
        std::string key;
        std::vector<double> values;
        std::vector<bool> present;

        bool has(std::size_t row) const { return present.empty() || present[row]; }
    };

    void clear();
    void append(const BatchPoint& point);

    std::size_t size() const { return m_globalStep.size(); }
    bool empty() const { return m_globalStep.empty(); }
    /// Row `i` as a BatchPoint (its logs rebuilt); i < size().
    BatchPoint row(std::size_t i) const;

    const std::vector<int>& epochs() const { return m_epoch; }
    const std::vector<int>& batches() const { return m_batch; }
    const std::vector<long long>& globalSteps() const { return m_globalStep; }
    /// Columns in the order their key first appeared.
    const std::vector<Column>& columns() const { return m_columns; }
    /// nullptr if no row had `key`.
    const Column* column(std::string_view key) const;
    /// Heap bytes held (capacity, not size): what the table costs in memory.
    std::size_t bytesAllocated() const;

private:
    Column& columnFor(const std::string& key);

    std::vector<int> m_epoch;
    std::vector<int> m_batch;
    std::vector<long long> m_globalStep;
    std::vector<Column> m_columns;
};

} // namespace cklab::ui
