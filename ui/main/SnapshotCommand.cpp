#include "ui/main/SnapshotCommand.h"

#include <QDateTime>
#include <QObject>

namespace cklab::ui {

SnapshotCommand::SnapshotCommand(cklab::Project before, cklab::Project after, QString field, Apply apply)
    : m_before(std::move(before)), m_after(std::move(after)), m_field(std::move(field)), m_apply(std::move(apply))
{
    setText(QObject::tr("edit %1").arg(m_field));
    m_lastEditMs = QDateTime::currentMSecsSinceEpoch();
}

void SnapshotCommand::undo()
{
    m_apply(m_before);
}

void SnapshotCommand::redo()
{
    if (m_firstRedo) {
        m_firstRedo = false;
        return;
    }
    m_apply(m_after);
}

bool SnapshotCommand::mergeWith(const QUndoCommand* other)
{
    const auto* o = static_cast<const SnapshotCommand*>(other);
    if (o->m_field != m_field || o->m_lastEditMs - m_lastEditMs > 1000)
        return false;
    m_after = o->m_after;
    m_lastEditMs = o->m_lastEditMs;
    return true;
}

} // namespace cklab::ui
