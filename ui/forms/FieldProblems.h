#pragma once
/// Validation messages as the forms show them. The core names fields by JSON path with 0-based
/// indices ("model.layers[1].units: must be ..."); the forms count rows from 1, as their tables
/// show them: "Layer 2, units: must be ... (model.layers[1].units)". And the field itself is
/// marked (red frame, the message as its tooltip).
#include <QString>

class QWidget;

namespace cklab::ui {

/// `problem` with indexed paths said the way the tables number rows; other messages unchanged.
QString readableProblem(const QString& problem);
/// Marks `field` as invalid with `problem` as its tooltip; an empty problem clears the mark.
void markField(QWidget* field, const QString& problem);
/// Whether markField() marked `field`.
bool isFieldMarked(const QWidget* field);

} // namespace cklab::ui
