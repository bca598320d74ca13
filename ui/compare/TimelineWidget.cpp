#include "ui/compare/TimelineWidget.h"

#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "ui/plots/AxisTicks.h"
#include "ui/plots/Palette.h"

namespace cklab::ui {

namespace {
constexpr double kLabelWidth = 150.0;
constexpr double kRightMargin = 16.0;
constexpr double kTopMargin = 8.0;
constexpr double kLaneHeight = 28.0;
constexpr double kCurveHeight = 90.0;
constexpr double kAxisHeight = 22.0;
constexpr double kMarkRadius = 5.0;
} // namespace

TimelineWidget::TimelineWidget(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void TimelineWidget::setComparison(const Comparison& comparison, const std::vector<std::pair<int, Logs>>& epochLogs)
{
    m_lanes.clear();
    m_laneColors.clear();
    m_marks.clear();
    m_bestLines.clear();
    m_curves.clear();
    m_maxX = std::max(1, comparison.epochs);
    const int steps = comparison.stepsPerEpoch;
    for (std::size_t lane = 0; lane < comparison.policies.size(); ++lane) {
        const auto& pc = comparison.policies[lane];
        const QString name = QString::fromStdString(pc.config.name);
        const QColor color = palette::policyColor(int(lane));
        m_lanes.push_back(name);
        m_laneColors.push_back(color);
        for (const auto& e : pc.events) {
            TimelineMark mark;
            mark.lane = int(lane);
            mark.policy = name;
            mark.action = e.action;
            mark.epoch = e.epoch;
            mark.batch = e.batch ? *e.batch : -1;
            // Same x as the charts (ui/session/RunTypes.h batchX/epochX).
            mark.x = e.batch && steps > 0 ? e.epoch + double(*e.batch + 1) / steps : e.epoch + 1.0;
            mark.path = QString::fromStdString(e.path);
            mark.color = color;
            m_maxX = std::max(m_maxX, mark.x);
            m_marks.push_back(mark);
        }
    }
    for (std::size_t i = 0; i < comparison.bests.size(); ++i) {
        const auto& best = comparison.bests[i];
        Curve curve{QString::fromStdString(best.monitor), {}};
        for (const auto& [epoch, logs] : epochLogs)
            if (const auto it = logs.find(best.monitor); it != logs.end() && std::isfinite(it->second))
                curve.points.emplace_back(epoch + 1.0, it->second);
        m_curves.push_back(std::move(curve));
        if (best.epoch)
            m_bestLines.push_back({QString::fromStdString(best.monitor), *best.epoch, *best.epoch + 1.0, *best.value});
    }
    updateGeometry();
    update();
}

QSize TimelineWidget::sizeHint() const
{
    return {700, int(kTopMargin + kLaneHeight * std::max<std::size_t>(1, m_lanes.size()) + kCurveHeight + kAxisHeight + 8)};
}

QSize TimelineWidget::minimumSizeHint() const { return {300, sizeHint().height()}; }

QRectF TimelineWidget::plotRect() const
{
    return QRectF(kLabelWidth, kTopMargin, std::max(10.0, width() - kLabelWidth - kRightMargin),
                  kLaneHeight * double(std::max<std::size_t>(1, m_lanes.size())));
}

QRectF TimelineWidget::curveRect() const
{
    const QRectF lanes = plotRect();
    return QRectF(lanes.left(), lanes.bottom() + 6, lanes.width(), kCurveHeight - 12);
}

double TimelineWidget::xToPixel(double x) const
{
    const QRectF r = plotRect();
    return r.left() + r.width() * x / m_maxX;
}

double TimelineWidget::laneCenter(int lane) const { return plotRect().top() + kLaneHeight * (lane + 0.5); }

QPointF TimelineWidget::markPosition(const TimelineMark& mark) const
{
    // A deletion happens at the save that triggered it: drawn just below so both stay visible.
    const double dy = mark.action == CheckpointAction::Delete ? kMarkRadius + 3 : 0.0;
    return {xToPixel(mark.x), laneCenter(mark.lane) + dy};
}

QString TimelineWidget::bestLabelText(std::size_t i, double width) const
{
    const auto& b = m_bestLines[i];
    return fontMetrics().elidedText(tr("best %1 (epoch %2)").arg(b.monitor).arg(b.epoch + 1), Qt::ElideRight, int(width));
}

QRectF TimelineWidget::bestLabelRect(std::size_t i) const
{
    // Right of the line, or left of it when that would run past the plot (a late best epoch);
    // never out of the plot, where the lane and curve names are.
    const QRectF curves = curveRect();
    const double x = xToPixel(m_bestLines[i].x);
    const double full = fontMetrics().horizontalAdvance(bestLabelText(i, 1e6)) + 2.0;
    const double width = std::min(full, curves.width());
    double left = x + 3 + width <= curves.right() ? x + 3 : x - 3 - width;
    left = std::clamp(left, curves.left(), curves.right() - width);
    return {left, curves.top() + 2 + 14.0 * double(i), width, 14.0};
}

QList<int> TimelineWidget::tickEpochs() const
{
    // As many round steps (1, 2, 5, 10, ...) as fit without their labels touching.
    const QRectF lanes = plotRect();
    const double label = fontMetrics().horizontalAdvance(QString::number(int(std::ceil(m_maxX)))) + 12.0;
    const int fit = std::max(1, int(lanes.width() / label));
    const int step = std::max(1, int(std::ceil(ticks::niceStep(std::max(m_maxX, 1.0), std::min(fit, 12)) - 1e-9)));
    QList<int> out;
    for (int e = 0; e <= int(std::ceil(m_maxX)); e += step)
        if (xToPixel(e) <= lanes.right() + 0.5)
            out << e;
    return out;
}

void TimelineWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().base());
    const QRectF lanes = plotRect();
    const QRectF curves = curveRect();
    const QColor text = palette().color(QPalette::Text);
    const QColor grid = palette().color(QPalette::Mid);

    // Lanes with their policy names.
    for (std::size_t i = 0; i < m_lanes.size(); ++i) {
        const QRectF lane(lanes.left(), lanes.top() + kLaneHeight * double(i), lanes.width(), kLaneHeight);
        if (i % 2 == 1)
            p.fillRect(lane, palette().alternateBase());
        p.setPen(m_laneColors[i]);
        p.drawText(QRectF(4, lane.top(), kLabelWidth - 8, kLaneHeight), Qt::AlignVCenter | Qt::AlignRight,
                   fontMetrics().elidedText(m_lanes[i], Qt::ElideRight, int(kLabelWidth - 8)));
    }
    // Epoch axis.
    p.setPen(grid);
    for (const int e : tickEpochs()) {
        const double x = xToPixel(e);
        p.setPen(QPen(grid, 0.5, Qt::DotLine));
        p.drawLine(QPointF(x, lanes.top()), QPointF(x, curves.bottom()));
        p.setPen(text);
        p.drawText(QRectF(x - 20, curves.bottom() + 4, 40, kAxisHeight - 4), Qt::AlignHCenter | Qt::AlignTop,
                   QString::number(e));
    }
    // Clear of the first tick label ("0"), which is centred on the plot's left edge.
    p.drawText(QRectF(4, curves.bottom() + 4, kLabelWidth - 24, kAxisHeight - 4), Qt::AlignRight | Qt::AlignTop,
               tr("epoch"));

    // Monitored curves, each scaled to its own range.
    for (std::size_t i = 0; i < m_curves.size(); ++i) {
        const auto& c = m_curves[i];
        const QColor color = palette::monitorCurveColor(int(i));
        p.setPen(color);
        p.drawText(QRectF(4, curves.top() + 16.0 * double(i), kLabelWidth - 8, 16), Qt::AlignRight | Qt::AlignVCenter,
                   c.monitor);
        if (c.points.empty())
            continue;
        auto [lo, hi] = std::minmax_element(c.points.begin(), c.points.end(),
                                            [](const QPointF& a, const QPointF& b) { return a.y() < b.y(); });
        const double y0 = lo->y();
        const double span = hi->y() - y0 > 0 ? hi->y() - y0 : 1.0;
        QPainterPath path;
        for (std::size_t k = 0; k < c.points.size(); ++k) {
            const QPointF pt(xToPixel(c.points[k].x()), curves.bottom() - curves.height() * (c.points[k].y() - y0) / span);
            if (k == 0)
                path.moveTo(pt);
            else
                path.lineTo(pt);
            p.setBrush(color);
            p.drawEllipse(pt, 2, 2);
        }
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(color, 1.5));
        p.drawPath(path);
    }

    // The run's true best epoch per monitor, across every lane and the curves.
    for (std::size_t i = 0; i < m_bestLines.size(); ++i) {
        const auto& b = m_bestLines[i];
        const double x = xToPixel(b.x);
        const auto curve = std::find_if(m_curves.begin(), m_curves.end(),
                                        [&](const Curve& c) { return c.monitor == b.monitor; });
        const QColor color = palette::monitorCurveColor(int(std::distance(m_curves.begin(), curve)));
        p.setPen(QPen(color, 1.5, Qt::DashLine));
        p.drawLine(QPointF(x, lanes.top()), QPointF(x, curves.bottom()));
        const QRectF box = bestLabelRect(i);
        p.drawText(box, Qt::AlignLeft | Qt::AlignVCenter, bestLabelText(i, box.width()));
    }

    // Marks.
    for (const auto& m : m_marks) {
        const QPointF c = markPosition(m);
        const double r = kMarkRadius;
        switch (m.action) {
        case CheckpointAction::Save:
            p.setPen(QPen(m.color.darker(130), 1));
            p.setBrush(m.color);
            p.drawEllipse(c, r, r);
            break;
        case CheckpointAction::Skip:
            p.setPen(QPen(m.color, 1.5));
            p.setBrush(palette().base());
            p.drawEllipse(c, r - 0.5, r - 0.5);
            break;
        case CheckpointAction::Delete:
            p.setPen(QPen(m.color, 2));
            p.drawLine(c + QPointF(-r + 1, -r + 1), c + QPointF(r - 1, r - 1));
            p.drawLine(c + QPointF(-r + 1, r - 1), c + QPointF(r - 1, -r + 1));
            break;
        case CheckpointAction::Error: {
            p.setPen(QPen(Qt::red, 1));
            p.setBrush(Qt::red);
            const QPointF tri[] = {c + QPointF(0, -r), c + QPointF(r, r), c + QPointF(-r, r)};
            p.drawPolygon(tri, 3);
            break;
        }
        }
    }
    p.setBrush(Qt::NoBrush);
    p.setPen(grid);
    p.drawRect(lanes.united(curves));
}

bool TimelineWidget::event(QEvent* e)
{
    if (e->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(e);
        const TimelineMark* nearest = nullptr;
        double bestDistance = kMarkRadius + 3;
        for (const auto& m : m_marks) {
            const QPointF d = markPosition(m) - QPointF(help->pos());
            const double distance = std::hypot(d.x(), d.y());
            if (distance <= bestDistance) {
                bestDistance = distance;
                nearest = &m;
            }
        }
        if (nearest) {
            const QString where = nearest->batch >= 0 ? tr("epoch %1, batch %2").arg(nearest->epoch + 1).arg(nearest->batch + 1)
                                                      : tr("epoch %1").arg(nearest->epoch + 1);
            QToolTip::showText(help->globalPos(), QStringLiteral("%1: %2 %3\n%4")
                                                      .arg(nearest->policy, QString::fromStdString(std::string(actionName(nearest->action))),
                                                           where, nearest->path));
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(e);
}

} // namespace cklab::ui
