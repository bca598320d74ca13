#pragma once
/// Editor of the Sequential model: a table of layers (Dense, Dropout and the image layers), the
/// selected layer's further settings, the input size or image shape taken from the data, a
/// Keras-style summary (output shape and parameters per layer) and the core's validation
/// messages. The layers themselves (m_layers) are the form's state; the widgets edit them.
#include <QWidget>
#include <string>
#include <vector>

#include "core/nn/ModelSpec.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace cklab::ui {

class ErrorLabel;
class StartFromFileField;
class LayerDetailsForm;
class ModelSummaryView;

class ModelForm : public QWidget {
    Q_OBJECT
public:
    explicit ModelForm(QWidget* parent = nullptr);

    void setConfig(const cklab::ModelSpec& spec);
    cklab::ModelSpec config() const;

    /// Features per sample of the data (0 = unknown); used when the spec's inputDim is 0.
    void setDataInputDim(int features);
    /// The data's sample shape ([H, W, C] for images, empty for tables); a model with image
    /// layers and no model.input_shape of its own takes it (cklab::effectiveInputShape).
    void setDataSampleShape(const std::vector<int>& shape);
    int effectiveInputDim() const;
    /// config() with the input size/shape the run will use.
    cklab::ModelSpec effectiveSpec() const;
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
    void updateRowEnabled(int row);
    void onCellEdited(QWidget* cell, int column);
    void onTypeChanged(QWidget* cell, int kindIndex);
    void onDetailsEdited(const QString& field);
    int rowOf(QWidget* cell) const;
    void onRowEdited(const QString& field);
    void refresh();
    int currentRow() const;

    QTableWidget* m_table = nullptr;
    QLineEdit* m_name = nullptr;
    QLabel* m_inputLabel = nullptr;
    LayerDetailsForm* m_details = nullptr;
    QLabel* m_detailsHint = nullptr;
    ModelSummaryView* m_summary = nullptr;
    QPushButton* m_add = nullptr;
    QPushButton* m_remove = nullptr;
    QPushButton* m_up = nullptr;
    QPushButton* m_down = nullptr;
    ErrorLabel* m_errors = nullptr;
    StartFromFileField* m_fromFile = nullptr; // model.from_file (issue 15)
    std::vector<cklab::LayerSpec> m_layers;
    int m_specInputDim = 0;
    std::vector<int> m_specInputShape;
    int m_dataInputDim = 0;
    std::vector<int> m_dataSampleShape;
    bool m_valid = true;
    bool m_loading = false;
};

} // namespace cklab::ui
