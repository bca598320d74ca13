#pragma once
/// Finding widgets by objectName and typing into them as a user does; shared by the UI tests.
#include <QObject>
#include <QString>
#include <QTest>
#include <QWidget>

namespace cklab::test {

/// The child called `name`; aborts the test run if there is none (a renamed widget must fail loudly).
template <class T>
T* child(QObject* parent, const QString& name)
{
    auto* w = parent->findChild<T*>(name);
    if (w == nullptr)
        qFatal("no child %s", qPrintable(name));
    return w;
}

/// Replaces the text of a line edit / spin box the way a user does: select all, type.
inline void typeInto(QWidget* w, const QString& text)
{
    w->setFocus();
    QTest::keyClick(w, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(w, text);
}

} // namespace cklab::test
