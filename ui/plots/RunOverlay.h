#pragma once
/// A finished run drawn over the live charts: its epoch-end curves in the run's own colour
/// (palette::runColor of its id), training keys solid, validation keys ("val_*") dashed.
#include <QColor>
#include <QString>
#include <utility>
#include <vector>

#include "core/model/Logs.h"

namespace cklab::ui {

struct OverlayRun {
    QString id;                                  ///< stable id, e.g. the run folder's name "run-003"
    QString label;                               ///< legend text
    QColor color;
    std::vector<std::pair<int, Logs>> epochs;    ///< (0-based epoch, epoch-end logs)
};

} // namespace cklab::ui
