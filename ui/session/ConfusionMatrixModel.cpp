#include "ui/session/ConfusionMatrixModel.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <algorithm>

namespace cklab::ui {

ConfusionMatrixModel::ConfusionMatrixModel(QObject* parent) : QAbstractTableModel(parent) {}

void ConfusionMatrixModel::setEvaluation(const Evaluation& evaluation)
{
    beginResetModel();
    m_names.clear();
    for (const std::string& name : evaluation.classNames)
        m_names << QString::fromStdString(name);
    m_counts = evaluation.confusion;
    m_rowTotals.assign(m_counts.size(), 0);
    m_max = 0;
    for (std::size_t t = 0; t < m_counts.size(); ++t)
        for (const long long v : m_counts[t]) {
            m_rowTotals[t] += v;
            m_max = std::max(m_max, v);
        }
    endResetModel();
}

void ConfusionMatrixModel::clear()
{
    setEvaluation(Evaluation{});
}

int ConfusionMatrixModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_counts.size());
}

int ConfusionMatrixModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_counts.size());
}

QVariant ConfusionMatrixModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const auto t = static_cast<std::size_t>(index.row());
    const auto p = static_cast<std::size_t>(index.column());
    const long long count = m_counts[t][p];
    const bool diagonal = t == p;
    switch (role) {
    case Qt::DisplayRole:
        return QString::number(count);
    case Qt::UserRole:
        return qlonglong(count);
    case Qt::TextAlignmentRole:
        return int(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::FontRole: {
        QFont font;
        font.setBold(diagonal);
        return font;
    }
    case Qt::BackgroundRole: {
        // Shade by count; the diagonal keeps a faint tint even at 0 so that it stays visible.
        const double share = m_max > 0 ? static_cast<double>(count) / static_cast<double>(m_max) : 0.0;
        QColor colour = diagonal ? QColor(46, 160, 67) : QColor(207, 34, 46);
        if (!diagonal && count == 0)
            return {};
        colour.setAlphaF(static_cast<float>(0.12 + 0.68 * share));
        return QBrush(colour);
    }
    case Qt::ToolTipRole: {
        const long long total = m_rowTotals[t];
        const QString share = total > 0 ? QString::number(100.0 * static_cast<double>(count) / static_cast<double>(total), 'f', 1)
                                        : QStringLiteral("–");
        return tr("true %1 predicted %2: %3 samples (%4 % of %1)")
            .arg(m_names.value(index.row()), m_names.value(index.column()))
            .arg(count)
            .arg(share);
    }
    default:
        return {};
    }
}

QVariant ConfusionMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (section < 0 || section >= m_names.size())
        return {};
    if (role == Qt::DisplayRole)
        return m_names.at(section);
    if (role == Qt::ToolTipRole)
        return orientation == Qt::Vertical ? tr("true class %1").arg(m_names.at(section))
                                           : tr("predicted class %1").arg(m_names.at(section));
    return {};
}

} // namespace cklab::ui

#include "moc_ConfusionMatrixModel.cpp"
