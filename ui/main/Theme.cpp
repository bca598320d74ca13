#include "ui/main/Theme.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QMenu>
#include <QPalette>
#include <QSettings>
#include <QStyle>

namespace cklab::ui {

namespace {

constexpr const char* kKey = "view/theme";

QPalette darkPalette()
{
    QPalette p;
    const QColor window(45, 45, 48), base(30, 30, 32), text(225, 225, 225), disabled(127, 127, 127);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(255, 90, 90));
    p.setColor(QPalette::Link, QColor(90, 160, 255));
    p.setColor(QPalette::Highlight, QColor(42, 110, 200));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, disabled);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

} // namespace

void applyTheme(Theme theme)
{
    switch (theme) {
    case Theme::System: QApplication::setPalette(QApplication::style()->standardPalette()); break;
    case Theme::Light: QApplication::setPalette(QApplication::style()->standardPalette()); break;
    case Theme::Dark: QApplication::setPalette(darkPalette()); break;
    }
}

Theme savedTheme()
{
    const QString name = QSettings().value(QLatin1String(kKey)).toString();
    for (Theme t : {Theme::Light, Theme::Dark})
        if (name == themeName(t))
            return t;
    return Theme::System;
}

void saveTheme(Theme theme) { QSettings().setValue(QLatin1String(kKey), themeName(theme)); }

QString themeName(Theme theme)
{
    switch (theme) {
    case Theme::Light: return QStringLiteral("Light");
    case Theme::Dark: return QStringLiteral("Dark");
    case Theme::System: break;
    }
    return QStringLiteral("System");
}

void addThemeMenu(QMenu* view)
{
    QMenu* menu = view->addMenu(QApplication::translate("MainWindow", "&Theme"));
    auto* group = new QActionGroup(menu);
    const Theme current = savedTheme();
    for (Theme t : {Theme::System, Theme::Light, Theme::Dark}) {
        const QString label = t == Theme::System ? QApplication::translate("MainWindow", "Follow the &desktop")
                              : t == Theme::Light ? QApplication::translate("MainWindow", "&Light")
                                                  : QApplication::translate("MainWindow", "&Dark");
        QAction* a = menu->addAction(label);
        a->setObjectName(QStringLiteral("actionTheme") + themeName(t));
        a->setCheckable(true);
        a->setChecked(t == current);
        group->addAction(a);
        QObject::connect(a, &QAction::triggered, menu, [t] {
            applyTheme(t);
            saveTheme(t);
        });
    }
}

} // namespace cklab::ui
