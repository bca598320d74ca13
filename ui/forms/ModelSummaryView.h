#pragma once
/// The model as Keras' model.summary() prints it: one row per layer with its name and class,
/// its output shape with the batch axis as None, and its parameter count; then the totals
/// (all, trainable, non-trainable).
#include <QWidget>

#include "core/nn/ModelSpec.h"

class QLabel;
class QTableWidget;

namespace cklab::ui {

class ModelSummaryView : public QWidget {
    Q_OBJECT
public:
    explicit ModelSummaryView(QWidget* parent = nullptr);

    /// `spec` with its input size or shape set; layers whose shape cannot be inferred show "?".
    void setSpec(const ModelSpec& spec);

    int rowCount() const;
    QString text(int row, int column) const;
    QString totals() const;

    /// "(None, 26, 26, 32)", Keras' notation.
    static QString kerasShape(const std::vector<int>& shape);

private:
    QTableWidget* m_table = nullptr;
    QLabel* m_totals = nullptr;
};

} // namespace cklab::ui
