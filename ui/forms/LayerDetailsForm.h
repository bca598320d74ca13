#pragma once
/// The settings of the selected layer that do not fit a table column: its name, and per kind
/// kernel size, strides, padding, pool size, target shape, BatchNormalization's momentum,
/// epsilon, center and scale. Only the rows of the layer's kind are shown.
#include <QWidget>
#include <string>
#include <vector>

#include "core/nn/ModelSpec.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLineEdit;
class QSpinBox;

namespace cklab::ui {

class SciSpinBox;

class LayerDetailsForm : public QWidget {
    Q_OBJECT
public:
    explicit LayerDetailsForm(QWidget* parent = nullptr);

    /// Shows `layer` (model.layers[row]); row < 0 shows nothing to edit.
    void setLayer(int row, const LayerSpec& layer);
    int row() const { return m_row; }
    /// `layer` with this form's fields written into it (those of its kind).
    LayerSpec applyTo(LayerSpec layer) const;
    /// Marks the fields that the core's messages name for this row ("model.layers[2].kernel_size: ...").
    void markProblems(const std::vector<std::string>& problems);
    /// Whether the shown kind has settings beyond its name.
    bool hasKindSettings() const;

    /// "7, 7, 32" -> {7, 7, 32}; false when a part is not an integer.
    static bool parseShape(const QString& text, std::vector<int>& shape);
    static QString shapeText(const std::vector<int>& shape);

signals:
    /// A user edit of one field, as its project key ("layers[2].kernel_size").
    void edited(const QString& field);

private:
    void showRowsOf(LayerSpec::Kind kind);
    QWidget* pair(const char* firstName, const char* secondName, const char* key, int min, QSpinBox*& first,
                  QSpinBox*& second, const QString& tip);

    QFormLayout* m_form = nullptr;
    QLineEdit* m_name = nullptr;
    QSpinBox* m_kernelH = nullptr;
    QSpinBox* m_kernelW = nullptr;
    QWidget* m_kernelRow = nullptr;
    QSpinBox* m_poolH = nullptr;
    QSpinBox* m_poolW = nullptr;
    QWidget* m_poolRow = nullptr;
    QSpinBox* m_strideH = nullptr;
    QSpinBox* m_strideW = nullptr;
    QWidget* m_strideRow = nullptr;
    QComboBox* m_padding = nullptr;
    QLineEdit* m_targetShape = nullptr;
    QDoubleSpinBox* m_momentum = nullptr;
    SciSpinBox* m_epsilon = nullptr;
    QCheckBox* m_center = nullptr;
    QCheckBox* m_scale = nullptr;
    int m_row = -1;
    LayerSpec::Kind m_kind = LayerSpec::Kind::Dense;
    bool m_loading = false;
};

} // namespace cklab::ui
