// The desktop application: a thin main over cklab_ui. Without a display it runs the first
// example headless with checkpointlab-cli instead of failing in the platform plugin.
#include <QApplication>
#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QProcess>
#include <QStringList>
#include <cstdio>
#include <cstdlib>

#include "core/base/ProcessMemory.h"
#include "ui/main/HelpMenu.h"
#include "ui/main/MainWindow.h"

using namespace cklab::ui;

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

/// Parses the command line; --help and --version print and exit here (before any window exists,
/// so `checkpointlab --help` never trains or opens anything). Returns PATH, or empty.
QString parseArguments(const QCoreApplication& app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "CheckpointLab: train neural networks and watch every checkpoint decision.\n"
                "PATH is a project file (.json) or a run folder (recorded-runs/run-NNN).\n"
                "Without a display, runs example 1 headless with checkpointlab-cli."));
    parser.addHelpOption();
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                                     QCoreApplication::translate("main", "Print the version, commit and library versions, and exit."));
    parser.addOption(version);
    parser.addPositionalArgument(QStringLiteral("PATH"), QCoreApplication::translate("main", "Project file or run folder to open."),
                                 QStringLiteral("[PATH]"));
    parser.process(app); // --help, unknown options: prints and exits

    if (parser.isSet(version)) {
        std::puts(qPrintable(cklab::ui::HelpMenu::versionText()));
        std::exit(0);
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        std::fprintf(stderr, "checkpointlab: one PATH at most, got %lld\n", static_cast<long long>(positional.size()));
        std::exit(2);
    }
    return positional.value(0);
}

void setApplicationNames()
{
    QCoreApplication::setOrganizationName(QStringLiteral("CheckpointLab"));
    QCoreApplication::setApplicationName(QStringLiteral("CheckpointLab"));
    QCoreApplication::setApplicationVersion(cklab::ui::HelpMenu::versionString());
}

/// A folder is opened as a recorded run, anything else as a project file.
void openPath(MainWindow& window, const QString& path)
{
    if (!QFileInfo(path).isDir()) {
        window.openProject(path);
        return;
    }
    // The Runs list says why too; a script that passed a wrong folder learns it here.
    if (!window.openRunFolder(path))
        std::fprintf(stderr, "checkpointlab: %s is not a run folder (no readable run.json)\n", qPrintable(path));
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
    const QString path = parseArguments(app);
    // The installed desktop entry and icon (share/applications, share/icons/hicolor).
    QGuiApplication::setDesktopFileName(QStringLiteral("org.checkpointlab.CheckpointLab"));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("checkpointlab"), QIcon(QStringLiteral(":/icons/checkpointlab.svg"))));

    MainWindow window;
    if (!path.isEmpty())
        openPath(window, path);
    window.show();
    return app.exec();
}
