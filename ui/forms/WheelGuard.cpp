#include "ui/forms/WheelGuard.h"

#include <QAbstractScrollArea>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QWheelEvent>

namespace cklab::ui {

bool WheelGuard::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() != QEvent::Wheel)
        return false;
    auto* widget = qobject_cast<QWidget*>(watched);
    if (!widget || widget->hasFocus())
        return false;
    if (!qobject_cast<QComboBox*>(widget) && !qobject_cast<QAbstractSpinBox*>(widget))
        return false;
    // What Qt does with an ignored wheel event: it goes up to the enclosing scroll area, which
    // scrolls. (Re-sent events do not propagate, so it is sent to that area's viewport.)
    for (QWidget* w = widget->parentWidget(); w; w = w->parentWidget())
        if (auto* area = qobject_cast<QAbstractScrollArea*>(w)) {
            QApplication::sendEvent(area->viewport(), event);
            break;
        }
    return true;
}

} // namespace cklab::ui

#include "moc_WheelGuard.cpp"
