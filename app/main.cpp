// The desktop application: a thin main over cklab_ui. Without a display it runs the first
// example headless with checkpointlab-cli instead of failing in the platform plugin.
#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QListWidget>
#include <QProcess>
#include <QSize>
#include <QStringList>
#include <QTabWidget>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/base/ProcessMemory.h"
#include "ui/main/MainWindow.h"

namespace {

bool hasDisplay()
{
    auto set = [](const char* name) {
        const char* v = std::getenv(name);
        return v != nullptr && *v != '\0';
    };
    return set("DISPLAY") || set("WAYLAND_DISPLAY") || set("QT_QPA_PLATFORM");
}

int runHeadless(const char* argv0)
{
    std::puts("No display found: running the example project headless with checkpointlab-cli");
    std::fflush(stdout);
    // The CLI is installed next to this executable. Resolve our own path without a QCoreApplication
    // (which would not start without a platform anyway): /proc/self/exe, then argv[0].
    QString self = QFileInfo(QStringLiteral("/proc/self/exe")).symLinkTarget();
    if (self.isEmpty())
        self = QFileInfo(QString::fromLocal8Bit(argv0)).absoluteFilePath();
    const QString cli = QFileInfo(self).dir().filePath(QStringLiteral("checkpointlab-cli"));
    const int code = QProcess::execute(cli, {QStringLiteral("run"), QStringLiteral("--example"), QStringLiteral("1")});
    if (code < 0) {
        std::fprintf(stderr, "could not start %s\n", qPrintable(cli));
        return 1;
    }
    return code;
}

} // namespace

int main(int argc, char** argv)
{
    cklab::keepFreedMemoryForReuse();
    if (!hasDisplay())
        return runHeadless(argv[0]);

    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("CheckpointLab"));
    QCoreApplication::setApplicationName(QStringLiteral("CheckpointLab"));

    // Hidden options: --screenshot <file> grabs the window once it is shown (docs, README),
    // --run-before-screenshot trains the project first, --show-tab <objectName> selects a tab of
    // the lower pane (e.g. comparisonView), --overlay-runs ticks the project's recorded runs,
    // --window-size WxH sets the window's size.
    QString projectFile;
    QString screenshot;
    QString tab;
    bool runFirst = false;
    bool overlayRuns = false;
    QSize size;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--screenshot") && i + 1 < args.size())
            screenshot = args[++i];
        else if (args[i] == QLatin1String("--run-before-screenshot"))
            runFirst = true;
        else if (args[i] == QLatin1String("--show-tab") && i + 1 < args.size())
            tab = args[++i];
        else if (args[i] == QLatin1String("--overlay-runs"))
            overlayRuns = true;
        else if (args[i] == QLatin1String("--window-size") && i + 1 < args.size()) {
            const QStringList wh = args[++i].split(QLatin1Char('x'));
            if (wh.size() == 2)
                size = QSize(wh[0].toInt(), wh[1].toInt());
        }
        else if (!args[i].startsWith(QLatin1String("--")))
            projectFile = args[i];
    }

    MainWindow window;
    if (!projectFile.isEmpty())
        window.openProject(projectFile);
    if (auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("logTabs")); tabs && !tab.isEmpty())
        if (auto* page = tabs->findChild<QWidget*>(tab))
            tabs->setCurrentWidget(page);
    if (auto* runs = window.findChild<QListWidget*>(QStringLiteral("runList")); runs && overlayRuns)
        for (int row = 0; row < runs->count(); ++row)
            runs->item(row)->setCheckState(Qt::Checked);
    if (size.isValid())
        window.resize(size);
    window.show();
    if (!screenshot.isEmpty())
        window.scheduleScreenshot(screenshot, runFirst);
    return app.exec();
}
