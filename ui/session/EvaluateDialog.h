#pragma once
/// Small dialog: choose a checkpoint file, evaluate it on the project's validation data, show
/// loss and metrics. Object names: "checkpointPath", "browseButton", "evaluateButton", "resultText".
#include <QDialog>
#include <functional>

#include "core/project/ProjectRun.h"

class QLineEdit;
class QPlainTextEdit;

namespace cklab {

class EvaluateDialog : public QDialog {
    Q_OBJECT
public:
    /// Asked for a checkpoint file on Browse; empty = cancelled. Default: a QFileDialog.
    using FileProvider = std::function<QString(const QString& startDir)>;

    EvaluateDialog(const Project& project, const RunOptions& options, QWidget* parent = nullptr);

    void setFileProvider(FileProvider provider);
    void setCheckpointPath(const QString& path);
    QString resultText() const;

public slots:
    /// Evaluates the file in the path field; the result (or error) appears in the text area.
    bool evaluate();

private:
    Project m_project;
    RunOptions m_options;
    QLineEdit* m_path = nullptr;
    QPlainTextEdit* m_result = nullptr;
    FileProvider m_fileProvider;
};

} // namespace cklab
