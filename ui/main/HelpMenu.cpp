#include "ui/main/HelpMenu.h"

#include <QAction>
#include <QCoreApplication>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QMainWindow>
#include <QMenuBar>
#include <QSet>
#include <QTableWidget>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>
#include <QtGlobal>
#include <functional>

#include "core/base/BuildInfo.h"

namespace cklab::ui {

namespace {

QString fromStd(const std::string& s) { return QString::fromStdString(s); }

/// Qt's own parts. Debian's (and the Qt Company's open-source) Qt Base is LGPL-3.0; Qt Charts
/// is GPL-3.0 only, which is what decides the licence of a binary that links it.
struct QtPart {
    const char* name;
    const char* licence;
};
constexpr QtPart kQtParts[] = {
    {"Qt (Core, Gui, Widgets, Concurrent)", "LGPL-3.0-only or GPL-2.0-or-later"},
    {"Qt Charts", "GPL-3.0-only"},
};

QString plainText(QString text)
{
    text.remove(QLatin1Char('&'));
    if (text.endsWith(QStringLiteral("…")))
        text.chop(1);
    return text;
}

/// The first of `candidates` that is an existing folder, cleaned; empty if none is.
QString firstDir(const QStringList& candidates)
{
    for (const QString& c : candidates)
        if (!c.isEmpty() && QDir(c).exists())
            return QDir::cleanPath(QDir(c).absolutePath());
    return {};
}

QString installedShare(const QString& sub)
{
    return QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../share/") + sub);
}

QDialog* makeDialog(QWidget* parent, const QString& name, const QString& title, QWidget* content)
{
    auto* dialog = new QDialog(parent);
    dialog->setObjectName(name);
    dialog->setWindowTitle(title);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(content);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    layout->addWidget(buttons);
    return dialog;
}

} // namespace

HelpMenu::HelpMenu(QMainWindow* window) : QMenu(tr("&Help"), window), m_window(window)
{
    setObjectName(QStringLiteral("helpMenu"));
    auto add = [this](const char* name, const QString& text, const QKeySequence& key, void (HelpMenu::*slot)()) {
        QAction* a = addAction(text);
        a->setObjectName(QLatin1String(name));
        a->setShortcut(key);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    QAction* docs = add("actionDocumentation", tr("&Documentation"), QKeySequence::HelpContents, &HelpMenu::openDocumentation);
    if (documentationDir().isEmpty()) { // neither installed nor next to the sources it was built from
        docs->setEnabled(false);
        docs->setToolTip(tr("No documentation folder found next to the program"));
    }
    add("actionShortcuts", tr("&Keyboard shortcuts"), QKeySequence(Qt::CTRL | Qt::Key_Slash), &HelpMenu::showShortcuts);
    addSeparator();
    QAction* about = add("actionAbout", tr("&About CheckpointLab"), {}, &HelpMenu::showAbout);
    about->setMenuRole(QAction::AboutRole);
}

QString HelpMenu::versionString()
{
    return QStringLiteral("%1 (%2)").arg(fromStd(buildInfo().version), fromStd(buildInfo().commit));
}

QString HelpMenu::versionText()
{
    QStringList lines{fromStd(versionLine("checkpointlab"))};
    for (const QtPart& part : kQtParts)
        lines << QStringLiteral("%1 %2 (%3)").arg(QLatin1String(part.name), QLatin1String(qVersion()), QLatin1String(part.licence));
    for (const LibraryInfo& lib : buildInfo().libraries)
        lines << QStringLiteral("%1 %2 (%3)").arg(fromStd(lib.name), fromStd(lib.version), fromStd(lib.licence));
    // Where this copy looks for its files: tells an installed program from a build tree's.
    const QString none = QStringLiteral("(not found)");
    const QString docs = documentationDir();
    const QString data = dataDir();
    lines << QStringLiteral("Documentation: ") + (docs.isEmpty() ? none : QDir::toNativeSeparators(docs));
    lines << QStringLiteral("Examples and data: ") + (data.isEmpty() ? none : QDir::toNativeSeparators(data));
    return lines.join(QLatin1Char('\n'));
}

QString HelpMenu::aboutText()
{
    QString rows;
    auto row = [&rows](const QString& name, const QString& version, const QString& licence) {
        rows += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td></tr>")
                    .arg(name.toHtmlEscaped(), version.toHtmlEscaped(), licence.toHtmlEscaped());
    };
    for (const QtPart& part : kQtParts)
        row(QLatin1String(part.name), QLatin1String(qVersion()), QLatin1String(part.licence));
    for (const LibraryInfo& lib : buildInfo().libraries)
        row(fromStd(lib.name), fromStd(lib.version), fromStd(lib.licence));
    const QString docs = documentationDir();
    return tr("<h3>CheckpointLab %1</h3>"
              "<p>Commit %2</p>"
              "<p>A workbench for training neural networks with checkpoint policies you can watch, "
              "compare and replay.</p>"
              "<p>Built with:</p><table cellspacing='6'><tr><th align='left'>Library</th>"
              "<th align='left'>Version</th><th align='left'>Licence</th></tr>%3</table>"
              "<p>Documentation: %4</p>")
        .arg(fromStd(buildInfo().version).toHtmlEscaped(), fromStd(buildInfo().commit).toHtmlEscaped(), rows,
             docs.isEmpty() ? tr("not installed") : QDir::toNativeSeparators(docs).toHtmlEscaped());
}

QList<HelpMenu::Shortcut> HelpMenu::shortcuts(const QMainWindow* window)
{
    QList<Shortcut> out;
    QSet<const QAction*> seen;
    auto take = [&](const QAction* a, const QString& where) {
        if (a->isSeparator() || a->menu() || a->shortcuts().isEmpty() || seen.contains(a))
            return;
        seen.insert(a);
        QStringList keys;
        for (const QKeySequence& k : a->shortcuts())
            keys << k.toString(QKeySequence::NativeText);
        out.append({where.isEmpty() ? plainText(a->text()) : where + QStringLiteral(" > ") + plainText(a->text()),
                    keys.join(QStringLiteral(", "))});
    };
    // Depth first through the menu bar, so rows come in the order the menus show them.
    std::function<void(const QMenu*, const QString&)> walk = [&](const QMenu* menu, const QString& path) {
        for (const QAction* a : menu->actions()) {
            if (const QMenu* sub = a->menu())
                walk(sub, path + QStringLiteral(" > ") + plainText(sub->title()));
            else
                take(a, path);
        }
    };
    if (const QMenuBar* bar = window->menuBar())
        for (const QAction* a : bar->actions())
            if (const QMenu* menu = a->menu())
                walk(menu, plainText(menu->title()));
    for (const QToolBar* bar : window->findChildren<QToolBar*>())
        for (const QAction* a : bar->actions())
            take(a, bar->windowTitle());
    for (const QAction* a : window->findChildren<QAction*>())
        take(a, QString());
    return out;
}

QString HelpMenu::documentationDir()
{
    return firstDir({installedShare(QStringLiteral("doc/checkpointlab")),
#ifdef CKLAB_SOURCE_DOCS_DIR
                     QStringLiteral(CKLAB_SOURCE_DOCS_DIR)
#endif
    });
}

QString HelpMenu::dataDir()
{
    return firstDir({installedShare(QStringLiteral("checkpointlab")),
#ifdef CKLAB_SOURCE_RESOURCES_DIR
                     QStringLiteral(CKLAB_SOURCE_RESOURCES_DIR)
#endif
    });
}

void HelpMenu::showAbout()
{
    if (!m_about) {
        auto* text = new QLabel(aboutText());
        text->setObjectName(QStringLiteral("aboutText"));
        text->setTextFormat(Qt::RichText);
        text->setTextInteractionFlags(Qt::TextBrowserInteraction);
        m_about = makeDialog(m_window, QStringLiteral("aboutDialog"), tr("About CheckpointLab"), text);
    }
    m_about->show();
    m_about->raise();
}

void HelpMenu::showShortcuts()
{
    if (!m_shortcuts) {
        auto* table = new QTableWidget(0, 2);
        table->setObjectName(QStringLiteral("shortcutsTable"));
        table->setHorizontalHeaderLabels({tr("Action"), tr("Shortcut")});
        table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
        table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
        table->verticalHeader()->hide();
        table->setEditTriggers(QAbstractItemView::NoEditTriggers);
        table->setMinimumSize(460, 420);
        m_shortcuts = makeDialog(m_window, QStringLiteral("shortcutsDialog"), tr("Keyboard shortcuts"), table);
    }
    // Rebuilt on every opening: the window's actions are the truth, not a copy from the first time.
    auto* table = m_shortcuts->findChild<QTableWidget*>(QStringLiteral("shortcutsTable"));
    const QList<Shortcut> rows = shortcuts(m_window);
    table->setRowCount(static_cast<int>(rows.size()));
    for (int r = 0; r < rows.size(); ++r) {
        table->setItem(r, 0, new QTableWidgetItem(rows[r].action));
        table->setItem(r, 1, new QTableWidgetItem(rows[r].keys));
    }
    m_shortcuts->show();
    m_shortcuts->raise();
}

void HelpMenu::openDocumentation()
{
    const QString dir = documentationDir();
    if (!dir.isEmpty())
        QDesktopServices::openUrl(QUrl::fromLocalFile(dir));
}

} // namespace cklab::ui
