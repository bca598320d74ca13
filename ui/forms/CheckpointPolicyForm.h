#pragma once
/// Editor of one ModelCheckpoint policy: every parameter of spec §1, a live preview of the file
/// name the template produces, and the one-click fix for a missing `.weights.h5` suffix.
#include <QWidget>
#include <string>
#include <vector>

#include "core/checkpoint/CheckpointConfig.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace cklab::ui {

class ErrorLabel;
class SciSpinBox;

class CheckpointPolicyForm : public QWidget {
    Q_OBJECT
public:
    explicit CheckpointPolicyForm(QWidget* parent = nullptr);

    void setConfig(const cklab::CheckpointConfig& config);
    cklab::CheckpointConfig config() const;

    /// The run's log keys (epoch end / batch end), offered as monitors and used by the cross checks.
    void setLogKeys(const QStringList& epochKeys, const QStringList& batchKeys);
    /// Where the policy sits in the project, for message paths ("checkpoints[1]").
    void setPath(const QString& path);

    /// The core's checks of one policy with the run's keys (validateCheckpoint), as shown here.
    static std::vector<std::string> validate(const cklab::CheckpointConfig& config, const QString& path,
                                             const QStringList& epochKeys, const QStringList& batchKeys);

    bool isValid() const { return m_valid; }
    QStringList problems() const;
    QString previewText() const;

public slots:
    /// The one-click fix: appends ".weights.h5" to the file path.
    void appendWeightsSuffix();

signals:
    void edited(const QString& field);
    void validityChanged(bool valid);
    void nameEdited(const QString& name);

private:
    void build();
    QWidget* buildPreviewRow();
    void onEdited(const QString& field);
    void refresh();

    QLineEdit* m_name = nullptr;
    QLineEdit* m_filepath = nullptr;
    QLabel* m_preview = nullptr;
    QPushButton* m_fix = nullptr;
    QComboBox* m_monitor = nullptr;
    QComboBox* m_mode = nullptr;
    QCheckBox* m_bestOnly = nullptr;
    QCheckBox* m_weightsOnly = nullptr;
    QComboBox* m_saveFreq = nullptr;
    QCheckBox* m_hasThreshold = nullptr;
    SciSpinBox* m_threshold = nullptr;
    QSpinBox* m_verbose = nullptr;
    QCheckBox* m_hasMaxToKeep = nullptr;
    QSpinBox* m_maxToKeep = nullptr;
    QCheckBox* m_saveLast = nullptr;
    QCheckBox* m_continueOnError = nullptr;
    QCheckBox* m_includeOptimizer = nullptr;
    ErrorLabel* m_errors = nullptr;
    QStringList m_epochKeys;
    QStringList m_batchKeys;
    QString m_path = QStringLiteral("checkpoints[0]");
    bool m_valid = true;
    bool m_loading = false;
};

} // namespace cklab::ui
