#pragma once
/// The confusion matrix of an Evaluation as a table: one row per true class, one column per
/// predicted class, class names on both headers. Cells are shaded by count (green on the
/// diagonal, red off it; the diagonal is bold and always tinted), with the tooltip
/// "true T predicted P: N samples (x % of T)". Qt::UserRole holds the count as a qlonglong.
#include <QAbstractTableModel>

#include "core/model/Evaluation.h"

namespace cklab::ui {

class ConfusionMatrixModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit ConfusionMatrixModel(QObject* parent = nullptr);

    /// Replaces everything (a model reset): rows and headers follow the new classes.
    void setEvaluation(const Evaluation& evaluation);
    void clear();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QStringList m_names;
    std::vector<std::vector<long long>> m_counts;
    std::vector<long long> m_rowTotals;
    long long m_max = 0;
};

} // namespace cklab::ui
