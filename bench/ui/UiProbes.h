#pragma once
// What the UI benchmarks measure on the UI thread, shared by bench_ui_load and
// bench_ui_real_run: a 1 ms heartbeat (the longest gap is the longest stall), every top-level
// event delivery timed (wall clock and UI-thread CPU), paint events counted, and dialogs that
// never block a headless run. Header-only: each bench/ui/*.cpp is its own executable.
#include <QApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QEventLoop>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <string>

#include "ui/main/DialogProvider.h"

namespace cklab::bench {

using ui::DialogProvider;

inline double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

/// No modal dialog may block a headless benchmark: questions answer "Yes" (close during a run),
/// warnings go to stderr.
class HeadlessDialogs : public DialogProvider {
public:
    QString openFileName(QWidget*, const QString&, const QString&, const QString&) override { return {}; }
    QString saveFileName(QWidget*, const QString&, const QString&, const QString&) override { return {}; }
    Answer question(QWidget*, const QString&, const QString&, bool) override { return Answer::Yes; }
    void warning(QWidget*, const QString& title, const QString& text) override
    {
        std::fprintf(stderr, "warning: %s: %s\n", qPrintable(title), qPrintable(text));
    }
};

/// Times every top-level event delivery on the UI thread: the longest one is the longest time the
/// event loop could not react, whatever the OS scheduler did to the heartbeat timer.
class ProbeApplication : public QApplication {
public:
    using QApplication::QApplication;
    bool notify(QObject* receiver, QEvent* event) override
    {
        if (m_depth > 0 || !m_enabled)
            return QApplication::notify(receiver, event);
        ++m_depth;
        // Named before the delivery: the receiver may delete itself in it (a single-shot timer).
        const Target target{int(event->type()), receiver->metaObject()->className(),
                            receiver->parent() ? receiver->parent()->metaObject()->className() : nullptr};
        QElapsedTimer t;
        t.start();
        const double cpu0 = threadCpuSeconds();
        const bool r = QApplication::notify(receiver, event);
        const qint64 ns = t.nsecsElapsed();
        // CPU time of the UI thread in this event: our work, without the time the OS gave others.
        const double cpuMs = (threadCpuSeconds() - cpu0) * 1e3;
        if (cpuMs > m_longestCpuMs) {
            m_longestCpuMs = cpuMs;
            m_longestCpuWhat = describe(target);
        }
        --m_depth;
        if (ns > m_longestNs) {
            m_longestNs = ns;
            m_longestWhat = describe(target);
        }
        return r;
    }
    void setEnabled(bool on) { m_enabled = on; }
    void reset()
    {
        m_longestNs = 0;
        m_longestCpuMs = 0.0;
        m_longestWhat.clear();
        m_longestCpuWhat.clear();
    }
    double longestCpuMs() const { return m_longestCpuMs; }
    QString longestCpuWhat() const { return m_longestCpuWhat; }
    double longestMs() const { return m_longestNs * 1e-6; }
    QString longestWhat() const { return m_longestWhat; }

private:
    int m_depth = 0;
    bool m_enabled = false;
    qint64 m_longestNs = 0;
    double m_longestCpuMs = 0.0;
    QString m_longestWhat, m_longestCpuWhat;

    struct Target {
        int eventType;
        const char* receiverClass;
        const char* parentClass; ///< nullptr: no parent
    };

    /// "<event type> to <receiver class> (<its parent's class>)": a QTimer names its owner.
    static QString describe(const Target& t)
    {
        QString s = QStringLiteral("%1 to %2").arg(t.eventType).arg(QLatin1String(t.receiverClass));
        if (t.parentClass)
            s += QStringLiteral(" (%1)").arg(QLatin1String(t.parentClass));
        return s;
    }
};

/// Counts paint events of a widget (a chart's viewport).
class PaintCounter : public QObject {
public:
    using QObject::QObject;
    int count = 0;
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Paint)
            ++count;
        return QObject::eventFilter(watched, event);
    }
};

/// A 1 ms heartbeat on the UI thread; the longest gap between two beats is the longest stall.
class Heartbeat : public QObject {
public:
    explicit Heartbeat(QObject* parent = nullptr)
        : QObject(parent)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            const double gapMs = (now - m_last) * 1e-6;
            m_last = now;
            m_longestMs = std::max(m_longestMs, gapMs);
            m_over16 += gapMs > 16.0;
            m_over50 += gapMs > 50.0;
            ++m_beats;
        });
    }
    void start()
    {
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    /// Starts a new measuring window (the timer keeps running).
    void resetStats()
    {
        m_longestMs = 0.0;
        m_beats = m_over16 = m_over50 = 0;
    }
    double longestMs() const { return m_longestMs; }
    long long beats() const { return m_beats; }
    long long over16() const { return m_over16; }
    long long over50() const { return m_over50; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    double m_longestMs = 0.0;
    long long m_beats = 0, m_over16 = 0, m_over50 = 0;
};

inline void processFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

inline void row(const char* what, const std::string& value, const char* target = "")
{
    std::printf("  %-44s %22s   %s\n", what, value.c_str(), target);
}

inline std::string num(double v, int decimals = 1)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

} // namespace cklab::bench
