#include "ui/forms/TrainingForm.h"

#include <QCheckBox>
#include <QDir>
#include <QLabel>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <tuple>

#include "core/optim/OptimizerKind.h"
#include "core/project/ProjectValidation.h"
#include "ui/forms/ErrorLabel.h"
#include "ui/forms/FormRows.h"
#include "ui/forms/SciSpinBox.h"

namespace cklab::ui {

using cklab::TrainingConfig;

namespace {
const QStringList kModes{QStringLiteral("auto"), QStringLiteral("min"), QStringLiteral("max")};

QString qs(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

/// The combo box's items: the names of core/optim/OptimizerKind's table, in its order.
QStringList optimizerNames()
{
    QStringList names;
    for (const auto& info : cklab::optimizerKinds())
        names << qs(info.name);
    return names;
}

void setComboText(QComboBox* combo, const QString& text)
{
    const int i = combo->findText(text);
    if (i >= 0)
        combo->setCurrentIndex(i);
    else if (combo->isEditable())
        combo->setEditText(text);
}
} // namespace

TrainingForm::TrainingForm(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("trainingForm"));
    build();
    setConfig(TrainingConfig{});
}

void TrainingForm::build()
{
    auto* layout = new QVBoxLayout(this);
    const FormRows::Edited edited = [this](const QString& key) { onEdited(key); };

    FormRows top(new QFormLayout, edited);
    m_epochs = top.integer(tr("Epochs"), "trainingEpochs", "training.epochs", 1, 1000000,
                           tr("Number of passes over the training data."));
    QStringList losses;
    for (const auto& n : cklab::lossNames())
        losses << QString::fromStdString(n);
    m_loss = top.choice(tr("Loss"), "trainingLoss", "training.loss", losses,
                        tr("Loss minimised by the optimizer (Keras name). The targets are encoded to match: "
                           "one-hot, class index, 0/1 or values."));
    top.add(tr("Metrics"), buildMetricsRow());
    m_terminateOnNaN = top.check(tr("Stop on NaN loss"), "trainingTerminateOnNaN", "training.terminate_on_nan",
                                 tr("TerminateOnNaN: stop at the first batch whose loss is NaN or infinite."));
    m_outputDir = top.text(tr("Output folder"), "outputDir", "output_dir",
                           tr("Folder of the run's files; relative checkpoint paths resolve against it "
                              "(itself relative to the project file's folder)."));
    m_outputResolved = new QLabel(this);
    m_outputResolved->setObjectName(QStringLiteral("outputDirResolved"));
    m_outputResolved->setWordWrap(true);
    m_outputResolved->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_outputResolved->setToolTip(tr("Where the run's files go: the output folder resolved against the project file's "
                                    "folder (untitled projects and examples: Documents/CheckpointLab)."));
    top.add(QString(), m_outputResolved);
    layout->addLayout(top.layout());

    auto* opt = new QGroupBox(tr("Optimizer"), this);
    m_optForm = new QFormLayout(opt);
    FormRows o(m_optForm, edited);
    m_optType = o.choice(tr("Type"), "optimizerType", nullptr, optimizerNames(),
                         tr("Update rule. Changing it loads the Keras defaults of that optimizer."));
    m_lr = o.scientific(tr("Learning rate"), "optimizerLearningRate", "optimizer.learning_rate",
                        tr("learning_rate: step size (> 0)."));
    // Out-of-range values stay typeable: the core's validation says what is valid.
    m_beta1 = o.decimal(tr("β₁"), "optimizerBeta1", "optimizer.beta_1", -10.0, 10.0, 4, 0.01,
                        tr("beta_1: decay rate of the first-moment estimate, in [0, 1)."));
    m_beta2 = o.decimal(tr("β₂"), "optimizerBeta2", "optimizer.beta_2", -10.0, 10.0, 4, 0.001,
                        tr("beta_2: decay rate of the second-moment estimate, in [0, 1)."));
    m_epsilon = o.scientific(tr("ε"), "optimizerEpsilon", "optimizer.epsilon",
                             tr("epsilon: small constant for numerical stability (> 0)."));
    m_momentum = o.decimal(tr("Momentum"), "optimizerMomentum", "optimizer.momentum", -10.0, 10.0, 4, 0.05,
                           tr("momentum: accelerates in the direction of past updates, in [0, 1)."));
    m_nesterov = o.check(tr("Nesterov momentum"), "optimizerNesterov", "optimizer.nesterov",
                         tr("nesterov: use Nesterov momentum."));
    m_rho = o.decimal(tr("ρ"), "optimizerRho", "optimizer.rho", -10.0, 10.0, 4, 0.01,
                      tr("rho: discounting factor of the squared-gradient average, in [0, 1)."));
    m_weightDecay = o.scientific(tr("Weight decay"), "optimizerWeightDecay", "optimizer.weight_decay",
                                 tr("weight_decay: decoupled weight decay (>= 0)."));
    layout->addWidget(opt);
    connect(m_optType, &QComboBox::currentIndexChanged, this, [this] {
        if (m_loading)
            return;
        applyOptimizerDefaults();
        updateOptimizerRows();
        onEdited(QStringLiteral("optimizer.type"));
    });

    m_es = FormRows::checkableGroup(tr("Early stopping"), "earlyStoppingGroup", "early_stopping.enabled",
                                           tr("EarlyStopping: stop when the monitored value has stopped improving."),
                                           edited);
    FormRows es(FormRows::groupLayout(m_es), edited);
    m_esMonitor = es.editableChoice(tr("Monitor"), "earlyStoppingMonitor", "early_stopping.monitor", {},
                                    tr("monitor: log key to watch (offered: the keys this run will log)."));
    m_esMode = es.choice(tr("Mode"), "earlyStoppingMode", "early_stopping.mode", kModes,
                         tr("mode: min, max, or auto (from the monitor's name)."));
    m_esMinDelta = es.scientific(tr("Min delta"), "earlyStoppingMinDelta", "early_stopping.min_delta",
                                 tr("min_delta: smallest change that counts as an improvement."));
    m_esPatience = es.integer(tr("Patience"), "earlyStoppingPatience", "early_stopping.patience", 0, 1000000,
                              tr("patience: epochs without improvement before stopping."));
    m_esStartFrom = es.integer(tr("Start from epoch"), "earlyStoppingStartFromEpoch", "early_stopping.start_from_epoch",
                               0, 1000000, tr("start_from_epoch: epochs to wait before monitoring starts."));
    std::tie(m_esHasBaseline, m_esBaseline) =
        es.optionalScientific(tr("Baseline"), "earlyStoppingHasBaseline", "earlyStoppingBaseline",
                              "early_stopping.baseline", tr("Use a baseline: stop if the monitor does not beat it."),
                              tr("baseline: value the monitor has to improve on."));
    m_esRestore = es.check(tr("Restore best weights"), "earlyStoppingRestoreBestWeights",
                           "early_stopping.restore_best_weights",
                           tr("restore_best_weights: put back the best epoch's weights on stop."));
    m_esVerbose = es.integer(tr("Verbose"), "earlyStoppingVerbose", "early_stopping.verbose", 0, 2,
                             tr("verbose: 1 prints \"Epoch N: early stopping\"."));
    layout->addWidget(m_es);

    m_csv = FormRows::checkableGroup(tr("CSV logger"), "csvLoggerGroup", "csv_logger.enabled",
                                            tr("CSVLogger: one row of epoch logs per epoch."), edited);
    FormRows csv(FormRows::groupLayout(m_csv), edited);
    m_csvFilename = csv.text(tr("File"), "csvLoggerFilename", "csv_logger.filename",
                             tr("filename, relative to the output folder."));
    m_csvSeparator = csv.text(tr("Separator"), "csvLoggerSeparator", "csv_logger.separator",
                              tr("separator between columns."));
    m_csvSeparator->setMaxLength(4);
    m_csvAppend = csv.check(tr("Append"), "csvLoggerAppend", "csv_logger.append",
                            tr("append: add to an existing file instead of overwriting it."));
    layout->addWidget(m_csv);

    m_backup = FormRows::checkableGroup(tr("Backup and restore"), "backupGroup", "backup.enabled",
                                               tr("BackupAndRestore: save the whole training state so that an "
                                                  "interrupted run resumes at the exact batch."),
                                               edited);
    FormRows backup(FormRows::groupLayout(m_backup), edited);
    m_backupDir = backup.text(tr("Folder"), "backupDir", "backup.backup_dir",
                              tr("backup_dir, relative to the output folder."));
    m_backupFreq = backup.editableChoice(tr("Save frequency"), "backupSaveFreq", "backup.save_freq",
                                         {QStringLiteral("epoch")},
                                         tr("save_freq: \"epoch\" or a positive number of batches."));
    m_backupDelete = backup.check(tr("Delete the backup when training ends"), "backupDeleteCheckpoint",
                                  "backup.delete_checkpoint",
                                  tr("delete_checkpoint: remove the backup after a completed run."));
    layout->addWidget(m_backup);

    m_errors = new ErrorLabel(this);
    m_errors->setObjectName(QStringLiteral("trainingErrorsLabel"));
    layout->addWidget(m_errors);
    layout->addStretch();
}

QWidget* TrainingForm::buildMetricsRow()
{
    auto* row = new QWidget(this);
    auto* h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    for (const auto& n : cklab::metricNames()) {
        auto* box = new QCheckBox(QString::fromStdString(n), row);
        box->setObjectName(QString::fromStdString("metric_" + n));
        box->setToolTip(tr("Log the metric \"%1\" (and val_%1 on validated epochs).").arg(QString::fromStdString(n)));
        connect(box, &QCheckBox::toggled, this, [this] { onEdited(QStringLiteral("training.metrics")); });
        m_metrics << box;
        h->addWidget(box);
    }
    h->addStretch();
    return row;
}

void TrainingForm::setConfig(const TrainingConfig& c)
{
    m_loading = true;
    m_seed = c.seed;
    m_epochs->setValue(c.epochs);
    m_loss->setCurrentText(qs(cklab::lossName(c.compile.loss)));
    for (auto* box : m_metrics)
        box->setChecked(std::find(c.compile.metrics.begin(), c.compile.metrics.end(), box->text().toStdString()) !=
                        c.compile.metrics.end());
    m_terminateOnNaN->setChecked(c.terminateOnNaN);
    const auto& o = c.compile.optimizer;
    m_optType->setCurrentIndex(std::max(0, static_cast<int>(optimizerNames().indexOf(QString::fromStdString(o.type)))));
    m_lr->setValue(o.learningRate);
    m_beta1->setValue(o.beta1);
    m_beta2->setValue(o.beta2);
    m_epsilon->setValue(o.epsilon);
    m_momentum->setValue(o.momentum);
    m_nesterov->setChecked(o.nesterov);
    m_rho->setValue(o.rho);
    m_weightDecay->setValue(o.weightDecay);
    const auto& es = c.earlyStopping;
    m_es->setChecked(es.enabled);
    setComboText(m_esMonitor, QString::fromStdString(es.monitor));
    m_esMode->setCurrentText(QString::fromStdString(es.mode));
    m_esMinDelta->setValue(es.minDelta);
    m_esPatience->setValue(es.patience);
    m_esStartFrom->setValue(es.startFromEpoch);
    m_esHasBaseline->setChecked(es.baseline.has_value());
    m_esBaseline->setEnabled(es.baseline.has_value());
    m_esBaseline->setValue(es.baseline.value_or(0.0));
    m_esRestore->setChecked(es.restoreBestWeights);
    m_esVerbose->setValue(es.verbose);
    m_csv->setChecked(c.csvLogger.enabled);
    m_csvFilename->setText(QString::fromStdString(c.csvLogger.filename));
    m_csvSeparator->setText(QString::fromStdString(c.csvLogger.separator));
    m_csvAppend->setChecked(c.csvLogger.append);
    m_backup->setChecked(c.backup.enabled);
    m_backupDir->setText(QString::fromStdString(c.backup.backupDir));
    setComboText(m_backupFreq, QString::fromStdString(c.backup.saveFreq));
    m_backupDelete->setChecked(c.backup.deleteCheckpoint);
    m_loading = false;
    updateOptimizerRows();
    updateMonitorKeys();
    refresh();
}

TrainingConfig TrainingForm::config() const
{
    TrainingConfig c;
    c.seed = m_seed;
    c.epochs = m_epochs->value();
    c.compile.loss = cklab::lossFromName(m_loss->currentText().toStdString()).value_or(c.compile.loss);
    c.compile.metrics.clear();
    for (auto* box : m_metrics)
        if (box->isChecked())
            c.compile.metrics.push_back(box->text().toStdString());
    c.terminateOnNaN = m_terminateOnNaN->isChecked();
    auto& o = c.compile.optimizer;
    o.type = m_optType->currentText().toStdString();
    o.learningRate = static_cast<float>(m_lr->value());
    o.beta1 = static_cast<float>(m_beta1->value());
    o.beta2 = static_cast<float>(m_beta2->value());
    o.epsilon = static_cast<float>(m_epsilon->value());
    o.momentum = static_cast<float>(m_momentum->value());
    o.nesterov = m_nesterov->isChecked();
    o.rho = static_cast<float>(m_rho->value());
    o.weightDecay = static_cast<float>(m_weightDecay->value());
    auto& es = c.earlyStopping;
    es.enabled = m_es->isChecked();
    es.monitor = m_esMonitor->currentText().toStdString();
    es.mode = m_esMode->currentText().toStdString();
    es.minDelta = m_esMinDelta->value();
    es.patience = m_esPatience->value();
    es.startFromEpoch = m_esStartFrom->value();
    if (m_esHasBaseline->isChecked())
        es.baseline = m_esBaseline->value();
    es.restoreBestWeights = m_esRestore->isChecked();
    es.verbose = m_esVerbose->value();
    c.csvLogger.enabled = m_csv->isChecked();
    c.csvLogger.filename = m_csvFilename->text().toStdString();
    c.csvLogger.separator = m_csvSeparator->text().toStdString();
    c.csvLogger.append = m_csvAppend->isChecked();
    c.backup.enabled = m_backup->isChecked();
    c.backup.backupDir = m_backupDir->text().toStdString();
    c.backup.saveFreq = m_backupFreq->currentText().toStdString();
    c.backup.deleteCheckpoint = m_backupDelete->isChecked();
    return c;
}

void TrainingForm::setOutputDir(const QString& dir)
{
    m_loading = true;
    m_outputDir->setText(dir);
    m_loading = false;
}

void TrainingForm::setResolvedOutputDir(const QString& absDir)
{
    m_resolvedDir = absDir;
    // Earlier runs' checkpoints in the same folder are not this run's: max_to_keep never counts
    // nor deletes them (docs/checkpoint-semantics.md). Say so before the run, not after.
    const QStringList earlier =
        QDir(absDir).entryList({QStringLiteral("*.keras"), QStringLiteral("*.h5")}, QDir::Files | QDir::NoDotAndDotDot);
    QString text = tr("Writes to %1").arg(QDir::toNativeSeparators(absDir));
    if (!earlier.isEmpty())
        text += QLatin1Char('\n') + tr("%n checkpoint file(s) of earlier runs are in this folder: a save of the same "
                                      "name replaces one; max_to_keep counts and deletes only this run's files.",
                                      nullptr, int(earlier.size()));
    m_outputResolved->setText(text);
}

QString TrainingForm::outputDir() const
{
    return m_outputDir->text();
}

void TrainingForm::setDataContext(const cklab::DataConfig& data)
{
    m_data = data;
    updateMonitorKeys();
    refresh();
}

void TrainingForm::updateMonitorKeys()
{
    cklab::Project p;
    p.training = config();
    p.data = m_data;
    QStringList keys;
    for (const auto& k : cklab::epochLogKeys(p))
        keys << QString::fromStdString(k);
    const bool wasLoading = m_loading;
    m_loading = true;
    const QString current = m_esMonitor->currentText();
    m_esMonitor->clear();
    m_esMonitor->addItems(keys);
    m_esMonitor->setEditText(current);
    m_loading = wasLoading;
}

QStringList TrainingForm::problems() const
{
    return m_errors->problems();
}

void TrainingForm::updateOptimizerRows()
{
    using cklab::OptimizerKind;
    const auto kind = cklab::optimizerKindFromName(m_optType->currentText().toStdString());
    const bool adamLike = kind == OptimizerKind::Adam || kind == OptimizerKind::AdamW;
    m_optForm->setRowVisible(m_beta1, adamLike);
    m_optForm->setRowVisible(m_beta2, adamLike);
    m_optForm->setRowVisible(m_epsilon, adamLike || kind == OptimizerKind::RmsProp);
    m_optForm->setRowVisible(m_momentum, kind == OptimizerKind::Sgd || kind == OptimizerKind::RmsProp);
    m_optForm->setRowVisible(m_nesterov, kind == OptimizerKind::Sgd);
    m_optForm->setRowVisible(m_rho, kind == OptimizerKind::RmsProp);
    m_optForm->setRowVisible(m_weightDecay, kind == OptimizerKind::AdamW);
}

void TrainingForm::applyOptimizerDefaults()
{
    const auto d = cklab::OptimizerConfig::defaultsFor(m_optType->currentText().toStdString());
    m_loading = true;
    m_lr->setValue(d.learningRate);
    m_beta1->setValue(d.beta1);
    m_beta2->setValue(d.beta2);
    m_epsilon->setValue(d.epsilon);
    m_momentum->setValue(d.momentum);
    m_nesterov->setChecked(d.nesterov);
    m_rho->setValue(d.rho);
    m_weightDecay->setValue(d.weightDecay);
    m_loading = false;
}

void TrainingForm::onEdited(const QString& field)
{
    if (m_loading)
        return;
    if (field == QLatin1String("training.metrics"))
        updateMonitorKeys();
    refresh();
    emit edited(field);
}

void TrainingForm::refresh()
{
    // The rules live in validateProject(); a project around this form's settings picks out ours.
    cklab::Project p;
    p.training = config();
    p.data = m_data;
    std::vector<std::string> problems;
    for (const auto& message : cklab::validateProject(p))
        if (message.rfind("training.", 0) == 0)
            problems.push_back(message);
    m_errors->setProblems(problems);
    const bool valid = problems.empty();
    if (valid != m_valid) {
        m_valid = valid;
        emit validityChanged(valid);
    }
}

} // namespace cklab::ui
