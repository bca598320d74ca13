#include "ui/forms/ModelSummaryView.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cklab::ui {

ModelSummaryView::ModelSummaryView(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("modelSummary"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableWidget(0, 3, this);
    m_table->setObjectName(QStringLiteral("modelSummaryTable"));
    m_table->setHorizontalHeaderLabels({tr("Layer (type)"), tr("Output shape"), tr("Param #")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setFocusPolicy(Qt::NoFocus);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_table->setToolTip(tr("What Keras' model.summary() prints for this model."));
    layout->addWidget(m_table);
    m_totals = new QLabel(this);
    m_totals->setObjectName(QStringLiteral("parameterCountLabel"));
    m_totals->setToolTip(tr("Parameters of every layer: kernels, biases, and BatchNormalization's gamma, beta "
                            "(trainable) and moving mean and variance (non-trainable)."));
    layout->addWidget(m_totals);
}

QString ModelSummaryView::kerasShape(const std::vector<int>& shape)
{
    if (shape.empty())
        return QStringLiteral("?");
    QStringList parts{QStringLiteral("None")};
    for (int d : shape)
        parts << QString::number(d);
    return QLatin1Char('(') + parts.join(QStringLiteral(", ")) + QLatin1Char(')');
}

void ModelSummaryView::setSpec(const ModelSpec& spec)
{
    const std::vector<LayerSummary> rows = spec.summary();
    m_table->setRowCount(static_cast<int>(rows.size()));
    const QLocale locale;
    long long total = 0, trainable = 0;
    for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
        const LayerSummary& s = rows[static_cast<std::size_t>(r)];
        auto* layer = new QTableWidgetItem(QStringLiteral("%1 (%2)").arg(QString::fromStdString(s.name),
                                                                         QString::fromStdString(s.className)));
        auto* shape = new QTableWidgetItem(kerasShape(s.outputShape));
        auto* params = new QTableWidgetItem(locale.toString(s.parameters));
        params->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (s.parameters != s.trainableParameters)
            params->setToolTip(tr("%1 trainable, %2 non-trainable")
                                   .arg(locale.toString(s.trainableParameters),
                                        locale.toString(s.parameters - s.trainableParameters)));
        m_table->setItem(r, 0, layer);
        m_table->setItem(r, 1, shape);
        m_table->setItem(r, 2, params);
        total += s.parameters;
        trainable += s.trainableParameters;
    }
    m_totals->setText(tr("Parameters: %1 (trainable %2, non-trainable %3)")
                          .arg(locale.toString(total), locale.toString(trainable), locale.toString(total - trainable)));
}

int ModelSummaryView::rowCount() const
{
    return m_table->rowCount();
}

QString ModelSummaryView::text(int row, int column) const
{
    const QTableWidgetItem* item = m_table->item(row, column);
    return item ? item->text() : QString();
}

QString ModelSummaryView::totals() const
{
    return m_totals->text();
}

} // namespace cklab::ui
