#include "ui/session/RunEnd.h"

#include <QCoreApplication>
#include <array>

namespace cklab::ui {

QString runEndText(StopReason reason)
{
    auto tr = [](const char* text) { return QCoreApplication::translate("RunEnd", text); };
    switch (reason) {
    case StopReason::Completed: return tr("Completed");
    case StopReason::Requested: return tr("Stopped by you");
    case StopReason::RequestedAtEpochEnd: return tr("Stopped by you at epoch end");
    case StopReason::EarlyStopping: return tr("Stopped early (EarlyStopping)");
    case StopReason::Callback: return tr("Stopped by a callback");
    case StopReason::NonFiniteLoss: return tr("Stopped: loss became NaN/Inf (TerminateOnNaN)");
    case StopReason::Error: return tr("Failed with an error");
    }
    return tr("Failed with an error");
}

QString runEndText(const std::string& stopReasonName)
{
    constexpr std::array reasons{StopReason::Completed,     StopReason::Requested, StopReason::RequestedAtEpochEnd,
                                 StopReason::EarlyStopping, StopReason::Callback,  StopReason::NonFiniteLoss,
                                 StopReason::Error};
    for (StopReason r : reasons)
        if (cklab::stopReasonName(r) == stopReasonName)
            return runEndText(r);
    return stopReasonName.empty() ? QString() : QString::fromStdString(stopReasonName);
}

} // namespace cklab::ui
