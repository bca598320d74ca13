// Runs the three tutorial examples (examples/*.cpp, built executables) in a scratch directory
// and checks the files they leave: names, count, readable by our reader, and their console lines.
// Core headers first: core/optim/Optimizer.h has a member named `slots`, a Qt keyword macro.
#include "core/io/CheckpointFile.h"

#include <QtTest>

using namespace cklab;

namespace {

struct Run {
    int exitCode = -1;
    QStringList lines;
};

Run runExample(const QString& name, const QString& outDir)
{
    Run run;
    const QString exe = QStringLiteral(CKLAB_BINARY_DIR "/examples/") + name;
    if (!QFileInfo::exists(exe)) {
        run.lines << "missing executable " + exe + " (build the examples)";
        return run;
    }
    QProcess p;
    p.setWorkingDirectory(outDir);
    p.start(exe, {outDir});
    if (!p.waitForFinished(120000))
        return run;
    run.exitCode = p.exitCode();
    run.lines = QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    return run;
}

QStringList filesIn(const QString& dir)
{
    return QDir(dir).entryList(QDir::Files, QDir::Name);
}

} // namespace

class TestExamples : public QObject {
    Q_OBJECT
private slots:
    void example1BestOnLoss();
    void example2BestOnValAccuracy();
    void example3SaveEveryBatch();
};

void TestExamples::example1BestOnLoss()
{
    QTemporaryDir dir;
    const Run run = runExample("example1_best_on_loss", dir.path());
    QVERIFY2(run.exitCode == 0, qPrintable(run.lines.join('\n')));
    QCOMPARE(filesIn(dir.filePath("model_checkpoint_ex1")), QStringList{"best.weights.h5"});
    // One line per epoch: improved / did not improve; epoch 1 always improves from inf.
    QCOMPARE(run.lines.size(), 10);
    QVERIFY(run.lines[0].startsWith("Epoch 1: loss improved from inf to "));
    QVERIFY(run.lines[0].endsWith(", saving model to " + dir.filePath("model_checkpoint_ex1/best.weights.h5")));
    for (int i = 0; i < 10; ++i)
        QVERIFY(run.lines[i].startsWith(QString("Epoch %1: loss ").arg(i + 1)));
    const auto loaded = readCheckpoint(dir.filePath("model_checkpoint_ex1/best.weights.h5").toStdString());
    QCOMPARE(loaded.format, CheckpointFormat::WeightsH5);
    QCOMPARE(int(loaded.variables.size()), 4);  // 2 Dense layers: kernel + bias each
    QCOMPARE(int(loaded.variables[0].rows()), 5);
    QCOMPARE(int(loaded.variables[0].cols()), 10);
}

void TestExamples::example2BestOnValAccuracy()
{
    QTemporaryDir dir;
    const Run run = runExample("example2_best_on_val_accuracy", dir.path());
    QVERIFY2(run.exitCode == 0, qPrintable(run.lines.join('\n')));
    QCOMPARE(filesIn(dir.filePath("model_checkpoint_ex2")), QStringList{"best_model.keras"});
    QCOMPARE(run.lines.size(), 10);
    QVERIFY(run.lines[0].startsWith("Epoch 1: val_accuracy improved from -inf to "));
    const auto loaded = readCheckpoint(dir.filePath("model_checkpoint_ex2/best_model.keras").toStdString());
    QCOMPARE(loaded.format, CheckpointFormat::Keras);
    QVERIFY(loaded.spec.has_value());
    QCOMPARE(loaded.spec->inputDim, 5);
    QCOMPARE(int(loaded.variables.size()), 4);
}

void TestExamples::example3SaveEveryBatch()
{
    QTemporaryDir dir;
    const Run run = runExample("example3_save_every_batch", dir.path());
    QVERIFY2(run.exitCode == 0, qPrintable(run.lines.join('\n')));
    QStringList expected;
    for (int e = 1; e <= 2; ++e)
        for (int b = 1; b <= 4; ++b)
            expected << QString("model_e%1_b%2.weights.h5").arg(e, 2, 10, QChar('0')).arg(b, 2, 10, QChar('0'));
    const QString sub = dir.filePath("model_checkpoint_ex3");
    QCOMPARE(filesIn(sub), expected);
    QCOMPARE(run.lines.size(), 8);
    QCOMPARE(run.lines[5], "Epoch 2: saving model to " + sub + "/model_e02_b02.weights.h5");
    for (const auto& name : expected) {
        const auto loaded = readCheckpoint((sub + "/" + name).toStdString());
        QCOMPARE(int(loaded.variables.size()), 4);
    }
}

QTEST_MAIN(TestExamples)
#include "TestExamples.moc"
