#include "ui/plots/Palette.h"

#include <QRegularExpression>
#include <cstdint>

namespace cklab::ui::palette {

namespace {
int wrap(int index, int size) { return ((index % size) + size) % size; }

// Tableau-like colours, saturated enough to read as thin lines and small marks on white.
const QColor kPolicy[kPolicyColors] = {QColor(214, 39, 40),  QColor(44, 160, 44),  QColor(148, 103, 189),
                                       QColor(23, 190, 207), QColor(255, 127, 14), QColor(140, 86, 75),
                                       QColor(227, 119, 194), QColor(127, 127, 127)};
// Runs avoid the live curves' hues (blue training, orange validation) and are dark enough to
// read as thin lines, so an overlay never looks like the live run.
const QColor kRun[kRunColors] = {QColor(0, 128, 96),  QColor(150, 40, 150), QColor(160, 120, 0),
                                 QColor(180, 20, 60), QColor(70, 70, 70),   QColor(0, 150, 170),
                                 QColor(120, 75, 30), QColor(90, 120, 0)};
const QColor kTrain[4] = {QColor(31, 119, 180), QColor(44, 160, 44), QColor(148, 103, 189), QColor(140, 86, 75)};
const QColor kVal[4] = {QColor(255, 127, 14), QColor(214, 39, 40), QColor(227, 119, 194), QColor(188, 189, 34)};
const QColor kMonitor[4] = {QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44), QColor(148, 103, 189)};
} // namespace

QColor policyColor(int index) { return kPolicy[wrap(index, kPolicyColors)]; }

QColor runColor(const QString& runId)
{
    static const QRegularExpression numbered(QStringLiteral("^run-(\\d+)$"));
    const auto m = numbered.match(runId);
    if (m.hasMatch())
        return kRun[wrap(m.captured(1).toInt() - 1, kRunColors)];
    std::uint32_t h = 2166136261u; // FNV-1a over UTF-8: the same in every process
    for (const char c : runId.toUtf8()) {
        h ^= std::uint8_t(c);
        h *= 16777619u;
    }
    return kRun[h % kRunColors];
}

QColor trainingCurveColor(int index) { return kTrain[wrap(index, 4)]; }
QColor validationCurveColor(int index) { return kVal[wrap(index, 4)]; }
QColor monitorCurveColor(int index) { return kMonitor[wrap(index, 4)]; }

} // namespace cklab::ui::palette
