#include "ui/forms/FormRows.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QSpinBox>

#include "ui/forms/SciSpinBox.h"

namespace cklab::ui {

FormRows::FormRows(QFormLayout* layout, Edited edited)
    : m_layout(layout), m_edited(std::move(edited))
{
}

void FormRows::name(QWidget* widget, const char* objectName, const QString& tip)
{
    widget->setObjectName(QLatin1String(objectName));
    widget->setToolTip(tip);
}

QSpinBox* FormRows::integer(const QString& label, const char* name, const char* key, int min, int max,
                            const QString& tip)
{
    auto* spin = new QSpinBox;
    spin->setRange(min, max);
    FormRows::name(spin, name, tip);
    m_layout->addRow(label, spin);
    if (key)
        QObject::connect(spin, &QSpinBox::valueChanged, spin, [edited = m_edited, key] { edited(QLatin1String(key)); });
    return spin;
}

QDoubleSpinBox* FormRows::decimal(const QString& label, const char* name, const char* key, double min, double max,
                                  int decimals, double step, const QString& tip)
{
    auto* spin = new QDoubleSpinBox;
    spin->setRange(min, max);
    spin->setDecimals(decimals);
    spin->setSingleStep(step);
    FormRows::name(spin, name, tip);
    m_layout->addRow(label, spin);
    if (key)
        QObject::connect(spin, &QDoubleSpinBox::valueChanged, spin,
                         [edited = m_edited, key] { edited(QLatin1String(key)); });
    return spin;
}

SciSpinBox* FormRows::scientific(const QString& label, const char* name, const char* key, const QString& tip)
{
    auto* spin = new SciSpinBox;
    FormRows::name(spin, name, tip);
    m_layout->addRow(label, spin);
    if (key)
        QObject::connect(spin, &QDoubleSpinBox::valueChanged, spin,
                         [edited = m_edited, key] { edited(QLatin1String(key)); });
    return spin;
}

QCheckBox* FormRows::check(const QString& text, const char* name, const char* key, const QString& tip)
{
    auto* box = new QCheckBox(text);
    FormRows::name(box, name, tip);
    m_layout->addRow(QString(), box);
    if (key)
        QObject::connect(box, &QCheckBox::toggled, box, [edited = m_edited, key] { edited(QLatin1String(key)); });
    return box;
}

QComboBox* FormRows::choice(const QString& label, const char* name, const char* key, const QStringList& items,
                            const QString& tip)
{
    auto* combo = new QComboBox;
    combo->addItems(items);
    FormRows::name(combo, name, tip);
    m_layout->addRow(label, combo);
    if (key)
        QObject::connect(combo, &QComboBox::currentIndexChanged, combo,
                         [edited = m_edited, key] { edited(QLatin1String(key)); });
    return combo;
}

QComboBox* FormRows::editableChoice(const QString& label, const char* name, const char* key, const QStringList& items,
                                    const QString& tip)
{
    auto* combo = new QComboBox;
    combo->setEditable(true);
    combo->addItems(items);
    FormRows::name(combo, name, tip);
    m_layout->addRow(label, combo);
    if (key)
        QObject::connect(combo, &QComboBox::editTextChanged, combo,
                         [edited = m_edited, key] { edited(QLatin1String(key)); });
    return combo;
}

QLineEdit* FormRows::text(const QString& label, const char* name, const char* key, const QString& tip)
{
    auto* line = new QLineEdit;
    FormRows::name(line, name, tip);
    m_layout->addRow(label, line);
    if (key)
        QObject::connect(line, &QLineEdit::textChanged, line, [edited = m_edited, key] { edited(QLatin1String(key)); });
    return line;
}

namespace {

template <class Value>
QWidget* optionalRow(QCheckBox* box, Value* value)
{
    auto* row = new QWidget;
    auto* h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    h->addWidget(box);
    h->addWidget(value, 1);
    // The value means something only while its box is checked.
    QObject::connect(box, &QCheckBox::toggled, value, &QWidget::setEnabled);
    return row;
}

} // namespace

std::pair<QCheckBox*, SciSpinBox*> FormRows::optionalScientific(const QString& label, const char* boxName,
                                                                const char* valueName, const char* key,
                                                                const QString& boxTip, const QString& valueTip)
{
    auto* box = new QCheckBox;
    FormRows::name(box, boxName, boxTip);
    auto* value = new SciSpinBox;
    FormRows::name(value, valueName, valueTip);
    m_layout->addRow(label, optionalRow(box, value));
    if (key) {
        QObject::connect(box, &QCheckBox::toggled, box, [edited = m_edited, key] { edited(QLatin1String(key)); });
        QObject::connect(value, &QDoubleSpinBox::valueChanged, value,
                         [edited = m_edited, key] { edited(QLatin1String(key)); });
    }
    return {box, value};
}

std::pair<QCheckBox*, QSpinBox*> FormRows::optionalInteger(const QString& label, const char* boxName,
                                                           const char* valueName, const char* key, int min, int max,
                                                           const QString& boxTip, const QString& valueTip)
{
    auto* box = new QCheckBox;
    FormRows::name(box, boxName, boxTip);
    auto* value = new QSpinBox;
    value->setRange(min, max);
    FormRows::name(value, valueName, valueTip);
    m_layout->addRow(label, optionalRow(box, value));
    if (key) {
        QObject::connect(box, &QCheckBox::toggled, box, [edited = m_edited, key] { edited(QLatin1String(key)); });
        QObject::connect(value, &QSpinBox::valueChanged, value, [edited = m_edited, key] { edited(QLatin1String(key)); });
    }
    return {box, value};
}

void FormRows::add(const QString& label, QWidget* widget)
{
    m_layout->addRow(label, widget);
}

QGroupBox* FormRows::checkableGroup(const QString& title, const char* name, const char* key, const QString& tip,
                                    const Edited& edited)
{
    auto* group = new QGroupBox(title);
    group->setCheckable(true);
    FormRows::name(group, name, tip);
    new QFormLayout(group);
    if (key)
        QObject::connect(group, &QGroupBox::toggled, group, [edited, key] { edited(QLatin1String(key)); });
    return group;
}

QFormLayout* FormRows::groupLayout(QGroupBox* group)
{
    return qobject_cast<QFormLayout*>(group->layout());
}

} // namespace cklab::ui
