#include "ui/session/EvaluationView.h"

#include <QHeaderView>
#include <QLabel>
#include <QStringList>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/session/ConfusionMatrixModel.h"
#include "ui/widgets/ImageGrid.h"

namespace cklab::ui {

namespace {

QTableWidgetItem* cell(const QString& text, bool number)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

// C-locale digits (QString::number): the same text under any desktop locale.
QString fraction(const std::optional<double>& v)
{
    return v ? QString::number(*v, 'f', 4) : QStringLiteral("–");
}

QString percent(double v)
{
    return QString::number(100.0 * v, 'f', 1) + QStringLiteral(" %");
}

QTableWidget* readOnlyTable(const QString& name, QWidget* parent)
{
    auto* t = new QTableWidget(parent);
    t->setObjectName(name);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->verticalHeader()->setVisible(false);
    return t;
}

} // namespace

EvaluationView::EvaluationView(QWidget* parent) : QWidget(parent)
{
    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("evaluationNotice"));
    m_notice->setWordWrap(true);
    m_notice->hide();

    m_confusionModel = new ConfusionMatrixModel(this);
    m_confusion = new QTableView(this);
    m_confusion->setObjectName(QStringLiteral("confusionMatrix"));
    m_confusion->setModel(m_confusionModel);
    m_confusion->setToolTip(tr("Rows: true class; columns: predicted class"));
    m_confusion->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_confusion->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    m_perClass = readOnlyTable(QStringLiteral("perClassTable"), this);
    m_perClass->setColumnCount(5);
    m_perClass->setHorizontalHeaderLabels({tr("Class"), tr("Support"), tr("Predicted"), tr("Recall (accuracy)"),
                                           tr("Precision")});

    m_grid = new ImageGrid(this);
    m_grid->setObjectName(QStringLiteral("misclassifiedGrid"));
    m_grid->setThumbnailSize(84);
    m_grid->setMaxImages(kShownMisclassified);
    m_rows = readOnlyTable(QStringLiteral("misclassifiedTable"), this);
    m_misclassifiedStack = new QStackedWidget(this);
    m_misclassifiedStack->addWidget(m_rows);
    m_misclassifiedStack->addWidget(m_grid);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("evaluationTabs"));
    m_tabs->addTab(m_confusion, tr("Confusion matrix"));
    m_tabs->addTab(m_perClass, tr("Per class"));
    m_tabs->addTab(m_misclassifiedStack, tr("Misclassified"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_notice);
    layout->addWidget(m_tabs, 1);
    m_tabs->hide();
}

void EvaluationView::clear()
{
    m_confusionModel->clear();
    m_perClass->setRowCount(0);
    m_rows->clear();
    m_rows->setRowCount(0);
    m_rows->setColumnCount(0);
    m_grid->clear();
    m_notice->hide();
    m_tabs->hide();
}

void EvaluationView::setResult(const EvaluationResult& result)
{
    clear();
    if (!result.ok)
        return;
    const Evaluation& e = result.evaluation;
    // Outputs that are not numbers (a diverged run's checkpoint) are said first, above the matrix.
    QStringList notices;
    if (e.nonFiniteSamples > 0)
        notices << QString::fromStdString(e.nonFiniteNotice());
    if (!e.classification)
        notices << QString::fromStdString(e.noConfusionReason);
    if (!notices.isEmpty()) {
        m_notice->setText(notices.join(QLatin1Char('\n')));
        m_notice->show();
    }
    if (!e.classification)
        return;
    m_confusionModel->setEvaluation(e);
    showPerClass(e);
    showMisclassified(result);
    m_tabs->setTabText(2, tr("Misclassified (%1)").arg(e.misclassified.size()));
    m_tabs->show();
}

void EvaluationView::showPerClass(const Evaluation& e)
{
    m_perClass->setRowCount(e.classCount());
    for (int c = 0; c < e.classCount(); ++c) {
        const ClassStats& s = e.perClass[static_cast<std::size_t>(c)];
        m_perClass->setItem(c, 0, cell(QString::fromStdString(e.classNames[static_cast<std::size_t>(c)]), false));
        m_perClass->setItem(c, 1, cell(QString::number(s.support), true));
        m_perClass->setItem(c, 2, cell(QString::number(s.predicted), true));
        m_perClass->setItem(c, 3, cell(fraction(s.recall), true));
        m_perClass->setItem(c, 4, cell(fraction(s.precision), true));
    }
    m_perClass->resizeColumnsToContents();
}

void EvaluationView::showMisclassified(const EvaluationResult& r)
{
    const Evaluation& e = r.evaluation;
    const auto shown = static_cast<int>(r.misclassifiedX.rows());
    const auto name = [&](int c) { return QString::fromStdString(e.classNames[static_cast<std::size_t>(c)]); };
    if (!r.sampleShape.empty()) {
        QStringList captions;
        for (int i = 0; i < shown; ++i) {
            const Misclassified& m = e.misclassified[static_cast<std::size_t>(i)];
            captions << tr("%1 → %2 (%3)").arg(name(m.trueClass), name(m.predictedClass), percent(m.confidence));
        }
        m_grid->setImages(r.misclassifiedX, r.sampleShape, captions);
        m_misclassifiedStack->setCurrentWidget(m_grid);
        return;
    }
    const auto features = static_cast<int>(r.misclassifiedX.cols());
    QStringList headers{tr("Row")};
    for (int f = 0; f < features; ++f)
        headers << r.featureNames.value(f, QStringLiteral("x%1").arg(f));
    headers << tr("True") << tr("Predicted") << tr("Confidence");
    m_rows->setColumnCount(int(headers.size()));
    m_rows->setHorizontalHeaderLabels(headers);
    m_rows->setRowCount(shown);
    for (int i = 0; i < shown; ++i) {
        const Misclassified& m = e.misclassified[static_cast<std::size_t>(i)];
        m_rows->setItem(i, 0, cell(QString::number(m.index), true));
        for (int f = 0; f < features; ++f)
            m_rows->setItem(i, 1 + f, cell(QString::number(double(r.misclassifiedX(i, f)), 'g', 6), true));
        m_rows->setItem(i, features + 1, cell(name(m.trueClass), false));
        m_rows->setItem(i, features + 2, cell(name(m.predictedClass), false));
        m_rows->setItem(i, features + 3, cell(percent(m.confidence), true));
    }
    m_rows->resizeColumnsToContents();
    m_misclassifiedStack->setCurrentWidget(m_rows);
}

} // namespace cklab::ui

#include "moc_EvaluationView.cpp"
