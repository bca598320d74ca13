#pragma once
/// Editor of the training settings: epochs, optimizer with the parameters of its type, loss,
/// metrics, terminate-on-NaN, early stopping, CSV logger, backup-and-restore and output folder.
#include <QWidget>

#include "core/project/Project.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace cklab::ui {

class ErrorLabel;
class SciSpinBox;

class TrainingForm : public QWidget {
    Q_OBJECT
public:
    explicit TrainingForm(QWidget* parent = nullptr);

    /// Everything of TrainingConfig except the seed (edited in the data form) is edited here.
    void setConfig(const cklab::TrainingConfig& config);
    cklab::TrainingConfig config() const;
    void setOutputDir(const QString& dir);
    QString outputDir() const;
    /// Shows where the run's files go (the output folder made absolute by the caller) and how
    /// many checkpoint files of earlier runs are already there.
    void setResolvedOutputDir(const QString& absDir);
    QString resolvedOutputDir() const { return m_resolvedDir; }

    /// The data settings of the run: whether val_* keys exist decides the monitors offered and
    /// the cross checks of early stopping.
    void setDataContext(const cklab::DataConfig& data);

    bool isValid() const { return m_valid; }
    QStringList problems() const;

signals:
    void edited(const QString& field);
    void validityChanged(bool valid);

private:
    void build();
    QWidget* buildMetricsRow();
    void updateOptimizerRows();
    void applyOptimizerDefaults();
    void onEdited(const QString& field);
    void refresh();
    void updateMonitorKeys();

    QSpinBox* m_epochs = nullptr;
    QFormLayout* m_optForm = nullptr;
    QComboBox* m_optType = nullptr;
    SciSpinBox* m_lr = nullptr;
    QDoubleSpinBox* m_beta1 = nullptr;
    QDoubleSpinBox* m_beta2 = nullptr;
    SciSpinBox* m_epsilon = nullptr;
    QDoubleSpinBox* m_momentum = nullptr;
    QCheckBox* m_nesterov = nullptr;
    QDoubleSpinBox* m_rho = nullptr;
    SciSpinBox* m_weightDecay = nullptr;
    QComboBox* m_loss = nullptr;
    QList<QCheckBox*> m_metrics;
    QCheckBox* m_terminateOnNaN = nullptr;
    QGroupBox* m_es = nullptr;
    QComboBox* m_esMonitor = nullptr;
    SciSpinBox* m_esMinDelta = nullptr;
    QSpinBox* m_esPatience = nullptr;
    QSpinBox* m_esVerbose = nullptr;
    QComboBox* m_esMode = nullptr;
    QCheckBox* m_esHasBaseline = nullptr;
    SciSpinBox* m_esBaseline = nullptr;
    QCheckBox* m_esRestore = nullptr;
    QSpinBox* m_esStartFrom = nullptr;
    QGroupBox* m_csv = nullptr;
    QLineEdit* m_csvFilename = nullptr;
    QLineEdit* m_csvSeparator = nullptr;
    QCheckBox* m_csvAppend = nullptr;
    QGroupBox* m_backup = nullptr;
    QLineEdit* m_backupDir = nullptr;
    QComboBox* m_backupFreq = nullptr;
    QCheckBox* m_backupDelete = nullptr;
    QLineEdit* m_outputDir = nullptr;
    QLabel* m_outputResolved = nullptr;
    QString m_resolvedDir;
    ErrorLabel* m_errors = nullptr;
    std::uint64_t m_seed = 42;
    cklab::DataConfig m_data;
    bool m_valid = true;
    bool m_loading = false;
};

} // namespace cklab::ui
