// The Help menu of the main window: About shows this build's version and commit and the real
// versions of Qt, Eigen and HDF5 with licences; Keyboard shortcuts lists exactly the window's
// actions that have shortcuts, with those shortcuts; Documentation opens the docs folder.
#include <QAction>
#include <QDesktopServices>
#include <QDialog>
#include <QDir>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QSet>
#include <QStandardPaths>
#include <QTableWidget>
#include <QUrl>
#include <QtTest>

#include <Eigen/Core>

#include "core/base/BuildInfo.h"
#include "core/base/Version.h"
#include "tests/support/WidgetDriving.h"
#include "ui/main/HelpMenu.h"
#include "ui/main/MainWindow.h"

using namespace cklab::ui;

using cklab::test::child;

class TestHelpMenu : public QObject {
    Q_OBJECT
public slots:
    /// QDesktopServices' handler for file: URLs during the test (nothing is really opened).
    void openFileUrl(const QUrl& url) { m_opened << url; }

private slots:
    void initTestCase();
    void cleanupTestCase();
    void helpMenuIsLast();
    void aboutShowsRealVersions();
    void shortcutsListTheWindowsActions();
    void shortcutsFollowAChangedAction();
    void documentationOpensTheDocsFolder();

private:
    QList<QUrl> m_opened;
};

void TestHelpMenu::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QDesktopServices::setUrlHandler(QStringLiteral("file"), this, "openFileUrl");
}

void TestHelpMenu::cleanupTestCase()
{
    QDesktopServices::unsetUrlHandler(QStringLiteral("file"));
}

void TestHelpMenu::helpMenuIsLast()
{
    MainWindow window;
    const QList<QAction*> menus = window.menuBar()->actions();
    QVERIFY(!menus.isEmpty());
    QCOMPARE(menus.last()->menu(), child<QMenu>(&window, QStringLiteral("helpMenu")));
    for (const char* name : {"actionAbout", "actionShortcuts", "actionDocumentation"})
        QVERIFY2(window.findChild<QAction*>(QLatin1String(name)), name);
}

void TestHelpMenu::aboutShowsRealVersions()
{
    MainWindow window;
    window.show();
    child<QAction>(&window, QStringLiteral("actionAbout"))->trigger();
    auto* dialog = child<QDialog>(&window, QStringLiteral("aboutDialog"));
    QTRY_VERIFY(dialog->isVisible());
    const QString text = child<QLabel>(dialog, QStringLiteral("aboutText"))->text();

    QVERIFY2(text.contains(QLatin1String(cklab::kVersion)), qPrintable(text));
    QVERIFY2(text.contains(QString::fromLatin1(cklab::kGitDescribe).toHtmlEscaped()), qPrintable(text));
    QCOMPARE(QString::fromStdString(cklab::buildInfo().version), QLatin1String(cklab::kVersion));
    // Qt: the library actually loaded; Eigen: the headers this test is compiled with.
    QVERIFY2(text.contains(QStringLiteral("<td>%1</td>").arg(QLatin1String(qVersion()))), qPrintable(text));
    const QString eigen = QStringLiteral("%1.%2.%3").arg(EIGEN_WORLD_VERSION).arg(EIGEN_MAJOR_VERSION).arg(EIGEN_MINOR_VERSION);
    QVERIFY2(text.contains(QStringLiteral("<td>Eigen</td><td>%1</td><td>MPL-2.0</td>").arg(eigen)), qPrintable(text));
    // HDF5: the shared library loaded at run time (H5get_libversion), which the engine reports.
    QString hdf5;
    for (const auto& lib : cklab::buildInfo().libraries)
        if (lib.name == "HDF5")
            hdf5 = QString::fromStdString(lib.version);
    QVERIFY(QRegularExpression(QStringLiteral("^1\\.\\d+\\.\\d+$")).match(hdf5).hasMatch());
    QVERIFY2(text.contains(QStringLiteral("<td>HDF5</td><td>%1</td>").arg(hdf5)), qPrintable(text));
    for (const char* licence : {"LGPL-3.0-only", "GPL-3.0-only", "BSD-3-Clause", "MIT"})
        QVERIFY2(text.contains(QLatin1String(licence)), licence);

    // A second trigger shows the same dialog again, not a new one.
    dialog->close();
    child<QAction>(&window, QStringLiteral("actionAbout"))->trigger();
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(window.findChildren<QDialog*>(QStringLiteral("aboutDialog")).size(), 1);
}

void TestHelpMenu::shortcutsListTheWindowsActions()
{
    MainWindow window;
    window.show();
    child<QAction>(&window, QStringLiteral("actionShortcuts"))->trigger();
    auto* dialog = child<QDialog>(&window, QStringLiteral("shortcutsDialog"));
    QTRY_VERIFY(dialog->isVisible());
    auto* table = child<QTableWidget>(dialog, QStringLiteral("shortcutsTable"));

    QHash<QString, QString> shown;
    for (int r = 0; r < table->rowCount(); ++r)
        shown.insert(table->item(r, 0)->text(), table->item(r, 1)->text());
    QCOMPARE(shown.size(), table->rowCount()); // no action twice

    // Every action of the window with a shortcut is listed once, with its own shortcut.
    QSet<QString> expected;
    for (const QAction* a : window.findChildren<QAction*>()) {
        if (a->shortcut().isEmpty() || a->menu())
            continue;
        const QString keys = a->shortcut().toString(QKeySequence::NativeText);
        expected.insert(keys);
        QVERIFY2(shown.values().contains(keys), qPrintable(a->objectName() + QStringLiteral(" ") + keys));
    }
    const QStringList shownKeys = shown.values();
    QCOMPARE(QSet<QString>(shownKeys.begin(), shownKeys.end()), expected);

    // Spot checks against the actions themselves (menu path as the menus show it).
    const auto keysOf = [&window](const char* name) {
        return child<QAction>(&window, QLatin1String(name))->shortcut().toString(QKeySequence::NativeText);
    };
    QCOMPARE(shown.value(QStringLiteral("Run > Train")), keysOf("actionTrain"));
    QCOMPARE(shown.value(QStringLiteral("Run > Stop at epoch end")), keysOf("actionStopAtEpochEnd"));
    QCOMPARE(shown.value(QStringLiteral("File > Save As")), keysOf("actionSaveAs"));
    QCOMPARE(shown.value(QStringLiteral("Edit > Undo")), QKeySequence(QKeySequence::Undo).toString(QKeySequence::NativeText));
    QCOMPARE(shown.value(QStringLiteral("Help > Keyboard shortcuts")), keysOf("actionShortcuts"));
    QCOMPARE(keysOf("actionTrain"), QKeySequence(Qt::CTRL | Qt::Key_R).toString(QKeySequence::NativeText));
}

void TestHelpMenu::shortcutsFollowAChangedAction()
{
    MainWindow window;
    auto* train = child<QAction>(&window, QStringLiteral("actionTrain"));
    train->setShortcut(QKeySequence(Qt::Key_F5));
    const QList<cklab::ui::HelpMenu::Shortcut> rows = cklab::ui::HelpMenu::shortcuts(&window);
    const auto it = std::find_if(rows.begin(), rows.end(), [](const auto& s) { return s.action == QLatin1String("Run > Train"); });
    QVERIFY(it != rows.end());
    QCOMPARE(it->keys, QKeySequence(Qt::Key_F5).toString(QKeySequence::NativeText));
}

void TestHelpMenu::documentationOpensTheDocsFolder()
{
    MainWindow window;
    m_opened.clear();
    child<QAction>(&window, QStringLiteral("actionDocumentation"))->trigger();
    QCOMPARE(m_opened.size(), 1);
    const QString dir = m_opened.first().toLocalFile();
    QCOMPARE(dir, cklab::ui::HelpMenu::documentationDir());
    // Not installed: the source tree's docs/ (an installed copy uses <prefix>/share/doc/checkpointlab,
    // which the install_tree test checks).
    QCOMPARE(QDir(dir).canonicalPath(), QDir(QStringLiteral(CKLAB_SOURCE_DIR "/docs")).canonicalPath());
    QVERIFY(QFileInfo::exists(QDir(dir).filePath(QStringLiteral("project-format.md"))));
    QCOMPARE(QDir(cklab::ui::HelpMenu::dataDir()).canonicalPath(), QDir(QStringLiteral(CKLAB_SOURCE_DIR "/resources")).canonicalPath());
}

QTEST_MAIN(TestHelpMenu)
#include "TestHelpMenu.moc"
