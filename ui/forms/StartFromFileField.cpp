#include "ui/forms/StartFromFileField.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <exception>

#include "core/base/Errors.h"
#include "core/project/StartFromFile.h"

namespace cklab::ui {

StartFromFileField::StartFromFileField(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("startFromFileField"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("modelFromFile"));
    m_path->setPlaceholderText(tr("none: a fresh model"));
    m_path->setToolTip(tr("A .keras or .h5 model (its architecture and weights) or a .weights.h5 for the layers "
                          "below, written by Keras or CheckpointLab. The run continues from it, with its optimizer "
                          "state when the optimizer is the same (model.from_file)."));
    m_browse = new QPushButton(tr("Browse…"), this);
    m_browse->setObjectName(QStringLiteral("modelFromFileBrowse"));
    row->addWidget(m_path, 1);
    row->addWidget(m_browse);
    layout->addLayout(row);
    m_layers = new QTableWidget(0, 4, this);
    m_layers->setObjectName(QStringLiteral("importedLayersTable"));
    m_layers->setHorizontalHeaderLabels({tr("Name"), tr("Layer"), tr("Output shape"), tr("Parameters")});
    m_layers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_layers->setSelectionMode(QAbstractItemView::NoSelection);
    m_layers->verticalHeader()->hide();
    m_layers->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_layers->horizontalHeader()->setStretchLastSection(true);
    m_layers->hide();
    layout->addWidget(m_layers);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("modelFromFileStatus"));
    m_status->setWordWrap(true);
    m_status->hide();
    layout->addWidget(m_status);

    m_chooser = [this](const QString& current) {
        return QFileDialog::getOpenFileName(this, tr("Start from file"), current,
                                            tr("Keras models (*.keras *.h5);;All files (*)"));
    };
    connect(m_browse, &QPushButton::clicked, this, &StartFromFileField::browse);
    connect(m_path, &QLineEdit::editingFinished, this, [this] {
        if (!m_path->isModified())
            return;
        m_path->setModified(false);
        load();
        emit edited();
    });
}

QString StartFromFileField::path() const
{
    return m_path->text().trimmed();
}

void StartFromFileField::setPath(const QString& path)
{
    if (path == m_path->text() && (path.isEmpty() || m_architecture || !m_problem.isEmpty()))
        return;
    m_path->setText(path);
    load();
}

void StartFromFileField::browse()
{
    const QString chosen = m_chooser ? m_chooser(path()) : QString();
    if (chosen.isEmpty())
        return;
    m_path->setText(chosen);
    load();
    emit edited();
}

void StartFromFileField::load()
{
    m_architecture.reset();
    m_problem.clear();
    m_layers->setRowCount(0);
    const QString text = path();
    if (text.isEmpty()) {
        m_layers->hide();
        m_status->hide();
        return;
    }
    cklab::ModelSpec spec;
    spec.fromFile = text.toStdString();
    QString status;
    try {
        const cklab::LoadedCheckpoint file = cklab::readStartFile(cklab::startFilePath(spec, std::filesystem::current_path()));
        if (file.spec) {
            m_architecture = *file.spec;
            status = tr("The run takes these layers and their weights from the file.");
        } else {
            status = tr("Weights only: the layers below (model.layers) must match them.");
        }
        if (file.optimizer)
            status += QLatin1Char(' ') + tr("Optimizer state: %1, step %2.")
                                             .arg(QString::fromStdString(file.optimizer->name))
                                             .arg(file.optimizer->iterations);
    } catch (const cklab::ConfigError& e) {
        m_problem = QString::fromStdString(e.problems().empty() ? std::string(e.what()) : e.problems().front());
    } catch (const std::exception& e) {
        m_problem = QStringLiteral("model.from_file: ") + QString::fromUtf8(e.what());
    }
    if (m_architecture) {
        const auto rows = cklab::importedLayers(*m_architecture);
        m_layers->setRowCount(static_cast<int>(rows.size()));
        for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
            const auto& l = rows[static_cast<std::size_t>(r)];
            const QStringList cells{QString::fromStdString(l.name), QString::fromStdString(l.description),
                                    QString::fromStdString(l.outputShape), QLocale().toString(l.parameters)};
            for (int c = 0; c < cells.size(); ++c)
                m_layers->setItem(r, c, new QTableWidgetItem(cells[c]));
        }
    }
    m_layers->setVisible(m_architecture.has_value());
    m_status->setText(m_problem.isEmpty() ? status : m_problem);
    m_status->setVisible(true);
}

} // namespace cklab::ui
