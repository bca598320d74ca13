#include "ui/forms/CheckpointPolicyForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <tuple>

#include "core/train/PathTemplate.h"
#include "core/project/ProjectValidation.h"
#include "ui/forms/ErrorLabel.h"
#include "ui/forms/FormRows.h"
#include "ui/forms/SciSpinBox.h"

namespace cklab::ui {

using cklab::CheckpointConfig;

namespace {
const QString kWeightsSuffix = QStringLiteral(".weights.h5");

std::vector<std::string> toStd(const QStringList& list)
{
    std::vector<std::string> out;
    for (const auto& s : list)
        out.push_back(s.toStdString());
    return out;
}
} // namespace

CheckpointPolicyForm::CheckpointPolicyForm(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("checkpointPolicyForm"));
    build();
    setLogKeys({QStringLiteral("loss"), QStringLiteral("accuracy")}, {QStringLiteral("loss"), QStringLiteral("accuracy")});
    CheckpointConfig initial;
    initial.filepath = "checkpoints/model-{epoch:02d}.keras";
    setConfig(initial);
}

void CheckpointPolicyForm::build()
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    FormRows form(new QFormLayout, [this](const QString& key) { onEdited(key); });
    layout->addLayout(form.layout());

    m_name = form.text(tr("Name"), "checkpointName", nullptr,
                       tr("Name of the policy, shown in the event log and on the charts; unique."));
    connect(m_name, &QLineEdit::textEdited, this, [this](const QString& text) {
        onEdited(QStringLiteral("name"));
        emit nameEdited(text);
    });
    m_filepath = form.text(tr("File path"), "checkpointFilepath", "filepath",
                           tr("filepath: Python str.format template, e.g. ckpt/{epoch:02d}-{val_loss:.2f}.keras. Names: "
                              "epoch (1-based), batch (batch-level saves), and every log key. The suffix chooses the "
                              "format: .keras model, .weights.h5 weights, .h5 legacy model. Relative to the output "
                              "folder."));
    form.add(tr("Preview"), buildPreviewRow());
    m_monitor = form.editableChoice(tr("Monitor"), "checkpointMonitor", "monitor", {},
                                    tr("monitor: log key compared for save_best_only and shown in events. "
                                       "Offered: the keys this run will log."));
    m_mode = form.editableChoice(tr("Mode"), "checkpointMode", "mode",
                                 {QStringLiteral("auto"), QStringLiteral("min"), QStringLiteral("max")},
                                 tr("mode: min, max, or auto (from the monitor's name: loss/error -> min, "
                                    "accuracy -> max)."));
    m_bestOnly = form.check(tr("Save best only"), "checkpointSaveBestOnly", "save_best_only",
                            tr("save_best_only: save only when the monitor strictly improves."));
    m_weightsOnly = form.check(tr("Save weights only"), "checkpointSaveWeightsOnly", "save_weights_only",
                               tr("save_weights_only: write a .weights.h5 weights file instead of the full model "
                                  "with optimizer state."));
    m_saveFreq = form.editableChoice(tr("Save frequency"), "checkpointSaveFreq", "save_freq",
                                     {QStringLiteral("epoch"), QStringLiteral("batch"), QStringLiteral("10"),
                                      QStringLiteral("100")},
                                     tr("save_freq: \"epoch\" (at every epoch end), \"batch\" (every batch) or N "
                                        "(every N training batches, counted across epochs)."));
    std::tie(m_hasThreshold, m_threshold) =
        form.optionalScientific(tr("Initial threshold"), "checkpointHasThreshold", "checkpointThreshold",
                                "initial_value_threshold", tr("Set an initial_value_threshold."),
                                tr("initial_value_threshold: starting value of 'best' (save_best_only only); a save "
                                   "needs to beat it."));
    std::tie(m_hasMaxToKeep, m_maxToKeep) =
        form.optionalInteger(tr("Max to keep"), "checkpointHasMaxToKeep", "checkpointMaxToKeep", "max_to_keep", 0,
                             1000000, tr("Limit the number of files this policy keeps."),
                             tr("max_to_keep: delete this policy's oldest (or, best-only, worst) files beyond this "
                                "count. Unchecked: keep all."));
    m_verbose = form.integer(tr("Verbose"), "checkpointVerbose", "verbose", 0, 2,
                             tr("verbose: 1 prints Keras' \"Epoch N: saving model to ...\" messages."));
    m_saveLast = form.check(tr("Save last at train end"), "checkpointSaveLast", "save_last",
                            tr("save_last: at train end also write last.keras / last.weights.h5 in the template's "
                               "folder."));
    m_continueOnError = form.check(tr("Continue on write errors"), "checkpointContinueOnError", "continue_on_error",
                                   tr("continue_on_error: a failed write is logged and training goes on (otherwise it "
                                      "stops)."));
    m_includeOptimizer = form.check(tr("Include optimizer state"), "checkpointIncludeOptimizer", "include_optimizer",
                                    tr("include_optimizer: write the optimizer's slots with the weights, as Keras 3 does "
                                       "(needed to resume exactly). Off: only the model, about a third of the size "
                                       "with Adam."));

    m_errors = new ErrorLabel(this);
    m_errors->setObjectName(QStringLiteral("checkpointErrorsLabel"));
    layout->addWidget(m_errors);
}

QWidget* CheckpointPolicyForm::buildPreviewRow()
{
    auto* row = new QWidget(this);
    auto* h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    m_preview = new QLabel(row);
    m_preview->setObjectName(QStringLiteral("checkpointPathPreview"));
    m_preview->setToolTip(tr("The file name the template gives for a save in epoch 1 (batch 1 for batch-level saves) "
                             "with sample log values."));
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->setWordWrap(true);
    m_fix = new QPushButton(tr("Append .weights.h5"), row);
    m_fix->setObjectName(QStringLiteral("appendWeightsSuffixButton"));
    m_fix->setToolTip(tr("Weights-only saves need a file name ending in .weights.h5: append it."));
    connect(m_fix, &QPushButton::clicked, this, &CheckpointPolicyForm::appendWeightsSuffix);
    h->addWidget(m_preview, 1);
    h->addWidget(m_fix);
    return row;
}

void CheckpointPolicyForm::setConfig(const CheckpointConfig& c)
{
    m_loading = true;
    m_name->setText(QString::fromStdString(c.name));
    m_filepath->setText(QString::fromStdString(c.filepath));
    m_monitor->setEditText(QString::fromStdString(c.monitor));
    m_mode->setEditText(QString::fromStdString(c.mode));
    m_bestOnly->setChecked(c.saveBestOnly);
    m_weightsOnly->setChecked(c.saveWeightsOnly);
    m_saveFreq->setEditText(QString::fromStdString(c.saveFreq));
    m_hasThreshold->setChecked(c.initialValueThreshold.has_value());
    m_threshold->setEnabled(c.initialValueThreshold.has_value());
    m_threshold->setValue(c.initialValueThreshold.value_or(0.0));
    m_hasMaxToKeep->setChecked(c.maxToKeep.has_value());
    m_maxToKeep->setEnabled(c.maxToKeep.has_value());
    m_maxToKeep->setValue(c.maxToKeep.value_or(1));
    m_verbose->setValue(c.verbose);
    m_saveLast->setChecked(c.saveLast);
    m_continueOnError->setChecked(c.continueOnError);
    m_includeOptimizer->setChecked(c.includeOptimizer);
    m_loading = false;
    refresh();
}

CheckpointConfig CheckpointPolicyForm::config() const
{
    CheckpointConfig c;
    c.name = m_name->text().toStdString();
    c.filepath = m_filepath->text().toStdString();
    c.monitor = m_monitor->currentText().toStdString();
    c.mode = m_mode->currentText().toStdString();
    c.saveBestOnly = m_bestOnly->isChecked();
    c.saveWeightsOnly = m_weightsOnly->isChecked();
    c.saveFreq = m_saveFreq->currentText().trimmed().toStdString();
    if (m_hasThreshold->isChecked())
        c.initialValueThreshold = m_threshold->value();
    if (m_hasMaxToKeep->isChecked())
        c.maxToKeep = m_maxToKeep->value();
    c.verbose = m_verbose->value();
    c.saveLast = m_saveLast->isChecked();
    c.continueOnError = m_continueOnError->isChecked();
    c.includeOptimizer = m_includeOptimizer->isChecked();
    return c;
}

void CheckpointPolicyForm::setLogKeys(const QStringList& epochKeys, const QStringList& batchKeys)
{
    m_epochKeys = epochKeys;
    m_batchKeys = batchKeys;
    const bool wasLoading = m_loading;
    m_loading = true;
    const QString current = m_monitor->currentText();
    m_monitor->clear();
    m_monitor->addItems(epochKeys);
    m_monitor->setEditText(current);
    m_loading = wasLoading;
    refresh();
}

void CheckpointPolicyForm::setPath(const QString& path)
{
    m_path = path;
    refresh();
}

QStringList CheckpointPolicyForm::problems() const
{
    return m_errors->problems();
}

QString CheckpointPolicyForm::previewText() const
{
    return m_preview->text();
}

std::vector<std::string> CheckpointPolicyForm::validate(const CheckpointConfig& config, const QString& path,
                                                       const QStringList& epochKeys, const QStringList& batchKeys)
{
    const bool noValidation = !epochKeys.isEmpty() &&
                              std::none_of(epochKeys.begin(), epochKeys.end(),
                                           [](const QString& k) { return k.startsWith(QLatin1String("val_")); });
    const std::string why =
        noValidation ? "this run has no validation data (set data.validation_split or data.validation_path)" : "";
    return cklab::validateCheckpoint(config, path.toStdString(), toStd(epochKeys), toStd(batchKeys), why);
}

void CheckpointPolicyForm::appendWeightsSuffix()
{
    QString path = m_filepath->text();
    // "best.h5" becomes "best.weights.h5", not "best.h5.weights.h5".
    if (path.endsWith(QLatin1String(".h5")))
        path.chop(3);
    m_filepath->setText(path + kWeightsSuffix);
}

void CheckpointPolicyForm::onEdited(const QString& field)
{
    if (m_loading)
        return;
    refresh();
    emit edited(field);
}

void CheckpointPolicyForm::refresh()
{
    if (m_loading)
        return;
    const CheckpointConfig c = config();
    const auto problems = validate(c, m_path, m_epochKeys, m_batchKeys);
    m_errors->setProblems(problems);

    // Sample logs: a plausible value for every key the run logs, so every placeholder formats.
    cklab::Logs sample;
    const QStringList& keys = c.saveFreq == "epoch" ? m_epochKeys : m_batchKeys;
    for (const auto& k : keys)
        sample[k.toStdString()] = k.contains(QLatin1String("acc")) ? 0.8765 : 0.1234;
    const auto pv = cklab::preview(c.filepath, sample, c.saveFreq != "epoch");
    m_preview->setText(pv.ok ? QString::fromStdString(pv.path) : QString::fromStdString(pv.error));
    m_fix->setVisible(c.saveWeightsOnly && !m_filepath->text().endsWith(kWeightsSuffix));

    const bool valid = problems.empty();
    if (valid != m_valid) {
        m_valid = valid;
        emit validityChanged(valid);
    }
}

} // namespace cklab::ui
