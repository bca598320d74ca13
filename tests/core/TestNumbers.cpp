// Numbers in files are C-locale whatever LC_NUMERIC says: under de_DE.UTF-8 (decimal comma)
// strtod("0.25") reads 0 and printf("%g", 0.25) writes "0,25"; core/base/Numbers.h must not.
#include <QtTest>

#include <clocale>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "core/base/Numbers.h"
#include "core/io/KerasConfig.h"
#include "core/project/JsonReader.h"
#include "core/project/HistoryFile.h"

using namespace cklab;

class TestNumbers : public QObject {
    Q_OBJECT
    std::string m_previous;

private slots:
    void initTestCase()
    {
        m_previous = std::setlocale(LC_ALL, nullptr);
        if (!std::setlocale(LC_ALL, "de_DE.UTF-8"))
            QFAIL("the de_DE.UTF-8 locale is not generated (scripts/install-deps.sh generates it)");
        // The premise: the C library really reads and writes commas now.
        QCOMPARE(std::strtod("0.25", nullptr), 0.0);
        char printed[16];
        std::snprintf(printed, sizeof printed, "%g", 0.25);
        QCOMPARE(QString(printed), QString("0,25"));
    }
    void cleanupTestCase() { std::setlocale(LC_ALL, m_previous.c_str()); }

    void roundTrip_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("dropout") << 0.25 << "0.25";
        QTest::newRow("learning rate") << 0.001 << "0.001";
        QTest::newRow("negative") << -1.5 << "-1.5";
        QTest::newRow("large") << 1e300 << "1e+300";
        QTest::newRow("integer") << 3.0 << "3";
    }
    void roundTrip()
    {
        QFETCH(double, value);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(formatDouble(value)), text);
        const auto parsed = parseDouble(text.toStdString());
        QVERIFY(parsed);
        QCOMPARE(*parsed, value);
    }

    void refusesWhatIsNoNumber_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("comma") << "0,25";
        QTest::newRow("trailing") << "0.25x";
        QTest::newRow("space") << " 0.25";
        QTest::newRow("empty") << "";
        QTest::newRow("out of range") << "1e400";
    }
    void refusesWhatIsNoNumber()
    {
        QFETCH(QString, text);
        QVERIFY(!parseDouble(text.toStdString()));
    }

    void shortestOfAFloat()
    {
        QCOMPARE(shortestDouble(0.001f), 0.001);
        QCOMPARE(shortestDouble(0.25f), 0.25);
        QCOMPARE(floatToJson(0.001f).get<double>(), 0.001);
        QCOMPARE(QString::fromStdString(floatToJson(0.1f).dump()), QString("0.1"));
    }

    /// The .keras config of a model with dropout 0.25 and learning rate 0.001 says so.
    void kerasConfigUnderTheLocale()
    {
        ModelSpec spec;
        spec.inputDim = 4;
        LayerSpec dense;
        dense.units = 8;
        LayerSpec dropout;
        dropout.kind = LayerSpec::Kind::Dropout;
        dropout.rate = 0.25f;
        spec.layers = {dense, dropout};
        OptimizerConfig optimizer;
        optimizer.learningRate = 0.001f;
        const std::string config =
            modelConfigJson(spec, KerasFlavour::Keras3).dump() + optimizerJson(optimizer, KerasFlavour::Keras3).dump();
        QVERIFY2(config.find("\"rate\":0.25") != std::string::npos, config.c_str());
        QVERIFY2(config.find("\"learning_rate\":0.001") != std::string::npos, config.c_str());
    }

    /// A CSVLogger history reads its decimals under the locale.
    void csvHistoryUnderTheLocale()
    {
        const auto calls = parseHistory("epoch,loss,val_accuracy\n0,0.25,0.5\n", "h.csv", false);
        bool found = false;
        for (const auto& call : calls)
            if (call.logs.count("loss")) {
                QCOMPARE(call.logs.at("loss"), 0.25);
                QCOMPARE(call.logs.at("val_accuracy"), 0.5);
                found = true;
            }
        QVERIFY(found);
    }
};

QTEST_GUILESS_MAIN(TestNumbers)
#include "TestNumbers.moc"
