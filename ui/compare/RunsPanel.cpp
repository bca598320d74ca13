#include "ui/compare/RunsPanel.h"

#include <QDir>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/compare/ConfigDiffDialog.h"
#include "ui/plots/ChartPanel.h"
#include "ui/plots/Palette.h"
#include "ui/session/RunEnd.h"

namespace cklab::ui {

namespace {
constexpr int kByHandRole = Qt::UserRole + 2;

QIcon swatch(const QColor& color)
{
    QPixmap pm(28, 12);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setPen(QPen(color, 2.5));
    p.drawLine(QPointF(1, 4), QPointF(27, 4));            // training: solid
    p.setPen(QPen(color, 2.5, Qt::DashLine));
    p.drawLine(QPointF(1, 9.5), QPointF(27, 9.5));        // validation: dashed
    return QIcon(pm);
}
} // namespace

RunsPanel::RunsPanel(QWidget* parent) : QWidget(parent)
{
    m_folders = [this] { return QFileDialog::getExistingDirectory(this, tr("Add a saved run"), m_outputDir); };
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("runList"));
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setToolTip(tr("Tick a run to draw it on the charts (solid: training, dashed: validation).\n"
                          "Select two runs for Config diff; double-click a run to compare policies on it."));
    m_list->setMinimumHeight(90);
    m_list->setMaximumHeight(110);
    auto* refresh = new QPushButton(tr("Refresh"), this);
    refresh->setObjectName(QStringLiteral("refreshRunsButton"));
    refresh->setToolTip(tr("Reread the runs kept in the project's output folder"));
    auto* add = new QPushButton(tr("Add run…"), this);
    add->setObjectName(QStringLiteral("addRunButton"));
    add->setToolTip(tr("List a run folder from another place (recorded-runs/run-NNN)"));
    auto* diff = new QPushButton(tr("Config diff"), this);
    diff->setObjectName(QStringLiteral("configDiffButton"));
    diff->setToolTip(tr("Show how the configs of the two selected (else the first two ticked) runs differ"));
    auto* compare = new QPushButton(tr("Compare on run"), this);
    compare->setObjectName(QStringLiteral("compareOnRunButton"));
    compare->setToolTip(tr("Compare the policies on the current run"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("runsStatus"));
    m_status->setWordWrap(true);
    m_diff = new ConfigDiffDialog(this);

    // Two rows, so the panel stays narrow next to the policy editor.
    auto* buttons = new QGridLayout;
    buttons->addWidget(refresh, 0, 0);
    buttons->addWidget(add, 0, 1);
    buttons->addWidget(diff, 1, 0);
    buttons->addWidget(compare, 1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_list);
    layout->addLayout(buttons);
    layout->addWidget(m_status);

    connect(refresh, &QPushButton::clicked, this, &RunsPanel::refresh);
    connect(add, &QPushButton::clicked, this, [this] { addRunFolder(); });
    connect(diff, &QPushButton::clicked, this, &RunsPanel::showConfigDiffOfSelection);
    connect(compare, &QPushButton::clicked, this, &RunsPanel::compareCurrent);
    connect(m_list, &QListWidget::itemChanged, this, &RunsPanel::onItemChanged);
    connect(m_list, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem* item) {
        m_list->setCurrentItem(item);
        compareCurrent();
    });
}

void RunsPanel::setChartPanel(ChartPanel* charts) { m_charts = charts; }
void RunsPanel::setFolderProvider(FolderProvider provider) { m_folders = std::move(provider); }

void RunsPanel::setOutputDir(const QString& dir)
{
    const QString clean = dir.isEmpty() ? QString() : QDir::cleanPath(QDir(dir).absolutePath());
    if (clean == m_outputDir)
        return;
    m_outputDir = clean;
    // The old project's runs go (with their overlays); runs added by hand stay.
    for (int row = m_list->count() - 1; row >= 0; --row) {
        QListWidgetItem* item = m_list->item(row);
        if (item->data(kByHandRole).toBool())
            continue;
        if (m_charts)
            m_charts->removeOverlay(item->data(Qt::UserRole).toString());
        delete m_list->takeItem(row);
    }
    refresh();
}

QListWidgetItem* RunsPanel::itemOf(const QString& id) const
{
    for (int row = 0; row < m_list->count(); ++row)
        if (m_list->item(row)->data(Qt::UserRole).toString() == id)
            return m_list->item(row);
    return nullptr;
}

QListWidgetItem* RunsPanel::addItem(const QString& id, const QString& folder, bool byHand)
{
    m_filling = true;
    auto* item = new QListWidgetItem(swatch(palette::runColor(id)), id);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Unchecked);
    item->setData(Qt::UserRole, id);
    item->setData(kFolderRole, folder);
    item->setData(kByHandRole, byHand);
    item->setToolTip(QDir::toNativeSeparators(folder));
    m_list->addItem(item);
    m_filling = false;
    return item;
}

void RunsPanel::refresh()
{
    if (m_outputDir.isEmpty())
        return;
    std::vector<std::filesystem::path> folders;
    try {
        folders = listRunRecords(m_outputDir.toStdString());
    } catch (const std::exception& e) {
        setStatus(QString::fromUtf8(e.what()), true);
        return;
    }
    for (const auto& f : folders) {
        const QString folder = QString::fromStdString(f.string());
        const QString id = QFileInfo(folder).fileName();
        if (QListWidgetItem* existing = itemOf(id); existing && existing->data(kFolderRole).toString() == folder)
            continue;
        if (!itemOf(id))
            addItem(id, folder, false);
    }
    showEndReasons();
    setStatus(m_list->count() ? tr("%n run(s). Tick to overlay on the charts.", nullptr, m_list->count())
                              : tr("No recorded runs in %1 yet.").arg(QDir::toNativeSeparators(m_outputDir)),
              false);
}

void RunsPanel::showEndReasons()
{
    // How each run ended ("run-003 — Stopped by you"), read from its run.json on a pool thread:
    // a long run's record takes a while to parse, and the list must not wait for it.
    QList<QPair<QString, QString>> todo;
    for (int row = 0; row < m_list->count(); ++row) {
        const QListWidgetItem* item = m_list->item(row);
        if (!item->data(kEndRole).isValid())
            todo.append({item->data(Qt::UserRole).toString(), item->data(kFolderRole).toString()});
    }
    if (todo.isEmpty())
        return;
    auto* watcher = new QFutureWatcher<QList<QPair<QString, QString>>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        for (const auto& [id, reason] : watcher->result())
            if (QListWidgetItem* item = itemOf(id); item && !item->data(kEndRole).isValid()) {
                item->setData(kEndRole, reason);
                const QString text = runEndText(reason.toStdString());
                if (!text.isEmpty())
                    item->setText(QStringLiteral("%1 — %2").arg(id, text));
            }
        watcher->deleteLater();
        emit endReasonsShown();
    });
    watcher->setFuture(QtConcurrent::run([todo] {
        QList<QPair<QString, QString>> out;
        for (const auto& [id, folder] : todo) {
            try {
                out.append({id, QString::fromStdString(loadRunRecord(folder.toStdString()).stopReason)});
            } catch (const std::exception&) {
                out.append({id, QString()}); // unreadable: the list says so when it is opened
            }
        }
        return out;
    }));
}

QString RunsPanel::addRunFolder(const QString& folderArg)
{
    const QString chosen = folderArg.isEmpty() ? m_folders() : folderArg;
    if (chosen.isEmpty())
        return {};
    const QString folder = QDir::cleanPath(QDir(chosen).absolutePath());
    if (!QFileInfo::exists(QDir(folder).filePath(QStringLiteral("run.json")))) {
        setStatus(tr("%1 holds no run.json").arg(QDir::toNativeSeparators(folder)), true);
        return {};
    }
    QString id = QFileInfo(folder).fileName();
    if (QListWidgetItem* same = itemOf(id)) {
        if (same->data(kFolderRole).toString() == folder)
            return id;
        // Another project's run-NNN: name it by its project folder too.
        id = QFileInfo(QFileInfo(QFileInfo(folder).absolutePath()).absolutePath()).fileName() + QLatin1Char('/') + id;
        if (itemOf(id))
            return id;
    }
    addItem(id, folder, true);
    return id;
}

QStringList RunsPanel::runIds() const
{
    QStringList ids;
    for (int row = 0; row < m_list->count(); ++row)
        ids << m_list->item(row)->data(Qt::UserRole).toString();
    return ids;
}

QStringList RunsPanel::overlaidIds() const
{
    QStringList ids;
    for (int row = 0; row < m_list->count(); ++row)
        if (m_list->item(row)->checkState() == Qt::Checked)
            ids << m_list->item(row)->data(Qt::UserRole).toString();
    return ids;
}

const RunRecord* RunsPanel::run(const QString& id)
{
    const QListWidgetItem* item = itemOf(id);
    if (!item)
        return nullptr;
    const QString folder = item->data(kFolderRole).toString();
    if (const auto it = m_loaded.find(folder); it != m_loaded.end())
        return &it->second;
    try {
        RunRecord record = loadRunRecord(folder.toStdString());
        return &m_loaded.emplace(folder, std::move(record)).first->second;
    } catch (const std::exception& e) {
        setStatus(QString::fromUtf8(e.what()), true);
        return nullptr;
    }
}

void RunsPanel::setOverlaid(const QString& id, bool on)
{
    if (QListWidgetItem* item = itemOf(id))
        item->setCheckState(on ? Qt::Checked : Qt::Unchecked); // -> onItemChanged
}

void RunsPanel::onItemChanged(QListWidgetItem* item)
{
    if (m_filling || !m_charts)
        return;
    const QString id = item->data(Qt::UserRole).toString();
    const bool on = item->checkState() == Qt::Checked;
    if (!on) {
        m_charts->setOverlayVisible(id, false);
        return;
    }
    if (m_charts->overlay(id)) {
        m_charts->setOverlayVisible(id, true);
        return;
    }
    const RunRecord* record = run(id);
    if (!record) {
        m_filling = true;
        item->setCheckState(Qt::Unchecked);
        m_filling = false;
        return;
    }
    m_charts->setOverlay({id, id, palette::runColor(id), record->epochLogs()});
}

bool RunsPanel::showConfigDiff(const QString& idA, const QString& idB)
{
    const RunRecord* a = run(idA);
    const RunRecord* b = a ? run(idB) : nullptr;
    if (!a || !b)
        return false;
    if (!a->project || !b->project) {
        setStatus(tr("%1 has no config (an imported history)").arg(a->project ? idB : idA), true);
        return false;
    }
    m_diff->setRuns(idA, *a->project, idB, *b->project);
    m_diff->show();
    m_diff->raise();
    setStatus(tr("%1 → %2: %3").arg(idA, idB, m_diff->summary()), false);
    return true;
}

bool RunsPanel::showConfigDiffOfSelection()
{
    QStringList ids;
    for (int row = 0; row < m_list->count(); ++row)
        if (m_list->item(row)->isSelected())
            ids << m_list->item(row)->data(Qt::UserRole).toString();
    if (ids.size() != 2)
        ids = overlaidIds();
    if (ids.size() < 2) {
        setStatus(tr("Select two runs (or tick two) to see how their configs differ."), true);
        return false;
    }
    return showConfigDiff(ids[0], ids[1]);
}

void RunsPanel::compareCurrent()
{
    const QListWidgetItem* item = m_list->currentItem();
    if (!item)
        return;
    if (const RunRecord* record = run(item->data(Qt::UserRole).toString()))
        emit compareRequested(*record);
}

void RunsPanel::setStatus(const QString& text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
}

} // namespace cklab::ui
