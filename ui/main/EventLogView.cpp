#include "ui/main/EventLogView.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QMenu>
#include <QDesktopServices>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>
#include <utility>

#include "ui/main/EventLogModel.h"
#include "ui/session/RunHistory.h"

namespace cklab::ui {

/// Accepts rows whose policy and action match the chosen filters (empty = any).
class EventFilterProxy : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setPolicy(const QString& p)
    {
        m_policy = p;
        invalidateFilter();
    }
    void setAction(const QString& a)
    {
        m_action = a;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override
    {
        const QModelIndex idx = sourceModel()->index(row, 0, parent);
        if (!m_policy.isEmpty() && idx.data(EventLogModel::PolicyRole).toString() != m_policy)
            return false;
        if (!m_action.isEmpty() && idx.data(EventLogModel::ActionRole).toString() != m_action)
            return false;
        return true;
    }

private:
    QString m_policy, m_action;
};

EventLogView::EventLogView(QWidget* parent)
    : QWidget(parent)
    , m_opener([](const QUrl& url) { return QDesktopServices::openUrl(url); })
{
    m_model = new EventLogModel(this);
    m_proxy = new EventFilterProxy(this);
    m_proxy->setSourceModel(m_model);

    m_policyCombo = new QComboBox(this);
    m_policyCombo->setObjectName(QStringLiteral("policyFilter"));
    m_policyCombo->setToolTip(tr("Show the events of one checkpoint policy only"));
    m_policyCombo->addItem(tr("All policies"), QString());

    m_actionCombo = new QComboBox(this);
    m_actionCombo->setObjectName(QStringLiteral("actionFilter"));
    m_actionCombo->setToolTip(tr("Show one kind of decision only"));
    m_actionCombo->addItem(tr("All actions"), QString());
    m_actionCombo->addItem(tr("saved"), QStringLiteral("save"));
    m_actionCombo->addItem(tr("skipped"), QStringLiteral("skip"));
    m_actionCombo->addItem(tr("deleted"), QStringLiteral("delete"));
    m_actionCombo->addItem(tr("failed"), QStringLiteral("error"));

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("eventTable"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    // One line per event, whatever the length of a path or reason: rows of one fixed height
    // (cheap with tens of thousands of events), long texts elided in the middle where the
    // distinguishing part of a path usually is; the full text is in the cell's tooltip.
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    auto* header = m_table->horizontalHeader();
    header->setStretchLastSection(true);
    const int em = m_table->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    const std::pair<int, int> widthsInEm[] = {{EventLogModel::Time, 10},  {EventLogModel::Policy, 17},
                                              {EventLogModel::Epoch, 5},  {EventLogModel::Batch, 5},
                                              {EventLogModel::Monitor, 9}, {EventLogModel::Value, 6},
                                              {EventLogModel::BestBefore, 7}, {EventLogModel::Action, 15},
                                              {EventLogModel::Path, 24}};
    for (const auto& [column, width] : widthsInEm)
        header->resizeSection(column, width * em);
    // Numbers are never elided ("0....37"): their columns fit the longest value formatValue writes.
    const int number = m_table->fontMetrics().horizontalAdvance(QStringLiteral("-0.000000e-00")) + em;
    header->resizeSection(EventLogModel::Value, number);
    header->resizeSection(EventLogModel::BestBefore, std::max(number, header->sectionSize(EventLogModel::BestBefore)));
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, &EventLogView::showRowMenu);
    m_table->setToolTip(tr("Double-click a row to open the folder of its file"));

    auto* filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Policy:"), this));
    filters->addWidget(m_policyCombo);
    filters->addWidget(new QLabel(tr("Action:"), this));
    filters->addWidget(m_actionCombo);
    m_outputDir = new QLabel(this);
    m_outputDir->setObjectName(QStringLiteral("eventOutputDir"));
    m_outputDir->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_outputDir->setToolTip(tr("The run's output folder: relative paths in the table are relative to it"));
    // A long folder must not widen the window: the label shrinks (the whole path in its tooltip).
    m_outputDir->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_outputDir->setMinimumWidth(4 * em);
    auto* absolute = new QCheckBox(tr("Absolute paths"), this);
    absolute->setObjectName(QStringLiteral("absolutePathsCheck"));
    connect(absolute, &QCheckBox::toggled, m_model, &EventLogModel::setAbsolutePaths);
    filters->addSpacing(em);
    filters->addWidget(m_outputDir, 1);
    filters->addWidget(absolute);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(m_table);

    connect(m_policyCombo, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setPolicy(m_policyCombo->currentData().toString()); });
    connect(m_actionCombo, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setAction(m_actionCombo->currentData().toString()); });
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        openFolderOf(index.data(EventLogModel::EventIndexRole).toInt());
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { onCurrentChanged(current); });
    // Only the new rows: a run that saves every batch must not rescan all events per insert.
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex&, int first, int last) {
        for (int r = first; r <= last; ++r) {
            const QString p = m_model->index(r, 0).data(EventLogModel::PolicyRole).toString();
            if (m_policyCombo->findData(p) < 0)
                m_policyCombo->addItem(p, p);
        }
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, &EventLogView::refreshPolicies);
}

QSortFilterProxyModel* EventLogView::proxy() const { return m_proxy; }

void EventLogView::setHistory(RunHistory* history)
{
    if (RunHistory* old = m_model->history())
        disconnect(old, nullptr, this, nullptr);
    m_model->setHistory(history);
    if (history)
        connect(history, &RunHistory::infoChanged, this, &EventLogView::updateOutputDir);
    updateOutputDir();
}

void EventLogView::updateOutputDir()
{
    RunHistory* history = m_model->history();
    const QString dir = history ? QString::fromStdString(history->info().outputDir) : QString();
    m_outputDir->setText(dir.isEmpty() ? QString() : tr("Files in %1").arg(QDir::toNativeSeparators(dir)));
    m_outputDir->setToolTip(dir.isEmpty() ? QString() : QDir::toNativeSeparators(dir));
}

bool EventLogView::copyPathOf(int eventIndex)
{
    const QString path = m_model->index(eventIndex, 0).data(EventLogModel::PathRole).toString();
    if (path.isEmpty())
        return false;
    QApplication::clipboard()->setText(QDir::toNativeSeparators(path));
    return true;
}

void EventLogView::showRowMenu(const QPoint& pos)
{
    const QModelIndex index = m_table->indexAt(pos);
    if (!index.isValid())
        return;
    const int event = index.data(EventLogModel::EventIndexRole).toInt();
    QMenu menu(this);
    menu.addAction(tr("Open folder"), this, [this, event] { openFolderOf(event); });
    menu.addAction(tr("Copy path"), this, [this, event] { copyPathOf(event); });
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

void EventLogView::setFolderOpener(FolderOpener opener) { m_opener = std::move(opener); }

void EventLogView::setPolicyFilter(const QString& policy)
{
    refreshPolicies();
    const int i = m_policyCombo->findData(policy);
    if (i >= 0)
        m_policyCombo->setCurrentIndex(i);
}

void EventLogView::setActionFilter(const QString& action)
{
    const int i = m_actionCombo->findData(action);
    if (i >= 0)
        m_actionCombo->setCurrentIndex(i);
}

void EventLogView::refreshPolicies()
{
    RunHistory* history = m_model->history();
    const QStringList policies = history ? history->policies() : QStringList();
    // Append new names only: the user's current choice must survive incoming events.
    for (const QString& p : policies)
        if (m_policyCombo->findData(p) < 0)
            m_policyCombo->addItem(p, p);
    if (policies.isEmpty() && m_policyCombo->count() > 1) {
        m_policyCombo->setCurrentIndex(0);
        while (m_policyCombo->count() > 1)
            m_policyCombo->removeItem(1);
    }
}

void EventLogView::selectEvent(int eventIndex)
{
    if (eventIndex < 0) {
        m_table->clearSelection();
        return;
    }
    const QModelIndex src = m_model->index(eventIndex, 0);
    const QModelIndex idx = m_proxy->mapFromSource(src);
    if (!idx.isValid())
        return;
    m_table->selectionModel()->setCurrentIndex(
        idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(idx);
}

bool EventLogView::openFolderOf(int eventIndex)
{
    const QModelIndex src = m_model->index(eventIndex, 0);
    const QString path = src.data(EventLogModel::PathRole).toString();
    if (path.isEmpty() || !m_opener)
        return false;
    const QString folder = QFileInfo(path).absolutePath();
    return m_opener(QUrl::fromLocalFile(folder));
}

void EventLogView::onCurrentChanged(const QModelIndex& current)
{
    emit eventSelected(current.isValid() ? current.data(EventLogModel::EventIndexRole).toInt() : -1);
}

} // namespace cklab::ui

#include "moc_EventLogView.cpp"
