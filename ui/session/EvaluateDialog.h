#pragma once
/// Run > Evaluate checkpoint: choose a checkpoint file, evaluate it on the project's validation
/// data (training data without) on a pool thread, show loss and metrics ("resultText"), the
/// confusion matrix, the per-class table and the misclassified samples (EvaluationView,
/// "evaluationView"). Object names: "checkpointPath", "browseButton", "evaluateButton".
#include <QDialog>
#include <QFutureWatcher>
#include <functional>

#include "core/project/ProjectRun.h"
#include "ui/session/CheckpointEvaluator.h"

class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace cklab::ui {

class EvaluationView;

class EvaluateDialog : public QDialog {
    Q_OBJECT
public:
    /// Asked for a checkpoint file on Browse; empty = cancelled. Default: a QFileDialog.
    using FileProvider = std::function<QString(const QString& startDir)>;

    EvaluateDialog(const Project& project, const RunOptions& options, QWidget* parent = nullptr);

    void setFileProvider(FileProvider provider);
    void setCheckpointPath(const QString& path);
    QString resultText() const;
    bool isEvaluating() const;
    EvaluationView* view() const { return m_view; }
    /// The last finished evaluation (ok false before the first).
    const EvaluationResult& lastResult() const { return m_last; }

public slots:
    /// Starts evaluating the file in the path field on a pool thread; evaluated() follows.
    /// Ignored while an evaluation runs.
    void evaluate();

signals:
    void evaluated(bool ok);

private:
    void showResult(const EvaluationResult& r);

    Project m_project;
    RunOptions m_options;
    QLineEdit* m_path = nullptr;
    QPushButton* m_evaluateButton = nullptr;
    QPlainTextEdit* m_result = nullptr;
    EvaluationView* m_view = nullptr;
    FileProvider m_fileProvider;
    QFutureWatcher<EvaluationResult> m_watcher;
    QString m_evaluatedPath;
    EvaluationResult m_last;
};

} // namespace cklab::ui
