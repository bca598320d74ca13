// Run > Evaluate checkpoint in one main window: example 2 trained and evaluated (the confusion
// matrix in the view equals the core evaluation of the same file and sums to the sample count),
// then an Iris project trained and evaluated in the same window (its three species, no stale
// rows). The dialog evaluates on a pool thread. Also: the view's shading, tooltips and the
// misclassified grid for image data, and a diverged (all-NaN) checkpoint between two good ones.
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "core/io/CheckpointFile.h"
#include "core/project/CheckpointEvaluation.h"
#include "core/project/ProjectJson.h"
#include "core/project/ShippedExamples.h"
#include "tests/support/MainWindowDriving.h"
#include "ui/session/ConfusionMatrixModel.h"
#include "ui/session/EvaluateDialog.h"
#include "ui/session/EvaluationView.h"
#include "ui/widgets/ImageGrid.h"

using namespace cklab;
using namespace cklab::ui;
using cklab::test::child;

namespace {

/// What the dialog showed of one evaluation.
struct Shown {
    QString path;
    bool startedAsync = false;
    bool ok = false;
    QStringList rowNames, columnNames;
    std::vector<std::vector<long long>> counts;
    QString tooltip01;
    int perClassRows = -1;
    int misclassifiedRows = -1;
    int misclassifiedColumns = -1;
};

Shown evaluateInDialog(MainWindow& w)
{
    Shown s;
    QTimer::singleShot(0, &w, [&] {
        auto* dialog = qobject_cast<EvaluateDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        s.path = child<QLineEdit>(dialog, QStringLiteral("checkpointPath"))->text();
        QSignalSpy evaluated(dialog, &EvaluateDialog::evaluated);
        QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("evaluateButton")), Qt::LeftButton);
        // The result arrives through the event loop, so right after the click it is not there yet.
        s.startedAsync = child<QPlainTextEdit>(dialog, QStringLiteral("resultText"))->toPlainText().startsWith("Evaluating");
        if (evaluated.wait(60000) && evaluated.at(0).at(0).toBool()) {
            s.ok = true;
            auto* view = child<QTableView>(dialog, QStringLiteral("confusionMatrix"));
            QAbstractItemModel* m = view->model();
            for (int r = 0; r < m->rowCount(); ++r) {
                s.rowNames << m->headerData(r, Qt::Vertical).toString();
                s.counts.emplace_back();
                for (int c = 0; c < m->columnCount(); ++c)
                    s.counts.back().push_back(m->index(r, c).data(Qt::UserRole).toLongLong());
            }
            for (int c = 0; c < m->columnCount(); ++c)
                s.columnNames << m->headerData(c, Qt::Horizontal).toString();
            if (m->rowCount() > 1)
                s.tooltip01 = m->index(0, 1).data(Qt::ToolTipRole).toString();
            s.perClassRows = child<QTableWidget>(dialog, QStringLiteral("perClassTable"))->rowCount();
            auto* wrong = child<QTableWidget>(dialog, QStringLiteral("misclassifiedTable"));
            s.misclassifiedRows = wrong->rowCount();
            s.misclassifiedColumns = wrong->columnCount();
        }
        dialog->close();
    });
    child<QAction>(&w, QStringLiteral("actionEvaluateCheckpoint"))->trigger();
    return s;
}

Evaluation coreEvaluation(const Project& project, const QString& file, const QString& baseDir)
{
    CheckpointEvaluationRequest request;
    request.checkpoint = file.toStdString();
    RunOptions options;
    options.baseDir = baseDir.toStdString();
    return evaluateCheckpointFile(project, request, options).evaluation;
}

long long total(const std::vector<std::vector<long long>>& counts)
{
    long long n = 0;
    for (const auto& row : counts)
        for (const long long v : row)
            n += v;
    return n;
}

} // namespace

class TestEvaluateSession : public QObject {
    Q_OBJECT
    cklab::test::SilentDialogs m_dialogs;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("CheckpointLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("TestEvaluateSession"));
        QSettings().clear();
        DialogProvider::setInstance(&m_dialogs);
    }
    void cleanupTestCase() { DialogProvider::setInstance(nullptr); }

    void twoProjectsInOneWindow()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const ShippedExample* ex = shippedExample(2);
        QVERIFY(ex);
        Project ex2 = parseProjectText(std::string(ex->json), std::string(ex->fileName));
        const QString ex2Path = dir.filePath(QStringLiteral("ex2.json"));
        saveProjectFile(ex2Path.toStdString(), ex2);

        Project iris = ex2;
        iris.name = "iris";
        iris.data.source = "iris";
        iris.data.validationSplit = 0.2;
        iris.data.standardize = true;
        iris.model.inputDim = 0;
        iris.model.layers.back().units = 3;
        iris.checkpoints[0].filepath = "iris_ck/best.keras";
        const QString irisPath = dir.filePath(QStringLiteral("iris.json"));
        saveProjectFile(irisPath.toStdString(), iris);

        MainWindow w;
        w.resize(1200, 800);
        QVERIFY(w.openProject(ex2Path));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));

        // ---- example 2: two numbered classes, 20 validation samples --------------------------
        QVERIFY(cklab::test::train(w));
        const Shown first = evaluateInDialog(w);
        QVERIFY2(first.path.endsWith(QStringLiteral("best.keras")), qPrintable(first.path));
        QVERIFY(first.startedAsync);
        QVERIFY(first.ok);
        const Evaluation core2 = coreEvaluation(w.project(), first.path, dir.path());
        QCOMPARE(first.counts, core2.confusion);
        QCOMPARE(total(first.counts), 20LL);
        QCOMPARE(first.rowNames, (QStringList{"class 0", "class 1"}));
        QCOMPARE(first.columnNames, first.rowNames);
        const long long row0 = first.counts[0][0] + first.counts[0][1];
        QCOMPARE(first.tooltip01, QStringLiteral("true class 0 predicted class 1: %1 samples (%2 % of class 0)")
                                      .arg(first.counts[0][1])
                                      .arg(row0 ? QString::number(100.0 * double(first.counts[0][1]) / double(row0), 'f', 1)
                                                : QStringLiteral("–")));
        QCOMPARE(first.perClassRows, 2);
        QCOMPARE(first.misclassifiedRows, int(std::min<std::size_t>(core2.misclassified.size(), kShownMisclassified)));
        QCOMPARE(first.misclassifiedColumns, 5 + 4); // row, five features, true, predicted, confidence

        // ---- another project in the same window: three species, 30 validation samples --------
        QVERIFY(w.openProject(irisPath));
        QVERIFY(cklab::test::train(w));
        const Shown second = evaluateInDialog(w);
        QVERIFY2(second.path.contains(QStringLiteral("iris_ck")), qPrintable(second.path));
        QVERIFY(second.ok);
        QCOMPARE(second.rowNames, (QStringList{"setosa", "versicolor", "virginica"}));
        QCOMPARE(second.columnNames, second.rowNames);
        const Evaluation coreIris = coreEvaluation(w.project(), second.path, dir.path());
        QCOMPARE(second.counts, coreIris.confusion);
        QCOMPARE(total(second.counts), 30LL);
        QCOMPARE(second.perClassRows, 3);
        QCOMPARE(second.misclassifiedColumns, 4 + 4);
    }

    // A diverged run's checkpoint (every weight NaN) evaluated in the same dialog between two
    // good ones: the dialog counts the non-finite outputs, the loss reads nan, the notice shows
    // above an empty matrix, and the next good file clears it.
    void divergedCheckpointBetweenGoodOnes()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const ShippedExample* ex = shippedExample(2);
        QVERIFY(ex);
        Project ex2 = parseProjectText(std::string(ex->json), std::string(ex->fileName));
        const QString ex2Path = dir.filePath(QStringLiteral("ex2.json"));
        saveProjectFile(ex2Path.toStdString(), ex2);
        MainWindow w;
        w.resize(1200, 800);
        QVERIFY(w.openProject(ex2Path));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(cklab::test::train(w));

        Model diverged(w.project().model, CompileConfig{});
        for (Matrix* v : diverged.network().variables())
            v->setConstant(std::numeric_limits<float>::quiet_NaN());
        const QString nanPath = dir.filePath(QStringLiteral("diverged.keras"));
        saveCheckpoint(nanPath.toStdString(), diverged);

        struct Seen {
            bool ok = false;
            QString text, notice;
            bool noticeVisible = false;
            long long matrixTotal = -1;
        };
        QList<Seen> seen;
        QString goodPath;
        QTimer::singleShot(0, &w, [&] {
            auto* dialog = qobject_cast<EvaluateDialog*>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            auto* path = child<QLineEdit>(dialog, QStringLiteral("checkpointPath"));
            goodPath = path->text();
            for (const QString& file : {goodPath, nanPath, goodPath}) {
                path->setText(file);
                QSignalSpy evaluated(dialog, &EvaluateDialog::evaluated);
                QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("evaluateButton")), Qt::LeftButton);
                Seen s;
                s.ok = evaluated.wait(60000) && evaluated.at(0).at(0).toBool();
                s.text = child<QPlainTextEdit>(dialog, QStringLiteral("resultText"))->toPlainText();
                auto* notice = child<QLabel>(dialog, QStringLiteral("evaluationNotice"));
                s.notice = notice->text();
                s.noticeVisible = notice->isVisible();
                QAbstractItemModel* m = child<QTableView>(dialog, QStringLiteral("confusionMatrix"))->model();
                s.matrixTotal = 0;
                for (int r = 0; r < m->rowCount(); ++r)
                    for (int c = 0; c < m->columnCount(); ++c)
                        s.matrixTotal += m->index(r, c).data(Qt::UserRole).toLongLong();
                seen << s;
            }
            dialog->close();
        });
        child<QAction>(&w, QStringLiteral("actionEvaluateCheckpoint"))->trigger();
        QCOMPARE(seen.size(), 3);
        QVERIFY2(goodPath.endsWith(QStringLiteral("best.keras")), qPrintable(goodPath));

        for (const int good : {0, 2}) {
            QVERIFY(seen[good].ok);
            QVERIFY2(!seen[good].noticeVisible, qPrintable(seen[good].notice));
            QVERIFY2(!seen[good].text.contains(QStringLiteral("non-finite")), qPrintable(seen[good].text));
            QCOMPARE(seen[good].matrixTotal, 20LL);
        }
        const Seen& bad = seen[1];
        QVERIFY(bad.ok);
        const Evaluation core = coreEvaluation(w.project(), nanPath, dir.path());
        QCOMPARE(core.nonFiniteSamples, 20LL);
        const QString notice = QString::fromStdString(core.nonFiniteNotice());
        QVERIFY(notice.startsWith(QStringLiteral("20 of 20 samples have non-finite")));
        QVERIFY(bad.noticeVisible);
        QCOMPARE(bad.notice, notice);
        QVERIFY2(bad.text.contains(QStringLiteral("  non-finite outputs: ") + notice), qPrintable(bad.text));
        QVERIFY2(bad.text.contains(QStringLiteral("  loss = nan\n")), qPrintable(bad.text));
        QVERIFY2(bad.text.contains(QStringLiteral("misclassified: 0 of 20, and 20 without a predicted class\n")), qPrintable(bad.text));
        QCOMPARE(bad.matrixTotal, 0LL); // no sample has a predicted class
    }

    void viewShadesAndShowsImages()
    {
        // Image data: the misclassified samples appear in the grid, captioned true -> predicted.
        EvaluationResult r;
        r.ok = true;
        const Matrix out = (Matrix(3, 2) << 0.9f, 0.1f, 0.2f, 0.8f, 0.3f, 0.7f).finished();
        const Matrix y = (Matrix(3, 2) << 0, 1, 0, 1, 1, 0).finished();
        r.evaluation = evaluateOutputs(out, y, LossKind::CategoricalCrossentropy, 2, {"shirt", "boot"});
        r.sampleShape = {2, 2, 1};
        r.misclassifiedX = Matrix::Constant(2, 4, 0.5f);
        EvaluationView view;
        view.setResult(r);
        auto* grid = child<ImageGrid>(&view, QStringLiteral("misclassifiedGrid"));
        QCOMPARE(grid->imageCount(), 2);
        QCOMPARE(grid->caption(0), QStringLiteral("boot → shirt (90.0 %)")); // row 0, the surest mistake
        QCOMPARE(grid->caption(1), QStringLiteral("shirt → boot (70.0 %)"));
        QCOMPARE(child<QTableWidget>(&view, QStringLiteral("misclassifiedTable"))->rowCount(), 0);

        // Diagonal green, off-diagonal red; the diagonal stays tinted (fainter) even at 0 samples.
        ConfusionMatrixModel* m = view.confusionModel();
        const QColor diag = m->index(1, 1).data(Qt::BackgroundRole).value<QBrush>().color();
        const QColor off = m->index(1, 0).data(Qt::BackgroundRole).value<QBrush>().color();
        QVERIFY(diag.green() > diag.red());
        QVERIFY(off.red() > off.green());
        QCOMPARE(m->index(0, 0).data(Qt::UserRole).toLongLong(), 0LL);
        const QVariant empty = m->index(0, 0).data(Qt::BackgroundRole);
        QVERIFY(empty.isValid());
        QVERIFY(empty.value<QBrush>().color().alphaF() < diag.alphaF());
        QVERIFY(m->index(0, 0).data(Qt::FontRole).value<QFont>().bold());
        QCOMPARE(m->index(1, 0).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("true boot predicted shirt: 1 samples (50.0 % of boot)"));

        // A regression result replaces all of it with the notice.
        EvaluationResult reg;
        reg.ok = true;
        reg.evaluation = evaluateOutputs(Matrix::Constant(2, 1, 1.0f), Matrix::Constant(2, 1, 0.0f),
                                         LossKind::MeanSquaredError, 0, {});
        view.setResult(reg);
        QCOMPARE(m->rowCount(), 0);
        QCOMPARE(grid->imageCount(), 0);
        QVERIFY(child<QLabel>(&view, QStringLiteral("evaluationNotice"))->text().contains("regression"));
    }
};

QTEST_MAIN(TestEvaluateSession)
#include "TestEvaluateSession.moc"
