#pragma once
/// The comparison timeline: one lane per policy over the run's epochs (and steps), a filled mark
/// at every save, a hollow mark at every skip, a cross at every deletion (a red triangle for an
/// error), the monitored curves underneath, and each monitor's true best epoch drawn as a dashed
/// line across all lanes. Painted with QPainter (no Qt Charts here). GUI thread only.
#include <QColor>
#include <QString>
#include <QList>
#include <QWidget>
#include <vector>

#include "core/compare/Comparison.h"

namespace cklab::ui {

struct TimelineMark {
    int lane = 0;                 ///< policy index
    QString policy;
    CheckpointAction action = CheckpointAction::Save;
    int epoch = 0;
    int batch = -1;               ///< -1 at epoch level
    double x = 0.0;               ///< in epochs: batch b of epoch e at e + (b+1)/steps, epoch end at e + 1
    QString path;
    QColor color;
};

struct TimelineBestLine {
    QString monitor;
    int epoch = 0;
    double x = 0.0;
    double value = 0.0;
};

class TimelineWidget : public QWidget {
    Q_OBJECT
public:
    explicit TimelineWidget(QWidget* parent = nullptr);

    void setComparison(const Comparison& comparison, const std::vector<std::pair<int, Logs>>& epochLogs);
    /// Every mark drawn, lane by lane in event order (for tests and tooltips).
    const std::vector<TimelineMark>& marks() const { return m_marks; }
    const std::vector<TimelineBestLine>& bestLines() const { return m_bestLines; }
    /// Widget coordinates of a mark's centre.
    QPointF markPosition(const TimelineMark& mark) const;
    /// Widget x of an epoch position.
    double xToPixel(double x) const;
    /// The epochs labelled on the axis: round steps, as many as fit without overlapping.
    QList<int> tickEpochs() const;
    /// Where the label of best line `i` is drawn: inside the plot, clear of the names at its left.
    QRectF bestLabelRect(std::size_t i) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    QRectF plotRect() const;
    QString bestLabelText(std::size_t i, double width) const;
    double laneCenter(int lane) const;
    QRectF curveRect() const;

    std::vector<QString> m_lanes;
    std::vector<QColor> m_laneColors;
    std::vector<TimelineMark> m_marks;
    std::vector<TimelineBestLine> m_bestLines;
    struct Curve {
        QString monitor;
        std::vector<QPointF> points; // (epoch x, value)
    };
    std::vector<Curve> m_curves;
    double m_maxX = 1.0;
};

} // namespace cklab::ui
