#include "ui/main/EventLogConsole.h"

#include <QFontDatabase>

#include "ui/session/RunHistory.h"

namespace cklab::ui {

EventLogConsole::EventLogConsole(QWidget* parent)
    : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("console"));
    setReadOnly(true);
    setMaximumBlockCount(kMaxLines);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setToolTip(tr("Messages of the checkpoint policies and callbacks, as Keras prints them"));
}

void EventLogConsole::setHistory(RunHistory* history)
{
    clear();
    if (!history)
        return;
    for (const QString& line : history->messages())
        appendLine(line);
    connect(history, &RunHistory::messageAppended, this, &EventLogConsole::appendLine);
    connect(history, &RunHistory::cleared, this, &QPlainTextEdit::clear);
}

void EventLogConsole::appendLine(const QString& line)
{
    appendPlainText(line);
}

} // namespace cklab::ui

#include "moc_EventLogConsole.cpp"
