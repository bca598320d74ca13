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

#include "core/train/PathTemplate.h"
#include "core/project/ProjectValidation.h"
#include "ui/forms/ErrorLabel.h"
#include "ui/forms/SciSpinBox.h"

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
    auto* form = new QFormLayout;
    layout->addLayout(form);
    auto named = [](QWidget* w, const char* name, const QString& tip) {
        w->setObjectName(QLatin1String(name));
        w->setToolTip(tip);
    };

    m_name = new QLineEdit(this);
    named(m_name, "checkpointName", tr("Name of the policy, shown in the event log and on the charts; unique."));
    form->addRow(tr("Name"), m_name);

    m_filepath = new QLineEdit(this);
    named(m_filepath, "checkpointFilepath",
          tr("filepath: Python str.format template, e.g. ckpt/{epoch:02d}-{val_loss:.2f}.keras. Names: epoch (1-based), "
             "batch (batch-level saves), and every log key. The suffix chooses the format: .keras model, "
             ".weights.h5 weights, .h5 legacy model. Relative to the output folder."));
    form->addRow(tr("File path"), m_filepath);
    auto* previewRow = new QWidget(this);
    auto* ph = new QHBoxLayout(previewRow);
    ph->setContentsMargins(0, 0, 0, 0);
    m_preview = new QLabel(previewRow);
    named(m_preview, "checkpointPathPreview", tr("The file name the template gives for a save in epoch 1 "
                                                 "(batch 1 for batch-level saves) with sample log values."));
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->setWordWrap(true);
    m_fix = new QPushButton(tr("Append .weights.h5"), previewRow);
    named(m_fix, "appendWeightsSuffixButton", tr("Weights-only saves need a file name ending in .weights.h5: append it."));
    ph->addWidget(m_preview, 1);
    ph->addWidget(m_fix);
    form->addRow(tr("Preview"), previewRow);

    m_monitor = new QComboBox(this);
    m_monitor->setEditable(true);
    named(m_monitor, "checkpointMonitor", tr("monitor: log key compared for save_best_only and shown in events. "
                                             "Offered: the keys this run will log."));
    form->addRow(tr("Monitor"), m_monitor);
    m_mode = new QComboBox(this);
    m_mode->setEditable(true);
    m_mode->addItems({QStringLiteral("auto"), QStringLiteral("min"), QStringLiteral("max")});
    named(m_mode, "checkpointMode", tr("mode: min, max, or auto (from the monitor's name: loss/error -> min, "
                                       "accuracy -> max)."));
    form->addRow(tr("Mode"), m_mode);
    m_bestOnly = new QCheckBox(tr("Save best only"), this);
    named(m_bestOnly, "checkpointSaveBestOnly", tr("save_best_only: save only when the monitor strictly improves."));
    form->addRow(QString(), m_bestOnly);
    m_weightsOnly = new QCheckBox(tr("Save weights only"), this);
    named(m_weightsOnly, "checkpointSaveWeightsOnly", tr("save_weights_only: write a .weights.h5 weights file instead of "
                                                         "the full model with optimizer state."));
    form->addRow(QString(), m_weightsOnly);
    m_saveFreq = new QComboBox(this);
    m_saveFreq->setEditable(true);
    m_saveFreq->addItems({QStringLiteral("epoch"), QStringLiteral("batch"), QStringLiteral("10"), QStringLiteral("100")});
    named(m_saveFreq, "checkpointSaveFreq", tr("save_freq: \"epoch\" (at every epoch end), \"batch\" (every batch) or N "
                                               "(every N training batches, counted across epochs)."));
    form->addRow(tr("Save frequency"), m_saveFreq);

    auto* thRow = new QWidget(this);
    auto* th = new QHBoxLayout(thRow);
    th->setContentsMargins(0, 0, 0, 0);
    m_hasThreshold = new QCheckBox(thRow);
    named(m_hasThreshold, "checkpointHasThreshold", tr("Set an initial_value_threshold."));
    m_threshold = new SciSpinBox(thRow);
    named(m_threshold, "checkpointThreshold", tr("initial_value_threshold: starting value of 'best' "
                                                  "(save_best_only only); a save needs to beat it."));
    th->addWidget(m_hasThreshold);
    th->addWidget(m_threshold, 1);
    form->addRow(tr("Initial threshold"), thRow);

    auto* keepRow = new QWidget(this);
    auto* kh = new QHBoxLayout(keepRow);
    kh->setContentsMargins(0, 0, 0, 0);
    m_hasMaxToKeep = new QCheckBox(keepRow);
    named(m_hasMaxToKeep, "checkpointHasMaxToKeep", tr("Limit the number of files this policy keeps."));
    m_maxToKeep = new QSpinBox(keepRow);
    m_maxToKeep->setRange(0, 1000000);
    named(m_maxToKeep, "checkpointMaxToKeep", tr("max_to_keep: delete this policy's oldest (or, best-only, worst) "
                                                  "files beyond this count. Unchecked: keep all."));
    kh->addWidget(m_hasMaxToKeep);
    kh->addWidget(m_maxToKeep, 1);
    form->addRow(tr("Max to keep"), keepRow);

    m_verbose = new QSpinBox(this);
    m_verbose->setRange(0, 2);
    named(m_verbose, "checkpointVerbose", tr("verbose: 1 prints Keras' \"Epoch N: saving model to ...\" messages."));
    form->addRow(tr("Verbose"), m_verbose);
    m_saveLast = new QCheckBox(tr("Save last at train end"), this);
    named(m_saveLast, "checkpointSaveLast", tr("save_last: at train end also write last.keras / last.weights.h5 in the "
                                               "template's folder."));
    form->addRow(QString(), m_saveLast);
    m_continueOnError = new QCheckBox(tr("Continue on write errors"), this);
    named(m_continueOnError, "checkpointContinueOnError", tr("continue_on_error: a failed write is logged and training "
                                                              "goes on (otherwise it stops)."));
    form->addRow(QString(), m_continueOnError);
    m_includeOptimizer = new QCheckBox(tr("Include optimizer state"), this);
    named(m_includeOptimizer, "checkpointIncludeOptimizer",
          tr("include_optimizer: write the optimizer's slots with the weights, as Keras 3 does (needed to resume "
             "exactly). Off: only the model, about a third of the size with Adam."));
    form->addRow(QString(), m_includeOptimizer);

    m_errors = new ErrorLabel(this);
    m_errors->setObjectName(QStringLiteral("checkpointErrorsLabel"));
    layout->addWidget(m_errors);

    auto field = [this](const QString& key) { return [this, key] { onEdited(key); }; };
    connect(m_name, &QLineEdit::textEdited, this, [this](const QString& text) {
        onEdited(QStringLiteral("name"));
        emit nameEdited(text);
    });
    connect(m_filepath, &QLineEdit::textChanged, this, field(QStringLiteral("filepath")));
    connect(m_fix, &QPushButton::clicked, this, &CheckpointPolicyForm::appendWeightsSuffix);
    connect(m_monitor, &QComboBox::editTextChanged, this, field(QStringLiteral("monitor")));
    connect(m_mode, &QComboBox::editTextChanged, this, field(QStringLiteral("mode")));
    connect(m_bestOnly, &QCheckBox::toggled, this, field(QStringLiteral("save_best_only")));
    connect(m_weightsOnly, &QCheckBox::toggled, this, field(QStringLiteral("save_weights_only")));
    connect(m_saveFreq, &QComboBox::editTextChanged, this, field(QStringLiteral("save_freq")));
    connect(m_hasThreshold, &QCheckBox::toggled, this, [this](bool on) {
        m_threshold->setEnabled(on);
        onEdited(QStringLiteral("initial_value_threshold"));
    });
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, field(QStringLiteral("initial_value_threshold")));
    connect(m_hasMaxToKeep, &QCheckBox::toggled, this, [this](bool on) {
        m_maxToKeep->setEnabled(on);
        onEdited(QStringLiteral("max_to_keep"));
    });
    connect(m_maxToKeep, &QSpinBox::valueChanged, this, field(QStringLiteral("max_to_keep")));
    connect(m_verbose, &QSpinBox::valueChanged, this, field(QStringLiteral("verbose")));
    connect(m_saveLast, &QCheckBox::toggled, this, field(QStringLiteral("save_last")));
    connect(m_continueOnError, &QCheckBox::toggled, this, field(QStringLiteral("continue_on_error")));
    connect(m_includeOptimizer, &QCheckBox::toggled, this, field(QStringLiteral("include_optimizer")));
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
