#include "ui/compare/ComparisonView.h"
#include "ui/session/RunEnd.h"

#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPixmap>
#include <QPushButton>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <set>

#include "core/base/Errors.h"
#include "ui/compare/ComparisonTableModel.h"
#include "ui/compare/RunsPanel.h"
#include "ui/compare/TimelineWidget.h"
#include "ui/forms/CheckpointPolicyList.h"

namespace cklab::ui {

namespace {

QStringList keysOf(const RunRecord& run, bool batchLevel)
{
    std::set<std::string> keys;
    for (const auto& call : run.history)
        if (call.hook == (batchLevel ? HookCall::Hook::BatchEnd : HookCall::Hook::EpochEnd))
            for (const auto& [key, value] : call.logs)
                keys.insert(key);
    QStringList out;
    for (const auto& k : keys)
        out << QString::fromStdString(k);
    return out;
}

} // namespace

ComparisonView::ComparisonView(QWidget* parent) : QWidget(parent)
{
    m_paths = [this](PathRequest request) -> QString {
        switch (request) {
        case PathRequest::OpenRunFolder: return QFileDialog::getExistingDirectory(this, tr("Open a saved run"));
        case PathRequest::ImportHistory:
            return QFileDialog::getOpenFileName(this, tr("Import a history"), QString(),
                                                tr("Histories (*.csv *.log *.jsonl *.txt);;All files (*)"));
        case PathRequest::ExportCsv:
            return QFileDialog::getSaveFileName(this, tr("Export comparison"), QString(), tr("CSV (*.csv)"));
        case PathRequest::ExportPng:
            return QFileDialog::getSaveFileName(this, tr("Export comparison image"), QString(), tr("PNG image (*.png)"));
        }
        return {};
    };

    m_runLabel = new QLabel(tr("No run yet: train, open a saved run or import a history."), this);
    m_runLabel->setObjectName(QStringLiteral("runLabel"));
    m_runLabel->setWordWrap(true);
    m_sessionButton = new QPushButton(tr("Last run"), this);
    m_sessionButton->setObjectName(QStringLiteral("sessionRunButton"));
    m_sessionButton->setToolTip(tr("Compare on the last run of this session"));
    m_sessionButton->setEnabled(false);
    auto* openButton = new QPushButton(tr("Open run…"), this);
    openButton->setObjectName(QStringLiteral("openRunButton"));
    openButton->setToolTip(tr("Open a run folder saved in a project's output folder (recorded-runs/run-NNN)"));
    auto* importButton = new QPushButton(tr("Import history…"), this);
    importButton->setObjectName(QStringLiteral("importHistoryButton"));
    importButton->setToolTip(tr("A Keras CSVLogger file or JSON lines of hook calls"));
    auto* resetButton = new QPushButton(tr("Run's policies"), this);
    resetButton->setObjectName(QStringLiteral("resetPoliciesButton"));
    resetButton->setToolTip(tr("Compare the policies the run was trained with"));
    auto* csvButton = new QPushButton(tr("Export CSV…"), this);
    csvButton->setObjectName(QStringLiteral("exportCsvButton"));
    auto* pngButton = new QPushButton(tr("Export PNG…"), this);
    pngButton->setObjectName(QStringLiteral("exportPngButton"));

    m_editor = new CheckpointPolicyList(this);
    m_editor->setObjectName(QStringLiteral("policyEditor"));
    // The main window has its own policy editor with the same child names: prefix ours so that
    // findChild by name stays unambiguous in the whole window.
    for (QObject* child : m_editor->findChildren<QObject*>())
        if (!child->objectName().isEmpty())
            child->setObjectName(QStringLiteral("compare_") + child->objectName());
    m_runs = new RunsPanel(this);
    m_runs->setObjectName(QStringLiteral("runsPanel"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);

    m_timeline = new TimelineWidget(this);
    m_timeline->setObjectName(QStringLiteral("timeline"));
    m_model = new ComparisonTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ComparisonTableModel::kSortRole);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("comparisonTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // model order until the user sorts
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();

    // Layout: what-if panel | results (timeline over table).
    auto* runButtons = new QHBoxLayout;
    runButtons->addWidget(m_sessionButton);
    runButtons->addWidget(openButton);
    runButtons->addWidget(importButton);
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->addWidget(new QLabel(tr("<b>Run</b>"), left));
    leftLayout->addWidget(m_runLabel);
    leftLayout->addLayout(runButtons);
    leftLayout->addWidget(new QLabel(tr("<b>Runs</b> (tick to overlay on the charts)"), left));
    leftLayout->addWidget(m_runs);
    leftLayout->addWidget(new QLabel(tr("<b>Policies</b> (edits replay the run at once)"), left));
    leftLayout->addWidget(m_editor, 1);
    leftLayout->addWidget(resetButton);
    leftLayout->addWidget(m_status);

    m_results = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(m_results);
    auto* exportButtons = new QHBoxLayout;
    exportButtons->addStretch(1);
    exportButtons->addWidget(csvButton);
    exportButtons->addWidget(pngButton);
    rightLayout->addLayout(exportButtons);
    rightLayout->addWidget(m_timeline);
    rightLayout->addWidget(m_table, 1);

    auto* splitter = new QSplitter(this);
    auto* leftScroll = new QScrollArea(splitter);
    leftScroll->setWidget(left);
    leftScroll->setWidgetResizable(true);
    splitter->addWidget(leftScroll);
    splitter->addWidget(m_results);
    splitter->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(60);
    connect(m_refreshTimer, &QTimer::timeout, this, &ComparisonView::refresh);
    connect(m_editor, &CheckpointPolicyList::edited, this, &ComparisonView::onEdited);
    connect(m_sessionButton, &QPushButton::clicked, this, &ComparisonView::useSessionRun);
    connect(openButton, &QPushButton::clicked, this, [this] { openRunFolder(); });
    connect(importButton, &QPushButton::clicked, this, [this] { importHistory(); });
    connect(csvButton, &QPushButton::clicked, this, [this] { exportCsv(); });
    connect(pngButton, &QPushButton::clicked, this, [this] { exportPng(); });
    connect(resetButton, &QPushButton::clicked, this, &ComparisonView::resetPolicies);
    connect(m_runs, &RunsPanel::compareRequested, this, &ComparisonView::setRun);
}

void ComparisonView::setPathProvider(PathProvider provider) { m_paths = std::move(provider); }

std::vector<CheckpointConfig> ComparisonView::policies() const { return m_editor->config(); }

void ComparisonView::setPolicies(const std::vector<CheckpointConfig>& policies)
{
    m_editor->setConfig(policies);
    refresh();
}

void ComparisonView::setRun(const RunRecord& run) { showRun(std::make_shared<const RunRecord>(run)); }

void ComparisonView::setSessionRun(RunRecord run)
{
    m_sessionRun = std::make_shared<const RunRecord>(std::move(run));
    m_sessionButton->setEnabled(true);
    m_runs->refresh(); // the run is kept in the output folder by now
    showRun(m_sessionRun);
}

void ComparisonView::useSessionRun()
{
    if (m_sessionRun)
        showRun(m_sessionRun);
}

void ComparisonView::showRun(std::shared_ptr<const RunRecord> shown)
{
    m_run = std::move(shown);
    const RunRecord& run = *m_run;
    const QString name = QString::fromStdString(run.name.empty() ? std::string("run") : run.name);
    const int epochs = int(run.epochLogs().size());
    const QString ended = runEndText(run.stopReason);
    m_runLabel->setText(tr("%1 — %2, %n epoch(s)%3%4", nullptr, epochs)
                            .arg(name, run.source == "imported" ? tr("imported history") : tr("recorded run"),
                                 run.hasBatchLogs() ? tr(", batch logs") : tr(", epoch logs only"),
                                 ended.isEmpty() ? QString() : QStringLiteral(" — ") + ended.toLower()));
    m_runLabel->setToolTip(QString::fromStdString(run.origin));
    m_editor->setLogKeys(keysOf(run, false), keysOf(run, true));
    // A run with its project (a new run, a saved run) is compared with its own policies, not with
    // the ones an earlier run of the session brought; an imported history keeps the current ones.
    if (run.project)
        m_editor->setConfig(run.policies());
    emit runChanged(name);
    refresh();
}

void ComparisonView::resetPolicies()
{
    if (!m_run || !m_run->project)
        return;
    m_editor->setConfig(m_run->policies());
    refresh();
    emit policiesEdited(policies());
}

void ComparisonView::onEdited()
{
    m_refreshTimer->start();
    emit policiesEdited(policies());
}

void ComparisonView::refresh()
{
    m_refreshTimer->stop();
    if (!m_run) {
        m_comparison = {};
    } else {
        m_comparison = compareRun(*m_run, policies());
        int replayed = 0;
        QStringList errors;
        for (const auto& pc : m_comparison.policies) {
            replayed += pc.replayed ? 1 : 0;
            if (!pc.error.empty())
                errors << QStringLiteral("%1: %2").arg(QString::fromStdString(pc.config.name), QString::fromStdString(pc.error));
        }
        if (!errors.isEmpty())
            setStatus(errors.join(QLatin1Char('\n')), true);
        else
            setStatus(tr("%n policy(ies) replayed over the run's logs, the others as recorded.", nullptr, replayed), false);
    }
    m_timeline->setComparison(m_comparison, m_run ? m_run->epochLogs() : std::vector<std::pair<int, Logs>>{});
    m_model->setComparison(m_comparison);
    emit comparisonChanged();
}

void ComparisonView::setStatus(const QString& text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
}

bool ComparisonView::openRunFolder(const QString& folder)
{
    const QString path = folder.isEmpty() ? m_paths(PathRequest::OpenRunFolder) : folder;
    if (path.isEmpty())
        return false;
    try {
        showRun(std::make_shared<const RunRecord>(loadRunRecord(path.toStdString())));
        m_runs->addRunFolder(path);
        return true;
    } catch (const std::exception& e) {
        setStatus(QString::fromStdString(e.what()), true);
        return false;
    }
}

bool ComparisonView::importHistory(const QString& file)
{
    const QString path = file.isEmpty() ? m_paths(PathRequest::ImportHistory) : file;
    if (path.isEmpty())
        return false;
    try {
        showRun(std::make_shared<const RunRecord>(cklab::importHistory(path.toStdString())));
        return true;
    } catch (const std::exception& e) {
        setStatus(QString::fromStdString(e.what()), true);
        return false;
    }
}

bool ComparisonView::exportCsv(const QString& target)
{
    const QString path = target.isEmpty() ? m_paths(PathRequest::ExportCsv) : target;
    if (path.isEmpty())
        return false;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        setStatus(tr("%1: %2").arg(path, file.errorString()), true);
        return false;
    }
    file.write(m_model->toCsv().toUtf8());
    return file.flush();
}

bool ComparisonView::exportPng(const QString& target)
{
    const QString path = target.isEmpty() ? m_paths(PathRequest::ExportPng) : target;
    if (path.isEmpty())
        return false;
    if (!m_results->grab().save(path, "PNG")) {
        setStatus(tr("%1: could not write the image").arg(path), true);
        return false;
    }
    return true;
}

} // namespace cklab::ui
