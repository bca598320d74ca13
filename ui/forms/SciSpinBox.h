#pragma once
/// A double spin box that shows and accepts compact/scientific notation ("0.001", "1e-07"),
/// for learning rates and epsilons whose useful range spans many decades.
#include <QDoubleSpinBox>

namespace cklab::ui {

class SciSpinBox : public QDoubleSpinBox {
    Q_OBJECT
public:
    explicit SciSpinBox(QWidget* parent = nullptr);

    QString textFromValue(double value) const override;
    double valueFromText(const QString& text) const override;
    QValidator::State validate(QString& input, int& pos) const override;
    /// Steps multiply/divide by 10^(1/4) instead of adding a constant.
    void stepBy(int steps) override;
};

} // namespace cklab::ui
