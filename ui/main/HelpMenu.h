#pragma once
/// The Help menu of a main window: About (version, commit, and the versions and licences of Qt
/// and the libraries of the engine), Keyboard shortcuts (a table built from the window's actual
/// QActions, so it cannot go stale) and Documentation (the docs folder, opened with
/// QDesktopServices: the installed <prefix>/share/doc/checkpointlab, else the source tree's docs/).
/// The dialogs are non-modal children, created on first use and reused.
/// Object names: "helpMenu"; actions "actionAbout", "actionShortcuts", "actionDocumentation";
/// dialogs "aboutDialog" (its text a QLabel "aboutText") and "shortcutsDialog" (a QTableWidget
/// "shortcutsTable": column 0 the action as "Menu > Action", column 1 its shortcut).
#include <QList>
#include <QMenu>
#include <QString>

class QDialog;
class QMainWindow;

namespace cklab::ui {

class HelpMenu : public QMenu {
    Q_OBJECT
public:
    struct Shortcut {
        QString action;    ///< "Run > Train" (menu path and text, mnemonics removed)
        QString keys;      ///< QKeySequence::NativeText of every shortcut, ", "-separated
    };

    /// Builds the menu; add it with `window->menuBar()->addMenu(new HelpMenu(window))`.
    explicit HelpMenu(QMainWindow* window);

    /// "0.1.0 (v0.1.0-12-g1a2b3c4d5e6f)": PROJECT_VERSION and the commit (QCoreApplication's version).
    static QString versionString();
    /// What `checkpointlab --version` prints: the version line, Qt and the libraries, then the
    /// documentationDir() and dataDir() this copy uses.
    static QString versionText();
    /// The About box's text (rich text).
    static QString aboutText();
    /// Every action of the window's menus (submenus included), then of its toolbars, then any
    /// other action of the window that has a shortcut; each action once, in that order.
    static QList<Shortcut> shortcuts(const QMainWindow* window);
    /// The installed documentation folder (<exe>/../share/doc/checkpointlab) if it exists, else
    /// the docs/ folder of the source tree this was built from, else empty.
    static QString documentationDir();
    /// The installed examples and data (<exe>/../share/checkpointlab) if they exist, else the
    /// source tree's resources/, else empty.
    static QString dataDir();

public slots:
    void showAbout();
    void showShortcuts();
    /// Opens documentationDir() in the desktop's file manager or browser.
    void openDocumentation();

private:
    QMainWindow* m_window;
    QDialog* m_about = nullptr;
    QDialog* m_shortcuts = nullptr;
};

} // namespace cklab::ui
