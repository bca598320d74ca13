#pragma once
/// Read-only console pane with the Keras-style lines of a run (checkpoint messages, early
/// stopping, warnings). Bounded: keeps the last kMaxLines lines. Object name "console".
#include <QPlainTextEdit>

namespace cklab::ui {

class RunHistory;

class EventLogConsole : public QPlainTextEdit {
    Q_OBJECT
public:
    static constexpr int kMaxLines = 10000;
    explicit EventLogConsole(QWidget* parent = nullptr);

    /// Shows the messages of `history` and follows it (cleared when the history is).
    void setHistory(RunHistory* history);

public slots:
    void appendLine(const QString& line);
};

} // namespace cklab::ui
