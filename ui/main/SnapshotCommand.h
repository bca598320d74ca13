#pragma once
/// Undo step of a form edit: the whole project before and after. Consecutive edits of the same
/// field within a second of each other (typing "128" into one spin box) merge into one step.
#include <QString>
#include <QUndoCommand>
#include <functional>

#include "core/project/Project.h"

namespace cklab::ui {

class SnapshotCommand : public QUndoCommand {
public:
    using Apply = std::function<void(const cklab::Project&)>;

    /// The edit is already applied when the command is pushed: the first redo() does nothing.
    SnapshotCommand(cklab::Project before, cklab::Project after, QString field, Apply apply);

    void undo() override;
    void redo() override;
    int id() const override { return 1; }
    bool mergeWith(const QUndoCommand* other) override;

    const QString& field() const { return m_field; }

private:
    cklab::Project m_before;
    cklab::Project m_after;
    QString m_field;
    Apply m_apply;
    qint64 m_lastEditMs = 0;
    bool m_firstRedo = true;
};

} // namespace cklab::ui
