#include "ui/session/EvaluateDialog.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "ui/session/EvaluationView.h"

namespace cklab::ui {

EvaluateDialog::EvaluateDialog(const Project& project, const RunOptions& options, QWidget* parent)
    : QDialog(parent)
    , m_project(project)
    , m_options(options)
    , m_fileProvider([this](const QString& dir) {
        return QFileDialog::getOpenFileName(this, tr("Checkpoint to evaluate"), dir,
                                            tr("Checkpoints (*.keras *.weights.h5 *.h5);;All files (*)"));
    })
{
    setWindowTitle(tr("Load checkpoint and evaluate"));
    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("checkpointPath"));
    m_path->setToolTip(tr("A .keras, .weights.h5 or .h5 file saved by a checkpoint policy"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    browse->setObjectName(QStringLiteral("browseButton"));
    m_evaluateButton = new QPushButton(tr("Evaluate"), this);
    m_evaluateButton->setObjectName(QStringLiteral("evaluateButton"));
    m_evaluateButton->setDefault(true);
    m_result = new QPlainTextEdit(this);
    m_result->setObjectName(QStringLiteral("resultText"));
    m_result->setReadOnly(true);
    m_result->setMaximumHeight(m_result->fontMetrics().lineSpacing() * 8);
    m_view = new EvaluationView(this);
    m_view->setObjectName(QStringLiteral("evaluationView"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);

    auto* label = new QLabel(tr("&Checkpoint file:"), this);
    label->setBuddy(m_path);
    auto* row = new QHBoxLayout;
    row->addWidget(label);
    row->addWidget(m_path, 1);
    row->addWidget(browse);
    row->addWidget(m_evaluateButton);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_result);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);
    resize(760, 560);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString start = m_path->text().isEmpty() ? QString::fromStdString(m_options.outputDir.string())
                                                         : QFileInfo(m_path->text()).absolutePath();
        const QString file = m_fileProvider ? m_fileProvider(start) : QString();
        if (!file.isEmpty())
            m_path->setText(file);
    });
    connect(m_evaluateButton, &QPushButton::clicked, this, &EvaluateDialog::evaluate);
    connect(&m_watcher, &QFutureWatcher<EvaluationResult>::finished, this, [this] {
        m_evaluateButton->setEnabled(true);
        showResult(m_watcher.result());
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void EvaluateDialog::setFileProvider(FileProvider provider) { m_fileProvider = std::move(provider); }

void EvaluateDialog::setCheckpointPath(const QString& path) { m_path->setText(path); }

QString EvaluateDialog::resultText() const { return m_result->toPlainText(); }

bool EvaluateDialog::isEvaluating() const { return m_watcher.isRunning(); }

void EvaluateDialog::evaluate()
{
    if (m_watcher.isRunning())
        return;
    m_evaluatedPath = m_path->text();
    m_result->setPlainText(tr("Evaluating %1…").arg(QFileInfo(m_evaluatedPath).fileName()));
    m_view->clear();
    m_evaluateButton->setEnabled(false);
    // Copies only: the pool thread shares nothing with the dialog, which may close meanwhile.
    m_watcher.setFuture(QtConcurrent::run([project = m_project, path = m_evaluatedPath, options = m_options] {
        return evaluateCheckpoint(project, path, options);
    }));
}

void EvaluateDialog::showResult(const EvaluationResult& r)
{
    m_last = r;
    m_view->setResult(r);
    if (!r.ok) {
        m_result->setPlainText(tr("Evaluation failed:\n%1").arg(r.error));
        emit evaluated(false);
        return;
    }
    QString text = tr("%1 (%2 format) on the %3 data, %4 samples:\n")
                       .arg(QFileInfo(m_evaluatedPath).fileName(), r.format, r.dataName)
                       .arg(r.samples);
    for (const auto& [k, v] : r.logs)
        text += QStringLiteral("  %1 = %2\n").arg(QString::fromStdString(k)).arg(v, 0, 'g', 6);
    const Evaluation& e = r.evaluation;
    if (e.classification)
        text += (e.nonFiniteSamples > 0 ? tr("  misclassified: %1 of %2, and %3 without a predicted class\n")
                                              .arg(e.misclassified.size()).arg(e.samples).arg(e.nonFiniteSamples)
                                        : tr("  misclassified: %1 of %2\n").arg(e.misclassified.size()).arg(e.samples));
    else
        text += QStringLiteral("  mae = %1\n").arg(e.mae, 0, 'g', 6);
    if (e.nonFiniteSamples > 0)
        text += tr("  non-finite outputs: %1\n").arg(QString::fromStdString(e.nonFiniteNotice()));
    m_result->setPlainText(text);
    emit evaluated(true);
}

} // namespace cklab::ui

#include "moc_EvaluateDialog.cpp"
