#pragma once
/// The checkpoint event log: an EventLogModel in a table behind a filter by policy and by
/// action. Double-clicking a row opens the folder of its file (through a replaceable opener,
/// so tests can observe it); selecting a row emits eventSelected() so the charts can highlight
/// the marker of that event. Above the table: the run's output folder (relative paths are relative
/// to it) and an "Absolute paths" switch; each row's context menu has Open folder and Copy path.
/// Object names: "policyFilter", "actionFilter", "eventTable", "eventOutputDir",
/// "absolutePathsCheck".
#include <QWidget>
#include <functional>

class QComboBox;
class QLabel;
class QPoint;
class QModelIndex;
class QSortFilterProxyModel;
class QTableView;
class QUrl;

namespace cklab::ui {

class EventLogModel;
class EventFilterProxy;
class RunHistory;

class EventLogView : public QWidget {
    Q_OBJECT
public:
    /// Opens a folder URL; returns false on failure. Default: QDesktopServices::openUrl.
    using FolderOpener = std::function<bool(const QUrl&)>;

    explicit EventLogView(QWidget* parent = nullptr);

    void setHistory(RunHistory* history);
    void setFolderOpener(FolderOpener opener);

    EventLogModel* model() const { return m_model; }
    QSortFilterProxyModel* proxy() const;
    QTableView* table() const { return m_table; }

public slots:
    /// Shows only `policy`'s events (empty: all).
    void setPolicyFilter(const QString& policy);
    /// Shows only events with action "save", "skip", "delete" or "error" (empty: all).
    void setActionFilter(const QString& action);
    /// Selects the row of history event `eventIndex` (if not filtered out); -1 clears.
    void selectEvent(int eventIndex);
    /// Opens the folder containing the file of history event `eventIndex`.
    bool openFolderOf(int eventIndex);
    /// Puts the absolute path of history event `eventIndex`'s file on the clipboard.
    bool copyPathOf(int eventIndex);

signals:
    /// A row was selected (-1: selection cleared). The index is into RunHistory::events().
    void eventSelected(int eventIndex);

private:
    void refreshPolicies();
    void onCurrentChanged(const QModelIndex& current);
    void showRowMenu(const QPoint& pos);
    void updateOutputDir();

    EventLogModel* m_model = nullptr;
    EventFilterProxy* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    QComboBox* m_policyCombo = nullptr;
    QComboBox* m_actionCombo = nullptr;
    QLabel* m_outputDir = nullptr;
    FolderOpener m_opener;
};

} // namespace cklab::ui
