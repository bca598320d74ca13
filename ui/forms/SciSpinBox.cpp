#include "ui/forms/SciSpinBox.h"

#include <QLocale>
#include <cmath>

namespace cklab::ui {

SciSpinBox::SciSpinBox(QWidget* parent) : QDoubleSpinBox(parent)
{
    setDecimals(15); // so that QDoubleSpinBox does not round small values away
    setRange(-1e9, 1e9);
    setKeyboardTracking(true);
}

QString SciSpinBox::textFromValue(double value) const
{
    return QLocale::c().toString(value, 'g', 6);
}

double SciSpinBox::valueFromText(const QString& text) const
{
    return QLocale::c().toDouble(text.trimmed());
}

QValidator::State SciSpinBox::validate(QString& input, int& /*pos*/) const
{
    const QString t = input.trimmed();
    if (t.isEmpty() || t == QLatin1String("-") || t.endsWith(QLatin1Char('e')) || t.endsWith(QLatin1String("e-")) ||
        t.endsWith(QLatin1String("e+")))
        return QValidator::Intermediate;
    bool ok = false;
    const double v = QLocale::c().toDouble(t, &ok);
    if (!ok)
        return QValidator::Invalid;
    return (v >= minimum() && v <= maximum()) ? QValidator::Acceptable : QValidator::Intermediate;
}

void SciSpinBox::stepBy(int steps)
{
    const double v = value();
    if (v == 0.0) {
        setValue(steps > 0 ? 1e-4 : 0.0);
        return;
    }
    setValue(v * std::pow(10.0, 0.25 * steps));
}

} // namespace cklab::ui
