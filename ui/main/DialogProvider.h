#pragma once
/// The seam every modal dialog of the main window and the forms goes through, so that tests can
/// answer file pickers and questions without a visible dialog (see tests/ui/TestMainWindow.cpp).
#include <QString>

class QWidget;

namespace cklab::ui {

class DialogProvider {
public:
    enum class Answer { Yes, No, Cancel };

    virtual ~DialogProvider() = default;
    /// Empty string = cancelled.
    virtual QString openFileName(QWidget* parent, const QString& caption, const QString& dir,
                                 const QString& filter) = 0;
    virtual QString saveFileName(QWidget* parent, const QString& caption, const QString& dir,
                                 const QString& filter) = 0;
    virtual Answer question(QWidget* parent, const QString& title, const QString& text,
                            bool withCancel) = 0;
    virtual void warning(QWidget* parent, const QString& title, const QString& text) = 0;

    /// The process-wide provider (a QtDialogProvider unless a test installed another one).
    static DialogProvider& instance();
    /// Installs `provider` (not owned; nullptr restores the default).
    static void setInstance(DialogProvider* provider);
};

/// Default implementation: QFileDialog and QMessageBox.
class QtDialogProvider : public DialogProvider {
public:
    QString openFileName(QWidget* parent, const QString& caption, const QString& dir,
                         const QString& filter) override;
    QString saveFileName(QWidget* parent, const QString& caption, const QString& dir,
                         const QString& filter) override;
    Answer question(QWidget* parent, const QString& title, const QString& text, bool withCancel) override;
    void warning(QWidget* parent, const QString& title, const QString& text) override;
};

} // namespace cklab::ui
