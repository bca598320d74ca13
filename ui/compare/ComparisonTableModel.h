#pragma once
/// The comparison table: one row per policy with the numbers of core/compare/PolicySummary.h.
/// DisplayRole is formatted text; kSortRole holds the raw number (or text) the view sorts by.
#include <QAbstractTableModel>
#include <QString>

#include "core/compare/Comparison.h"

namespace cklab::ui {

class ComparisonTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Policy, Source, Monitor, Saves, Skips, Deletes, FilesKept, BytesWritten, BytesOnDisk, SaveMs,
        BestCaptured, RunBest, BestKeptEpoch, KeptBest, MissedBy, ColumnCount
    };
    static constexpr int kSortRole = Qt::UserRole + 1;

    explicit ComparisonTableModel(QObject* parent = nullptr);

    void setComparison(const Comparison& comparison);
    const Comparison& comparison() const { return m_comparison; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Header line and one line per row (in model order), comma-separated, quoted where needed;
    /// numbers unformatted (bytes as integers, values with full precision).
    QString toCsv() const;

private:
    QVariant display(const PolicyComparison& pc, int column) const;
    QVariant sortValue(const PolicyComparison& pc, int column) const;

    Comparison m_comparison;
};

} // namespace cklab::ui
