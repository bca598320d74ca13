#pragma once
/// Builds a form one line per field: each call creates the widget, gives it its object name (the
/// handle tests and field marks use) and tooltip, adds the row, and reports every change the
/// user makes as the field's project key ("optimizer.beta_1") to the form's `edited` callback.
/// A null `key` adds the widget without a connection (for fields with their own handler).
#include <QString>
#include <QStringList>
#include <functional>
#include <utility>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLineEdit;
class QSpinBox;
class QWidget;

namespace cklab::ui {

class SciSpinBox;

class FormRows {
public:
    using Edited = std::function<void(const QString& key)>;

    FormRows(QFormLayout* layout, Edited edited);
    QFormLayout* layout() const { return m_layout; }

    QSpinBox* integer(const QString& label, const char* name, const char* key, int min, int max, const QString& tip);
    /// A plain decimal field; out-of-range values are left to the core's validation to explain.
    QDoubleSpinBox* decimal(const QString& label, const char* name, const char* key, double min, double max,
                            int decimals, double step, const QString& tip);
    /// Learning rates, epsilons, thresholds: compact or scientific notation (SciSpinBox).
    SciSpinBox* scientific(const QString& label, const char* name, const char* key, const QString& tip);
    /// A check box on a row of its own, its text beside it.
    QCheckBox* check(const QString& text, const char* name, const char* key, const QString& tip);
    /// A fixed list; changes are reported on index change.
    QComboBox* choice(const QString& label, const char* name, const char* key, const QStringList& items,
                      const QString& tip);
    /// A list the user may also type into; changes are reported on every edit of the text.
    QComboBox* editableChoice(const QString& label, const char* name, const char* key, const QStringList& items,
                              const QString& tip);
    QLineEdit* text(const QString& label, const char* name, const char* key, const QString& tip);
    /// "[x] value" on one row: an optional value whose box enables it (baseline, threshold).
    /// The box and the value both report `key`.
    std::pair<QCheckBox*, SciSpinBox*> optionalScientific(const QString& label, const char* boxName,
                                                          const char* valueName, const char* key,
                                                          const QString& boxTip, const QString& valueTip);
    std::pair<QCheckBox*, QSpinBox*> optionalInteger(const QString& label, const char* boxName, const char* valueName,
                                                     const char* key, int min, int max, const QString& boxTip,
                                                     const QString& valueTip);
    /// Any other widget, named, on a labelled row.
    void add(const QString& label, QWidget* widget);

    /// A checkable group box whose check state is the field `key` ("csv_logger.enabled"); put
    /// its rows in with FormRows(groupLayout(group), edited).
    static QGroupBox* checkableGroup(const QString& title, const char* name, const char* key, const QString& tip,
                                     const Edited& edited);
    static QFormLayout* groupLayout(QGroupBox* group);

private:
    static void name(QWidget* widget, const char* objectName, const QString& tip);

    QFormLayout* m_layout;
    Edited m_edited;
};

} // namespace cklab::ui
