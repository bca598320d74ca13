#include "ui/forms/FieldProblems.h"

#include <QRegularExpression>
#include <QWidget>

namespace cklab::ui {

namespace {
constexpr const char* kMarked = "cklabFieldProblem";
constexpr const char* kPlainToolTip = "cklabPlainToolTip";

QString rowName(const QString& list)
{
    if (list == QLatin1String("layers"))
        return QObject::tr("Layer");
    if (list == QLatin1String("checkpoints"))
        return QObject::tr("Policy");
    if (list == QLatin1String("metrics"))
        return QObject::tr("Metric");
    return list;
}
} // namespace

QString readableProblem(const QString& problem)
{
    static const QRegularExpression indexed(QStringLiteral(R"(^((?:[a-z_]+\.)*)([a-z_]+)\[(\d+)\]((?:\.[A-Za-z_.]+)?): (.*)$)"),
                                            QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch m = indexed.match(problem);
    if (!m.hasMatch())
        return problem;
    const int row = m.captured(3).toInt() + 1;
    const QString field = m.captured(4).mid(1);
    const QString path = problem.left(problem.indexOf(QLatin1String(": ")));
    QString text = QStringLiteral("%1 %2").arg(rowName(m.captured(2))).arg(row);
    if (!field.isEmpty())
        text += QStringLiteral(", ") + field;
    return QStringLiteral("%1: %2 (%3)").arg(text, m.captured(5), path);
}

void markField(QWidget* field, const QString& problem)
{
    if (!field)
        return;
    const bool marked = !problem.isEmpty();
    if (marked == isFieldMarked(field) && (!marked || field->toolTip() == problem))
        return;
    if (marked && !isFieldMarked(field))
        field->setProperty(kPlainToolTip, field->toolTip());
    field->setProperty(kMarked, marked);
    field->setToolTip(marked ? problem : field->property(kPlainToolTip).toString());
    // A frame in the error colour, whatever the widget's kind; the class selector keeps it off
    // the widget's children. Style sheets spell a namespaced class "cklab--ui--SciSpinBox".
    field->setStyleSheet(marked ? QStringLiteral("%1 { border: 2px solid #d32f2f; border-radius: 3px; }")
                                      .arg(QString::fromLatin1(field->metaObject()->className())
                                               .replace(QStringLiteral("::"), QStringLiteral("--")))
                                : QString());
}

bool isFieldMarked(const QWidget* field) { return field && field->property(kMarked).toBool(); }

} // namespace cklab::ui
