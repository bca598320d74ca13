// checkpointlab-docshot: the documentation's screenshots, taken from the same MainWindow the
// application shows. Opens PATH (project file or run folder) like `checkpointlab PATH`, sets the
// window up (size, a tab of the lower pane, recorded runs overlaid), optionally trains first,
// then writes the window's pixels to OUTPUT.png and quits. Runs under any Qt platform
// (xvfb-run, or QT_QPA_PLATFORM=offscreen).
#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QListWidget>
#include <QTabWidget>
#include <QTimer>
#include <cstdio>
#include <cstdlib>

#include "ui/main/DialogProvider.h"
#include "ui/main/MainWindow.h"
#include "ui/session/TrainingController.h"

using namespace cklab::ui;

namespace {

/// No modal dialog may wait for a user: warnings go to stderr, questions are answered No.
class BatchDialogs : public DialogProvider {
public:
    QString openFileName(QWidget*, const QString&, const QString&, const QString&) override { return {}; }
    QString saveFileName(QWidget*, const QString&, const QString&, const QString&) override { return {}; }
    Answer question(QWidget*, const QString&, const QString&, bool) override { return Answer::No; }
    void warning(QWidget*, const QString& title, const QString& text) override
    {
        std::fprintf(stderr, "checkpointlab-docshot: %s: %s\n", qPrintable(title), qPrintable(text));
        m_warned = true;
    }
    bool warned() const { return m_warned; }

private:
    bool m_warned = false;
};

struct Options {
    QString path;
    QString output;
    QString tab;
    bool train = false;
    bool overlayRuns = false;
    QSize size;
};

Options parse(const QApplication& app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Writes a screenshot of CheckpointLab's main window for the docs."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("PATH"), QStringLiteral("Project file or run folder to open."));
    parser.addPositionalArgument(QStringLiteral("OUTPUT"), QStringLiteral("PNG file to write."));
    const QCommandLineOption train(QStringLiteral("train"), QStringLiteral("Train the project first; grab after its run is recorded."));
    const QCommandLineOption tab(QStringLiteral("show-tab"), QStringLiteral("Tab of the lower pane to show (objectName, e.g. comparisonView)."),
                                 QStringLiteral("objectName"));
    const QCommandLineOption overlay(QStringLiteral("overlay-runs"), QStringLiteral("Tick every recorded run in the Runs list."));
    const QCommandLineOption size(QStringLiteral("window-size"), QStringLiteral("Window size."), QStringLiteral("WxH"), QStringLiteral("1400x900"));
    parser.addOptions({train, tab, overlay, size});
    parser.process(app);
    const QStringList args = parser.positionalArguments();
    if (args.size() != 2)
        parser.showHelp(2);
    Options o{args[0], args[1], parser.value(tab), parser.isSet(train), parser.isSet(overlay), {}};
    const QStringList wh = parser.value(size).split(QLatin1Char('x'));
    o.size = wh.size() == 2 ? QSize(wh[0].toInt(), wh[1].toInt()) : QSize();
    if (!o.size.isValid()) {
        std::fprintf(stderr, "checkpointlab-docshot: --window-size: expected WxH (e.g. 1400x900), got %s\n",
                     qPrintable(parser.value(size)));
        std::exit(2);
    }
    return o;
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("CheckpointLab"));
    QCoreApplication::setApplicationName(QStringLiteral("CheckpointLab"));
    const Options options = parse(app);
    BatchDialogs dialogs;
    DialogProvider::setInstance(&dialogs);

    MainWindow window;
    const bool opened = QFileInfo(options.path).isDir() ? window.openRunFolder(options.path) : window.openProject(options.path);
    if (!opened) {
        std::fprintf(stderr, "checkpointlab-docshot: could not open %s\n", qPrintable(options.path));
        return 1;
    }
    if (!options.tab.isEmpty()) {
        auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("logTabs"));
        QWidget* page = tabs ? tabs->findChild<QWidget*>(options.tab) : nullptr;
        if (!page) {
            std::fprintf(stderr, "checkpointlab-docshot: --show-tab: no tab %s\n", qPrintable(options.tab));
            return 2;
        }
        tabs->setCurrentWidget(page);
    }
    if (options.overlayRuns)
        if (auto* runs = window.findChild<QListWidget*>(QStringLiteral("runList")))
            for (int row = 0; row < runs->count(); ++row)
                runs->item(row)->setCheckState(Qt::Checked);
    window.resize(options.size);
    window.show();

    int code = 0;
    auto grab = [&] {
        if (!window.grab().save(options.output)) {
            std::fprintf(stderr, "checkpointlab-docshot: could not write %s\n", qPrintable(options.output));
            code = 1;
        }
        QApplication::quit();
    };
    if (options.train) {
        // The record is written on a pool thread after the run: grab once it is in the Runs list.
        QObject::connect(&window, &MainWindow::runRecordSaved, &window, [&] { QTimer::singleShot(500, &window, grab); });
        QObject::connect(window.controller(), &cklab::ui::TrainingController::failed, &window, [&] {
            code = 1;
            QTimer::singleShot(300, &window, grab);
        });
        QTimer::singleShot(300, &window, &MainWindow::train);
    } else {
        QTimer::singleShot(1000, &window, grab);
    }
    app.exec();
    DialogProvider::setInstance(nullptr);
    return code != 0 ? code : (dialogs.warned() ? 1 : 0);
}
