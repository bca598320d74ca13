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

#include "core/optim/OptimizerKind.h"
#include "core/project/ProjectValidation.h"
#include "ui/forms/ErrorLabel.h"
#include "ui/forms/SciSpinBox.h"

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
    auto named = [](QWidget* w, const char* name, const QString& tip) {
        w->setObjectName(QLatin1String(name));
        w->setToolTip(tip);
    };
    auto field = [this](const QString& key) { return [this, key] { onEdited(key); }; };

    auto* top = new QFormLayout;
    m_epochs = new QSpinBox(this);
    m_epochs->setRange(1, 1000000);
    named(m_epochs, "trainingEpochs", tr("Number of passes over the training data."));
    top->addRow(tr("Epochs"), m_epochs);
    m_loss = new QComboBox(this);
    for (const auto& n : cklab::lossNames())
        m_loss->addItem(QString::fromStdString(n));
    named(m_loss, "trainingLoss", tr("Loss minimised by the optimizer (Keras name). The targets are encoded to match: "
                                     "one-hot, class index, 0/1 or values."));
    top->addRow(tr("Loss"), m_loss);
    auto* metricsRow = new QWidget(this);
    auto* mh = new QHBoxLayout(metricsRow);
    mh->setContentsMargins(0, 0, 0, 0);
    for (const auto& n : cklab::metricNames()) {
        auto* box = new QCheckBox(QString::fromStdString(n), metricsRow);
        named(box, ("metric_" + n).c_str(), tr("Log the metric \"%1\" (and val_%1 on validated epochs).").arg(QString::fromStdString(n)));
        connect(box, &QCheckBox::toggled, this, field(QStringLiteral("training.metrics")));
        m_metrics << box;
        mh->addWidget(box);
    }
    mh->addStretch();
    top->addRow(tr("Metrics"), metricsRow);
    m_terminateOnNaN = new QCheckBox(tr("Stop on NaN loss"), this);
    named(m_terminateOnNaN, "trainingTerminateOnNaN", tr("TerminateOnNaN: stop at the first batch whose loss is NaN or infinite."));
    top->addRow(QString(), m_terminateOnNaN);
    m_outputDir = new QLineEdit(this);
    named(m_outputDir, "outputDir", tr("Folder of the run's files; relative checkpoint paths resolve against it "
                                       "(itself relative to the project file's folder)."));
    top->addRow(tr("Output folder"), m_outputDir);
    m_outputResolved = new QLabel(this);
    m_outputResolved->setObjectName(QStringLiteral("outputDirResolved"));
    m_outputResolved->setWordWrap(true);
    m_outputResolved->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_outputResolved->setToolTip(tr("Where the run's files go: the output folder resolved against the project file's "
                                    "folder (untitled projects and examples: Documents/CheckpointLab)."));
    top->addRow(QString(), m_outputResolved);
    layout->addLayout(top);

    auto* opt = new QGroupBox(tr("Optimizer"), this);
    m_optForm = new QFormLayout(opt);
    m_optType = new QComboBox(opt);
    m_optType->addItems(optimizerNames());
    named(m_optType, "optimizerType", tr("Update rule. Changing it loads the Keras defaults of that optimizer."));
    m_optForm->addRow(tr("Type"), m_optType);
    m_lr = new SciSpinBox(opt);
    named(m_lr, "optimizerLearningRate", tr("learning_rate: step size (> 0)."));
    m_optForm->addRow(tr("Learning rate"), m_lr);
    auto unitSpin = [opt](double step) {
        auto* s = new QDoubleSpinBox(opt);
        s->setRange(-10.0, 10.0);
        s->setDecimals(4);
        s->setSingleStep(step);
        return s;
    };
    m_beta1 = unitSpin(0.01);
    named(m_beta1, "optimizerBeta1", tr("beta_1: decay rate of the first-moment estimate, in [0, 1)."));
    m_optForm->addRow(tr("β₁"), m_beta1);
    m_beta2 = unitSpin(0.001);
    named(m_beta2, "optimizerBeta2", tr("beta_2: decay rate of the second-moment estimate, in [0, 1)."));
    m_optForm->addRow(tr("β₂"), m_beta2);
    m_epsilon = new SciSpinBox(opt);
    named(m_epsilon, "optimizerEpsilon", tr("epsilon: small constant for numerical stability (> 0)."));
    m_optForm->addRow(tr("ε"), m_epsilon);
    m_momentum = unitSpin(0.05);
    named(m_momentum, "optimizerMomentum", tr("momentum: accelerates in the direction of past updates, in [0, 1)."));
    m_optForm->addRow(tr("Momentum"), m_momentum);
    m_nesterov = new QCheckBox(tr("Nesterov momentum"), opt);
    named(m_nesterov, "optimizerNesterov", tr("nesterov: use Nesterov momentum."));
    m_optForm->addRow(QString(), m_nesterov);
    m_rho = unitSpin(0.01);
    named(m_rho, "optimizerRho", tr("rho: discounting factor of the squared-gradient average, in [0, 1)."));
    m_optForm->addRow(tr("ρ"), m_rho);
    m_weightDecay = new SciSpinBox(opt);
    named(m_weightDecay, "optimizerWeightDecay", tr("weight_decay: decoupled weight decay (>= 0)."));
    m_optForm->addRow(tr("Weight decay"), m_weightDecay);
    layout->addWidget(opt);

    m_es = new QGroupBox(tr("Early stopping"), this);
    m_es->setCheckable(true);
    named(m_es, "earlyStoppingGroup", tr("EarlyStopping: stop when the monitored value has stopped improving."));
    auto* esForm = new QFormLayout(m_es);
    m_esMonitor = new QComboBox(m_es);
    m_esMonitor->setEditable(true);
    named(m_esMonitor, "earlyStoppingMonitor", tr("monitor: log key to watch (offered: the keys this run will log)."));
    esForm->addRow(tr("Monitor"), m_esMonitor);
    m_esMode = new QComboBox(m_es);
    m_esMode->addItems(kModes);
    named(m_esMode, "earlyStoppingMode", tr("mode: min, max, or auto (from the monitor's name)."));
    esForm->addRow(tr("Mode"), m_esMode);
    m_esMinDelta = new SciSpinBox(m_es);
    named(m_esMinDelta, "earlyStoppingMinDelta", tr("min_delta: smallest change that counts as an improvement."));
    esForm->addRow(tr("Min delta"), m_esMinDelta);
    m_esPatience = new QSpinBox(m_es);
    m_esPatience->setRange(0, 1000000);
    named(m_esPatience, "earlyStoppingPatience", tr("patience: epochs without improvement before stopping."));
    esForm->addRow(tr("Patience"), m_esPatience);
    m_esStartFrom = new QSpinBox(m_es);
    m_esStartFrom->setRange(0, 1000000);
    named(m_esStartFrom, "earlyStoppingStartFromEpoch", tr("start_from_epoch: epochs to wait before monitoring starts."));
    esForm->addRow(tr("Start from epoch"), m_esStartFrom);
    auto* baseRow = new QWidget(m_es);
    auto* bh = new QHBoxLayout(baseRow);
    bh->setContentsMargins(0, 0, 0, 0);
    m_esHasBaseline = new QCheckBox(baseRow);
    named(m_esHasBaseline, "earlyStoppingHasBaseline", tr("Use a baseline: stop if the monitor does not beat it."));
    m_esBaseline = new SciSpinBox(baseRow);
    named(m_esBaseline, "earlyStoppingBaseline", tr("baseline: value the monitor has to improve on."));
    bh->addWidget(m_esHasBaseline);
    bh->addWidget(m_esBaseline, 1);
    esForm->addRow(tr("Baseline"), baseRow);
    m_esRestore = new QCheckBox(tr("Restore best weights"), m_es);
    named(m_esRestore, "earlyStoppingRestoreBestWeights", tr("restore_best_weights: put back the best epoch's weights on stop."));
    esForm->addRow(QString(), m_esRestore);
    m_esVerbose = new QSpinBox(m_es);
    m_esVerbose->setRange(0, 2);
    named(m_esVerbose, "earlyStoppingVerbose", tr("verbose: 1 prints \"Epoch N: early stopping\"."));
    esForm->addRow(tr("Verbose"), m_esVerbose);
    layout->addWidget(m_es);

    m_csv = new QGroupBox(tr("CSV logger"), this);
    m_csv->setCheckable(true);
    named(m_csv, "csvLoggerGroup", tr("CSVLogger: one row of epoch logs per epoch."));
    auto* csvForm = new QFormLayout(m_csv);
    m_csvFilename = new QLineEdit(m_csv);
    named(m_csvFilename, "csvLoggerFilename", tr("filename, relative to the output folder."));
    csvForm->addRow(tr("File"), m_csvFilename);
    m_csvSeparator = new QLineEdit(m_csv);
    m_csvSeparator->setMaxLength(4);
    named(m_csvSeparator, "csvLoggerSeparator", tr("separator between columns."));
    csvForm->addRow(tr("Separator"), m_csvSeparator);
    m_csvAppend = new QCheckBox(tr("Append"), m_csv);
    named(m_csvAppend, "csvLoggerAppend", tr("append: add to an existing file instead of overwriting it."));
    csvForm->addRow(QString(), m_csvAppend);
    layout->addWidget(m_csv);

    m_backup = new QGroupBox(tr("Backup and restore"), this);
    m_backup->setCheckable(true);
    named(m_backup, "backupGroup", tr("BackupAndRestore: save the whole training state so that an interrupted run "
                                      "resumes at the exact batch."));
    auto* bForm = new QFormLayout(m_backup);
    m_backupDir = new QLineEdit(m_backup);
    named(m_backupDir, "backupDir", tr("backup_dir, relative to the output folder."));
    bForm->addRow(tr("Folder"), m_backupDir);
    m_backupFreq = new QComboBox(m_backup);
    m_backupFreq->setEditable(true);
    m_backupFreq->addItems({QStringLiteral("epoch")});
    named(m_backupFreq, "backupSaveFreq", tr("save_freq: \"epoch\" or a positive number of batches."));
    bForm->addRow(tr("Save frequency"), m_backupFreq);
    m_backupDelete = new QCheckBox(tr("Delete the backup when training ends"), m_backup);
    named(m_backupDelete, "backupDeleteCheckpoint", tr("delete_checkpoint: remove the backup after a completed run."));
    bForm->addRow(QString(), m_backupDelete);
    layout->addWidget(m_backup);

    m_errors = new ErrorLabel(this);
    m_errors->setObjectName(QStringLiteral("trainingErrorsLabel"));
    layout->addWidget(m_errors);
    layout->addStretch();

    connect(m_epochs, &QSpinBox::valueChanged, this, field(QStringLiteral("training.epochs")));
    connect(m_loss, &QComboBox::currentIndexChanged, this, field(QStringLiteral("training.loss")));
    connect(m_terminateOnNaN, &QCheckBox::toggled, this, field(QStringLiteral("training.terminate_on_nan")));
    connect(m_outputDir, &QLineEdit::textChanged, this, field(QStringLiteral("output_dir")));
    connect(m_optType, &QComboBox::currentIndexChanged, this, [this] {
        if (m_loading)
            return;
        applyOptimizerDefaults();
        updateOptimizerRows();
        onEdited(QStringLiteral("optimizer.type"));
    });
    connect(m_lr, &QDoubleSpinBox::valueChanged, this, field(QStringLiteral("optimizer.learning_rate")));
    connect(m_beta1, &QDoubleSpinBox::valueChanged, this, field(QStringLiteral("optimizer.beta_1")));
    connect(m_beta2, &QDoubleSpinBox::valueChanged, this, field(QStringLiteral("optimizer.beta_2")));
    connect(m_epsilon, &QDoubleSpinBox::valueChanged, this, field(QStringLiteral("optimizer.epsilon")));
    connect(m_momentum, &QDoubleSpinBox::valueChanged, this, field(QStringLiteral("optimizer.momentum")));
    connect(m_nesterov, &QCheckBox::toggled, this, field(QStringLiteral("optimizer.nesterov")));
    connect(m_rho, &QDoubleSpinBox::valueChanged, this, field(QStringLiteral("optimizer.rho")));
    connect(m_weightDecay, &QDoubleSpinBox::valueChanged, this, field(QStringLiteral("optimizer.weight_decay")));
    connect(m_es, &QGroupBox::toggled, this, field(QStringLiteral("early_stopping.enabled")));
    connect(m_esMonitor, &QComboBox::editTextChanged, this, field(QStringLiteral("early_stopping.monitor")));
    connect(m_esMode, &QComboBox::currentIndexChanged, this, field(QStringLiteral("early_stopping.mode")));
    connect(m_esMinDelta, &QDoubleSpinBox::valueChanged, this, field(QStringLiteral("early_stopping.min_delta")));
    connect(m_esPatience, &QSpinBox::valueChanged, this, field(QStringLiteral("early_stopping.patience")));
    connect(m_esStartFrom, &QSpinBox::valueChanged, this, field(QStringLiteral("early_stopping.start_from_epoch")));
    connect(m_esHasBaseline, &QCheckBox::toggled, this, [this](bool on) {
        m_esBaseline->setEnabled(on);
        onEdited(QStringLiteral("early_stopping.baseline"));
    });
    connect(m_esBaseline, &QDoubleSpinBox::valueChanged, this, field(QStringLiteral("early_stopping.baseline")));
    connect(m_esRestore, &QCheckBox::toggled, this, field(QStringLiteral("early_stopping.restore_best_weights")));
    connect(m_esVerbose, &QSpinBox::valueChanged, this, field(QStringLiteral("early_stopping.verbose")));
    connect(m_csv, &QGroupBox::toggled, this, field(QStringLiteral("csv_logger.enabled")));
    connect(m_csvFilename, &QLineEdit::textChanged, this, field(QStringLiteral("csv_logger.filename")));
    connect(m_csvSeparator, &QLineEdit::textChanged, this, field(QStringLiteral("csv_logger.separator")));
    connect(m_csvAppend, &QCheckBox::toggled, this, field(QStringLiteral("csv_logger.append")));
    connect(m_backup, &QGroupBox::toggled, this, field(QStringLiteral("backup.enabled")));
    connect(m_backupDir, &QLineEdit::textChanged, this, field(QStringLiteral("backup.backup_dir")));
    connect(m_backupFreq, &QComboBox::editTextChanged, this, field(QStringLiteral("backup.save_freq")));
    connect(m_backupDelete, &QCheckBox::toggled, this, field(QStringLiteral("backup.delete_checkpoint")));
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
