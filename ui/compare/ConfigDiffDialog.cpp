#include "ui/compare/ConfigDiffDialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/plots/Palette.h"

namespace cklab::ui {

namespace {
QTableWidgetItem* cell(const std::optional<std::string>& value)
{
    auto* item = new QTableWidgetItem(value ? QString::fromStdString(*value) : QObject::tr("(absent)"));
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    item->setToolTip(item->text());
    if (!value)
        item->setForeground(QColor(120, 120, 120));
    return item;
}
} // namespace

ConfigDiffDialog::ConfigDiffDialog(QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("configDiffDialog"));
    setWindowTitle(tr("Config difference"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("configDiffSummary"));
    m_summary->setWordWrap(true);
    m_table = new QTableWidget(0, 3, this);
    m_table->setObjectName(QStringLiteral("configDiffTable"));
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(720, 380);
}

void ConfigDiffDialog::setRuns(const QString& nameA, const Project& a, const QString& nameB, const Project& b)
{
    m_differences = diffProjects(a, b);
    m_table->clearContents();
    m_table->setRowCount(int(m_differences.size()));
    auto* headA = new QTableWidgetItem(tr("A: %1").arg(nameA));
    headA->setForeground(palette::runColor(nameA));
    auto* headB = new QTableWidgetItem(tr("B: %1").arg(nameB));
    headB->setForeground(palette::runColor(nameB));
    m_table->setHorizontalHeaderItem(0, new QTableWidgetItem(tr("Field")));
    m_table->setHorizontalHeaderItem(1, headA);
    m_table->setHorizontalHeaderItem(2, headB);
    for (int row = 0; row < int(m_differences.size()); ++row) {
        const ConfigDifference& d = m_differences[std::size_t(row)];
        auto* field = new QTableWidgetItem(d.path.empty() ? tr("(whole config)") : QString::fromStdString(d.path));
        field->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
        field->setToolTip(QString::fromStdString(formatDifference(d)));
        m_table->setItem(row, 0, field);
        m_table->setItem(row, 1, cell(d.a));
        m_table->setItem(row, 2, cell(d.b));
    }
    m_summary->setText(summary());
    setWindowTitle(tr("Config difference: %1 → %2").arg(nameA, nameB));
}

QString ConfigDiffDialog::summary() const
{
    if (m_differences.empty())
        return tr("The two runs were trained with the same config.");
    return tr("%n field(s) differ between the two runs' configs.", nullptr, int(m_differences.size()));
}

} // namespace cklab::ui
