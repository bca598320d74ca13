#include "ui/main/DialogProvider.h"

#include <QFileDialog>
#include <QMessageBox>

namespace cklab::ui {

namespace {
DialogProvider* g_provider = nullptr;
}

DialogProvider& DialogProvider::instance()
{
    static QtDialogProvider defaultProvider;
    return g_provider ? *g_provider : defaultProvider;
}

void DialogProvider::setInstance(DialogProvider* provider)
{
    g_provider = provider;
}

QString QtDialogProvider::openFileName(QWidget* parent, const QString& caption, const QString& dir,
                                       const QString& filter)
{
    return QFileDialog::getOpenFileName(parent, caption, dir, filter);
}

QString QtDialogProvider::saveFileName(QWidget* parent, const QString& caption, const QString& dir,
                                       const QString& filter)
{
    return QFileDialog::getSaveFileName(parent, caption, dir, filter);
}

DialogProvider::Answer QtDialogProvider::question(QWidget* parent, const QString& title,
                                                  const QString& text, bool withCancel)
{
    auto buttons = QMessageBox::Yes | QMessageBox::No;
    if (withCancel)
        buttons |= QMessageBox::Cancel;
    switch (QMessageBox::question(parent, title, text, buttons)) {
    case QMessageBox::Yes: return Answer::Yes;
    case QMessageBox::No: return Answer::No;
    default: return Answer::Cancel;
    }
}

void QtDialogProvider::warning(QWidget* parent, const QString& title, const QString& text)
{
    QMessageBox::warning(parent, title, text);
}

} // namespace cklab::ui
