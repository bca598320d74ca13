#pragma once
/// Editor of the Sequential model: a table of Dense/Dropout layers, the input size taken from
/// the data, the live parameter count and the core's validation messages.
#include <QWidget>
#include <string>
#include <vector>

#include "core/nn/ModelSpec.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class ErrorLabel;
class StartFromFileField;

class ModelForm : public QWidget {
    Q_OBJECT
public:
    explicit ModelForm(QWidget* parent = nullptr);

    void setConfig(const cklab::ModelSpec& spec);
    cklab::ModelSpec config() const;

    /// Features per sample of the data (0 = unknown); used when the spec's inputDim is 0.
    void setDataInputDim(int features);
    int effectiveInputDim() const;
    long long parameterCount() const;
    bool isValid() const { return m_valid; }
    QStringList problems() const;

public slots:
    void addLayer();
    void removeLayer();
    void moveLayerUp();
    void moveLayerDown();

signals:
    /// A committed user edit; `field` names what changed (consecutive edits of one field merge in undo).
    void edited(const QString& field);
    void validityChanged(bool valid);

private:
    void markRows(const std::vector<std::string>& problems);
    void setRowWidgets(int row, const cklab::LayerSpec& layer);
    cklab::LayerSpec layerAt(int row) const;
    void onRowEdited(const QString& field);
    void refresh();
    int currentRow() const;

    QTableWidget* m_table = nullptr;
    QLineEdit* m_name = nullptr;
    QLabel* m_inputLabel = nullptr;
    QLabel* m_paramLabel = nullptr;
    QPushButton* m_add = nullptr;
    QPushButton* m_remove = nullptr;
    QPushButton* m_up = nullptr;
    QPushButton* m_down = nullptr;
    ErrorLabel* m_errors = nullptr;
    StartFromFileField* m_fromFile = nullptr; // model.from_file (issue 15)
    int m_specInputDim = 0;
    int m_dataInputDim = 0;
    bool m_valid = true;
    bool m_loading = false;
};
