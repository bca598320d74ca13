// Every conformance row of spec checkpointing.md §9, driven by hand as a user's loop would,
// on a simulated store (what would be written, in order) with the exact verbose messages.
#include <QtTest>

#include "core/base/Errors.h"
#include "tests/support/CheckpointHarness.h"

using namespace cklab;

Q_DECLARE_METATYPE(cklab::CheckpointConfig)

namespace {

CheckpointConfig config(const std::string& filepath, const std::string& monitor = "val_loss", bool bestOnly = false,
                        const std::string& mode = "auto", const std::string& saveFreq = "epoch")
{
    CheckpointConfig c;
    c.filepath = filepath;
    c.monitor = monitor;
    c.saveBestOnly = bestOnly;
    c.mode = mode;
    c.saveFreq = saveFreq;
    c.verbose = 1;
    c.saveWeightsOnly = filepath.size() > 11 && filepath.substr(filepath.size() - 11) == ".weights.h5";
    return c;
}

QStringList toList(const std::vector<std::string>& v)
{
    QStringList out;
    for (const auto& s : v)
        out << QString::fromStdString(s);
    return out;
}

} // namespace

class TestConformance : public QObject {
    Q_OBJECT
private slots:
    void rows_data();
    void rows();
    void row9ConstructionError();
};

void TestConformance::rows_data()
{
    QTest::addColumn<CheckpointConfig>("cfg");
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("writes");
    QTest::addColumn<QStringList>("messages");
    QTest::addColumn<QString>("error");

    QTest::newRow("1 fixed path overwritten")
        << config("ckpt.keras") << "TB; EE 0 val_loss=.9; EE 1 val_loss=.8; TE"
        << QStringList{"ckpt.keras", "ckpt.keras"}
        << QStringList{"Epoch 1: saving model to ckpt.keras", "Epoch 2: saving model to ckpt.keras"} << "";

    QTest::newRow("2 format spec in path")
        << config("ck/{epoch:03d}-{loss:.4f}-{val_loss:.2f}.keras")
        << "TB; EE 0 loss=.5 val_loss=.912; EE 1 loss=.5 val_loss=.8; TE"
        << QStringList{"ck/001-0.5000-0.91.keras", "ck/002-0.5000-0.80.keras"}
        << QStringList{"Epoch 1: saving model to ck/001-0.5000-0.91.keras", "Epoch 2: saving model to ck/002-0.5000-0.80.keras"}
        << "";

    QTest::newRow("3 best only, auto -> min")
        << config("best.keras", "val_loss", true)
        << "TB; EE 0 val_loss=.5; EE 1 val_loss=.6; EE 2 val_loss=.4; EE 3 val_loss=.4; TE"
        << QStringList{"best.keras", "best.keras"}
        << QStringList{"Epoch 1: val_loss improved from inf to 0.50000, saving model to best.keras",
                       "Epoch 2: val_loss did not improve from 0.50000",
                       "Epoch 3: val_loss improved from 0.50000 to 0.40000, saving model to best.keras",
                       "Epoch 4: val_loss did not improve from 0.40000"}
        << "";

    QTest::newRow("4 max, tie does not improve")
        << config("best-{epoch:02d}.keras", "val_acc", true, "max")
        << "TB; EE 0 val_acc=.7; EE 1 val_acc=.8; EE 2 val_acc=.8; EE 3 val_acc=.9; TE"
        << QStringList{"best-01.keras", "best-02.keras", "best-04.keras"}
        << QStringList{"Epoch 1: val_acc improved from -inf to 0.70000, saving model to best-01.keras",
                       "Epoch 2: val_acc improved from 0.70000 to 0.80000, saving model to best-02.keras",
                       "Epoch 3: val_acc did not improve from 0.80000",
                       "Epoch 4: val_acc improved from 0.80000 to 0.90000, saving model to best-04.keras"}
        << "";

    CheckpointConfig threshold = config("best.keras", "val_loss", true, "min");
    threshold.initialValueThreshold = 0.3;
    QTest::newRow("5 initial_value_threshold, equality does not save")
        << threshold << "TB; EE 0 val_loss=.5; EE 1 val_loss=.3; EE 2 val_loss=.2; TE" << QStringList{"best.keras"}
        << QStringList{"Epoch 1: val_loss did not improve from 0.30000", "Epoch 2: val_loss did not improve from 0.30000",
                       "Epoch 3: val_loss improved from 0.30000 to 0.20000, saving model to best.keras"}
        << "";

    QTest::newRow("6 save_freq 2 counts across epochs")
        << config("e{epoch}-b{batch}.keras", "val_loss", false, "auto", "2")
        << "TB; EB 0; BE 0 loss=1; BE 1 loss=1; BE 2 loss=1; EE 0 loss=1; "
           "EB 1; BE 0 loss=1; BE 1 loss=1; BE 2 loss=1; EE 1 loss=1; TE"
        << QStringList{"e1-b2.keras", "e2-b1.keras", "e2-b3.keras"}
        << QStringList{"Epoch 1: saving model to e1-b2.keras", "Epoch 2: saving model to e2-b1.keras",
                       "Epoch 2: saving model to e2-b3.keras"}
        << "";

    const QString row7Error = "Failed to format this callback filepath: \"m-{val_loss:.2f}.keras\". Reason: 'val_loss'";
    QTest::newRow("7 val key at batch level")
        << config("m-{val_loss:.2f}.keras", "val_loss", false, "auto", "2") << "TB; EB 0; BE 0 loss=1; BE 1 loss=1; TE"
        << QStringList{} << QStringList{row7Error} << row7Error;

    const QString row8Error = "Failed to format this callback filepath: \"m-{epoch}-{batch}.keras\". Reason: 'batch'";
    QTest::newRow("8 batch key at epoch level")
        << config("m-{epoch}-{batch}.keras") << "TB; EE 0 loss=1 val_loss=1; TE" << QStringList{} << QStringList{row8Error}
        << row8Error;

    QTest::newRow("10 NaN never improves")
        << config("best.keras", "val_loss", true) << "TB; EE 0 val_loss=nan; EE 1 val_loss=.2; EE 2 val_loss=.1; TE"
        << QStringList{"best.keras", "best.keras"}
        << QStringList{"Epoch 1: val_loss did not improve from inf",
                       "Epoch 2: val_loss improved from inf to 0.20000, saving model to best.keras",
                       "Epoch 3: val_loss improved from 0.20000 to 0.10000, saving model to best.keras"}
        << "";

    QTest::newRow("11 weights only, best only, formatted")
        << config("w-{epoch:02d}-{val_loss:.3f}.weights.h5", "val_loss", true)
        << "TB; EE 0 val_loss=.25; EE 1 val_loss=.3; EE 2 val_loss=.125; TE"
        << QStringList{"w-01-0.250.weights.h5", "w-03-0.125.weights.h5"}
        << QStringList{"Epoch 1: val_loss improved from inf to 0.25000, saving model to w-01-0.250.weights.h5",
                       "Epoch 2: val_loss did not improve from 0.25000",
                       "Epoch 3: val_loss improved from 0.25000 to 0.12500, saving model to w-03-0.125.weights.h5"}
        << "";

    QTest::newRow("12 monitor missing on unvalidated epoch")
        << config("best.keras", "val_loss", true) << "TB; EE 0 loss=.9; EE 1 loss=.8 val_loss=.5; TE"
        << QStringList{"best.keras"}
        << QStringList{"Can save best model only with val_loss available, skipping.",
                       "Epoch 2: val_loss improved from inf to 0.50000, saving model to best.keras"}
        << "";

    QTest::newRow("13 save_freq 4, later batches never saved")
        << config("m-e{epoch}-b{batch}.keras", "val_loss", false, "auto", "4")
        << "TB; EB 0; BE 0 loss=1; BE 1 loss=1; EE 0 loss=1; EB 1; BE 0 loss=1; BE 1 loss=1; EE 1 loss=1; "
           "EB 2; BE 0 loss=1; BE 1 loss=1; EE 2 loss=1; TE"
        << QStringList{"m-e2-b2.keras"} << QStringList{"Epoch 2: saving model to m-e2-b2.keras"} << "";

    QTest::newRow("14 save_freq 1 with best only")
        << config("b.keras", "loss", true, "auto", "1") << "TB; EB 0; BE 0 loss=1.0; BE 1 loss=.9; BE 2 loss=.95; TE"
        << QStringList{"b.keras", "b.keras"}
        << QStringList{"Epoch 1: loss improved from inf to 1.00000, saving model to b.keras",
                       "Epoch 1: loss improved from 1.00000 to 0.90000, saving model to b.keras",
                       "Epoch 1: loss did not improve from 0.90000"}
        << "";
}

void TestConformance::rows()
{
    QFETCH(CheckpointConfig, cfg);
    QFETCH(QString, script);
    QFETCH(QStringList, writes);
    QFETCH(QStringList, messages);
    QFETCH(QString, error);

    test::Harness h(cfg);
    const QString thrown = QString::fromStdString(h.run(script.toStdString()));
    QCOMPARE(thrown, error);
    QCOMPARE(toList(h.store->writeLog), writes);
    QCOMPARE(toList(h.messages), messages);
    // One event per decision: every message above corresponds to exactly one event.
    QCOMPARE(int(h.events.size()), messages.size());
}

void TestConformance::row9ConstructionError()
{
    CheckpointConfig c = config("w.h5");
    c.saveWeightsOnly = true;
    try {
        test::Harness h(c);
        QFAIL("construction must fail");
    } catch (const ConfigError& e) {
        QCOMPARE(int(e.problems().size()), 1);
        QCOMPARE(QString::fromStdString(e.problems().front()),
                 QString("When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must end in "
                         "`.weights.h5` (Keras weights format). Received: filepath=w.h5"));
    }
}

QTEST_APPLESS_MAIN(TestConformance)
#include "TestConformance.moc"
