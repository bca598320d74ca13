#pragma once
/// The differences between the project configs of two runs (core/compare/ConfigDiff.h), one row
/// per field: its path, the value in run A and the value in run B. Non-modal; refilled by setRuns.
/// Object names: "configDiffDialog", "configDiffTable", "configDiffSummary".
#include <QDialog>
#include <vector>

#include "core/compare/ConfigDiff.h"

class QLabel;
class QTableWidget;

namespace cklab::ui {

class ConfigDiffDialog : public QDialog {
    Q_OBJECT
public:
    explicit ConfigDiffDialog(QWidget* parent = nullptr);

    /// Shows the differences of `a` → `b`; the names head the value columns.
    void setRuns(const QString& nameA, const Project& a, const QString& nameB, const Project& b);
    const std::vector<ConfigDifference>& differences() const { return m_differences; }
    QTableWidget* table() const { return m_table; }
    QString summary() const;

private:
    std::vector<ConfigDifference> m_differences;
    QTableWidget* m_table = nullptr;
    QLabel* m_summary = nullptr;
};

} // namespace cklab::ui
