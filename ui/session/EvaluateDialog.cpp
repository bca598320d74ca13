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

#include "ui/session/CheckpointEvaluator.h"

namespace cklab {

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
    auto* evaluateButton = new QPushButton(tr("Evaluate"), this);
    evaluateButton->setObjectName(QStringLiteral("evaluateButton"));
    evaluateButton->setDefault(true);
    m_result = new QPlainTextEdit(this);
    m_result->setObjectName(QStringLiteral("resultText"));
    m_result->setReadOnly(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);

    auto* label = new QLabel(tr("&Checkpoint file:"), this);
    label->setBuddy(m_path);
    auto* row = new QHBoxLayout;
    row->addWidget(label);
    row->addWidget(m_path, 1);
    row->addWidget(browse);
    row->addWidget(evaluateButton);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_result, 1);
    layout->addWidget(buttons);
    resize(560, 260);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString start = m_path->text().isEmpty() ? QString::fromStdString(m_options.outputDir.string())
                                                         : QFileInfo(m_path->text()).absolutePath();
        const QString file = m_fileProvider ? m_fileProvider(start) : QString();
        if (!file.isEmpty())
            m_path->setText(file);
    });
    connect(evaluateButton, &QPushButton::clicked, this, &EvaluateDialog::evaluate);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void EvaluateDialog::setFileProvider(FileProvider provider) { m_fileProvider = std::move(provider); }

void EvaluateDialog::setCheckpointPath(const QString& path) { m_path->setText(path); }

QString EvaluateDialog::resultText() const { return m_result->toPlainText(); }

bool EvaluateDialog::evaluate()
{
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const EvaluationResult r = evaluateCheckpoint(m_project, m_path->text(), m_options);
    QApplication::restoreOverrideCursor();
    if (!r.ok) {
        m_result->setPlainText(tr("Evaluation failed:\n%1").arg(r.error));
        return false;
    }
    QString text = tr("%1 (%2 format) on the %3 data, %4 samples:\n")
                       .arg(QFileInfo(m_path->text()).fileName(), r.format, r.dataName)
                       .arg(r.samples);
    for (const auto& [k, v] : r.logs)
        text += QStringLiteral("  %1 = %2\n").arg(QString::fromStdString(k)).arg(v, 0, 'g', 6);
    m_result->setPlainText(text);
    return true;
}

} // namespace cklab

#include "moc_EvaluateDialog.cpp"
