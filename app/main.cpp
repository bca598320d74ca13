// The desktop application: a thin main over cklab_ui. Without a display it runs the first
// example headless with checkpointlab-cli instead of failing in the platform plugin.
#include <QApplication>
#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QListWidget>
#include <QProcess>
#include <QSize>
#include <QStringList>
#include <QTabWidget>
#include <cstdio>
#include <cstdlib>

#include "core/base/ProcessMemory.h"
#include "ui/compare/RunsPanel.h"
#include "ui/main/HelpMenu.h"
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

int runHeadless()
{
    std::puts("No display found: running the example project headless with checkpointlab-cli");
    std::fflush(stdout);
    // The CLI is installed next to this executable (build tree and installed tree alike).
    const QString cli = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("checkpointlab-cli"));
    const int code = QProcess::execute(cli, {QStringLiteral("run"), QStringLiteral("--example"), QStringLiteral("1")});
    if (code < 0) {
        std::fprintf(stderr, "could not start %s\n", qPrintable(cli));
        return 1;
    }
    return code;
}

struct Options {
    QString path;          ///< project file or run folder, empty = the default example
    QString screenshot;
    QString tab;
    bool runFirst = false;
    bool overlayRuns = false;
    QSize size;
};

QCommandLineOption hidden(QCommandLineOption option)
{
    option.setFlags(QCommandLineOption::HiddenFromHelp);
    return option;
}

/// Parses the command line; --help and --version print and exit here (before any window exists,
/// so `checkpointlab --help` never trains or opens anything).
Options parseArguments(const QCoreApplication& app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "CheckpointLab: train neural networks and watch every checkpoint decision.\n"
                "PATH is a project file (.json) or a run folder (recorded-runs/run-NNN).\n"
                "Without a display, runs example 1 headless with checkpointlab-cli.\n"
                "Options for tests and documentation screenshots are not listed here\n"
                "(see docs/packaging.md)."));
    parser.addHelpOption();
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                                     QCoreApplication::translate("main", "Print the version, commit and library versions, and exit."));
    parser.addOption(version);
    parser.addPositionalArgument(QStringLiteral("PATH"), QCoreApplication::translate("main", "Project file or run folder to open."),
                                 QStringLiteral("[PATH]"));
    // For tests and docs: --screenshot <file> grabs the window once it is shown,
    // --run-before-screenshot trains the project first, --show-tab <objectName> selects a tab of
    // the lower pane (e.g. comparisonView), --overlay-runs ticks the project's recorded runs,
    // --window-size WxH sets the window's size.
    const QCommandLineOption screenshot = hidden({QStringLiteral("screenshot"), {}, QStringLiteral("file")});
    const QCommandLineOption runFirst = hidden({QStringLiteral("run-before-screenshot"), {}});
    const QCommandLineOption tab = hidden({QStringLiteral("show-tab"), {}, QStringLiteral("objectName")});
    const QCommandLineOption overlay = hidden({QStringLiteral("overlay-runs"), {}});
    const QCommandLineOption size = hidden({QStringLiteral("window-size"), {}, QStringLiteral("WxH")});
    parser.addOptions({screenshot, runFirst, tab, overlay, size});
    parser.process(app); // --help, unknown options: prints and exits

    if (parser.isSet(version)) {
        std::puts(qPrintable(cklab::HelpMenu::versionText()));
        std::exit(0);
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        std::fprintf(stderr, "checkpointlab: one PATH at most, got %lld\n", static_cast<long long>(positional.size()));
        std::exit(2);
    }
    Options o;
    o.path = positional.value(0);
    o.screenshot = parser.value(screenshot);
    o.runFirst = parser.isSet(runFirst);
    o.tab = parser.value(tab);
    o.overlayRuns = parser.isSet(overlay);
    if (parser.isSet(size)) {
        const QStringList wh = parser.value(size).split(QLatin1Char('x'));
        if (wh.size() == 2)
            o.size = QSize(wh[0].toInt(), wh[1].toInt());
    }
    return o;
}

void setApplicationNames()
{
    QCoreApplication::setOrganizationName(QStringLiteral("CheckpointLab"));
    QCoreApplication::setApplicationName(QStringLiteral("CheckpointLab"));
    QCoreApplication::setApplicationVersion(cklab::HelpMenu::versionString());
}

/// A run folder (one with run.json) goes to the Runs list, ticked (its curves on the charts), its
/// config becomes the (unsaved) project and the comparison tab shows its policies; anything else
/// is opened as a project file.
void openPath(MainWindow& window, const QString& path)
{
    const QFileInfo info(path);
    if (!info.isDir()) {
        window.openProject(path);
        return;
    }
    auto* runs = window.findChild<cklab::RunsPanel*>();
    if (!runs)
        return;
    const QString id = runs->addRunFolder(info.absoluteFilePath());
    if (id.isEmpty()) {
        // The Runs list says why too; a script that passed a wrong folder learns it here.
        std::fprintf(stderr, "checkpointlab: %s is not a run folder (no readable run.json)\n", qPrintable(path));
        return;
    }
    if (const cklab::RunRecord* run = runs->run(id); run && run->project)
        window.setProject(*run->project); // runs added by hand stay listed
    runs->setOverlaid(id, true);
    // ... and is the run the comparison replays (as "Compare on run" on its row does).
    for (int row = 0; row < runs->list()->count(); ++row)
        if (runs->list()->item(row)->data(Qt::UserRole).toString() == id)
            runs->list()->setCurrentRow(row);
    runs->compareCurrent();
    if (auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("logTabs")))
        if (auto* page = tabs->findChild<QWidget*>(QStringLiteral("comparisonView")))
            tabs->setCurrentWidget(page);
}

} // namespace

int main(int argc, char** argv)
{
    cklab::keepFreedMemoryForReuse();
    if (!hasDisplay()) {
        // No platform plugin can start: parse (so --help and --version work) without a GUI.
        QCoreApplication app(argc, argv);
        setApplicationNames();
        parseArguments(app);
        return runHeadless();
    }

    QApplication app(argc, argv);
    setApplicationNames();
    const Options options = parseArguments(app);
    // The installed desktop entry and icon (share/applications, share/icons/hicolor).
    QGuiApplication::setDesktopFileName(QStringLiteral("org.checkpointlab.CheckpointLab"));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("checkpointlab")));

    MainWindow window;
    if (!options.path.isEmpty())
        openPath(window, options.path);
    if (auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("logTabs")); tabs && !options.tab.isEmpty())
        if (auto* page = tabs->findChild<QWidget*>(options.tab))
            tabs->setCurrentWidget(page);
    if (auto* runs = window.findChild<QListWidget*>(QStringLiteral("runList")); runs && options.overlayRuns)
        for (int row = 0; row < runs->count(); ++row)
            runs->item(row)->setCheckState(Qt::Checked);
    if (options.size.isValid())
        window.resize(options.size);
    window.show();
    if (!options.screenshot.isEmpty())
        window.scheduleScreenshot(options.screenshot, options.runFirst);
    return app.exec();
}
