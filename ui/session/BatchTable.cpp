#include "ui/session/BatchTable.h"

#include <algorithm>
#include <limits>

namespace cklab::ui {

namespace {
constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
} // namespace

void BatchTable::clear()
{
    // Swap with empties: a new run should not keep the last run's capacity.
    m_epoch = {};
    m_batch = {};
    m_globalStep = {};
    m_columns = {};
}

BatchTable::Column& BatchTable::columnFor(const std::string& key)
{
    for (Column& c : m_columns)
        if (c.key == key)
            return c;
    // A key first seen at row r: the rows before lack it.
    const std::size_t r = size() - 1;
    Column c;
    c.key = key;
    c.values.reserve(m_epoch.capacity());
    c.values.assign(r, kMissing);
    if (r > 0)
        c.present.assign(r, false);
    m_columns.push_back(std::move(c));
    return m_columns.back();
}

void BatchTable::append(const BatchPoint& point)
{
    m_epoch.push_back(point.epoch);
    m_batch.push_back(point.batch);
    m_globalStep.push_back(point.globalStep);
    const std::size_t rows = size();
    // Keys come sorted (std::map) and usually the same every batch: try the next column first.
    std::size_t next = 0;
    for (const auto& [key, value] : point.logs) {
        Column& c = next < m_columns.size() && m_columns[next].key == key ? m_columns[next] : columnFor(key);
        c.values.push_back(value);
        if (!c.present.empty())
            c.present.push_back(true);
        next = std::size_t(&c - m_columns.data()) + 1;
    }
    if (point.logs.size() == m_columns.size())
        return;
    for (Column& c : m_columns) {
        if (c.values.size() == rows)
            continue;
        if (c.present.empty())
            c.present.assign(rows - 1, true);
        c.values.push_back(kMissing);
        c.present.push_back(false);
    }
}

BatchPoint BatchTable::row(std::size_t i) const
{
    BatchPoint p;
    p.epoch = m_epoch[i];
    p.batch = m_batch[i];
    p.globalStep = m_globalStep[i];
    for (const Column& c : m_columns)
        if (c.has(i))
            p.logs.emplace(c.key, c.values[i]);
    return p;
}

const BatchTable::Column* BatchTable::column(std::string_view key) const
{
    const auto it = std::find_if(m_columns.begin(), m_columns.end(), [&](const Column& c) { return c.key == key; });
    return it == m_columns.end() ? nullptr : &*it;
}

std::size_t BatchTable::bytesAllocated() const
{
    std::size_t bytes = m_epoch.capacity() * sizeof(int) + m_batch.capacity() * sizeof(int)
                        + m_globalStep.capacity() * sizeof(long long) + m_columns.capacity() * sizeof(Column);
    for (const Column& c : m_columns)
        bytes += c.values.capacity() * sizeof(double) + c.present.capacity() / 8 + c.key.capacity();
    return bytes;
}

} // namespace cklab::ui
