#pragma once
/// Scrolling a form with the mouse wheel never changes a combo box or spin box the pointer
/// passes over: without keyboard focus they hand the wheel to their parent (the form scrolls).
/// Installed once on the application (MainWindow does), so rows added later are covered too.
#include <QObject>

namespace cklab::ui {

class WheelGuard : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
};

} // namespace cklab::ui
