// The one JSON reader (core/base/JsonText) and the one non-finite number codec
// (core/base/JsonNumbers) that every project, policy, history and run-record reader uses.
#include <QtTest>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "core/base/Errors.h"
#include "core/base/JsonNumbers.h"
#include "core/base/JsonText.h"

using namespace cklab;
using nlohmann::json;

namespace {

QString problemOf(const std::string& text, bool line = false)
{
    try {
        line ? parseJsonLine(text, "h.jsonl:3") : parseJsonText(text, "f.json");
    } catch (const ConfigError& e) {
        return e.problems().size() == 1 ? QString::fromStdString(e.problems()[0]) : QString("several problems");
    }
    return {};
}

std::string nested(int depth)
{
    return std::string(depth, '[') + std::string(depth, ']');
}

} // namespace

class TestJsonText : public QObject {
    Q_OBJECT

private slots:
    // Python's json.dumps(float("nan")) is NaN, not a string; allow_nan=True is its default.
    void pythonNonFiniteTokens()
    {
        const json j = parseJsonText("{\"a\": NaN, \"b\": Infinity, \"c\": -Infinity, \"d\": [1, NaN, -2],"
                                     " \"s\": \"NaN, Infinity\", \"e\": \"say \\\"NaN\\\"\", \"n\": -1.5}",
                                     "f.json");
        QVERIFY(j["a"].is_number_float() && std::isnan(j["a"].get<double>()));
        QCOMPARE(j["b"].get<double>(), std::numeric_limits<double>::infinity());
        QCOMPARE(j["c"].get<double>(), -std::numeric_limits<double>::infinity());
        QVERIFY(std::isnan(j["d"][1].get<double>()));
        QCOMPARE(j["d"][2], json(-2));
        QCOMPARE(j["s"], json("NaN, Infinity")); // inside strings nothing changes
        QCOMPARE(j["e"], json("say \"NaN\""));
        QCOMPARE(j["n"], json(-1.5));
        QCOMPARE(problemOf("{NaN: 1}"), QString("f.json: malformed JSON at line 1, column 2: an object key must be a "
                                                "string, got NaN"));
        QVERIFY(problemOf("[nan]").startsWith("f.json: malformed JSON at line 1, column ")); // only Python's spelling
        QVERIFY(problemOf("{\"a\": -NaN}").startsWith("f.json: malformed JSON at line 1, column 8: "));
        // The lexer's "last read" shows the file's text, not what the token was replaced with.
        QCOMPARE(problemOf("[1 NaN]"), QString("f.json: malformed JSON at line 1, column 4: syntax error while parsing array - "
                                               "unexpected NaN; expected ']'"));
        QVERIFY2(problemOf("[NaNx]").contains("last read: 'NaNx'"), qPrintable(problemOf("[NaNx]")));
    }

    void byteOrderMarkIsSkipped()
    {
        QCOMPARE(parseJsonText("\xEF\xBB\xBF{\"a\": 1}", "f.json"), json({{"a", 1}}));
        QCOMPARE(parseJsonLine("\xEF\xBB\xBF{\"a\": 1}", "h.jsonl:1"), json({{"a", 1}}));
        // Positions count from after the mark.
        QVERIFY(problemOf("\xEF\xBB\xBF{\"a\": }").startsWith("f.json: malformed JSON at line 1, column 7: "));
        QCOMPARE(std::string(withoutUtf8Bom("\xEF\xBB")), std::string("\xEF\xBB")); // not a whole mark
    }

    void duplicateKeys_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("top level") << R"({"a": 1, "a": 2})"
                                   << R"(f.json: a: duplicate key "a" at line 1, column 10 (first at line 1, column 2); a key may appear once per object)";
        QTest::newRow("nested")
            << "{\"training\": {\"optimizer\": {\"learning_rate\": 0.1,\n  \"learning_rate\": 0.2}}}"
            << R"(f.json: training.optimizer.learning_rate: duplicate key "learning_rate" at line 2, column 3 (first at line 1, column 29); a key may appear once per object)";
        QTest::newRow("in a list")
            << R"({"checkpoints": [{"name": "a"}, {"name": "b", "save_freq": 1, "save_freq": 2}]})"
            << R"(f.json: checkpoints[1].save_freq: duplicate key "save_freq" at line 1, column 63 (first at line 1, column 47); a key may appear once per object)";
        QTest::newRow("top-level list") << R"([{"filepath": "a"}, {"filepath": "b", "filepath": "c"}])"
                                        << R"(f.json: [1].filepath: duplicate key "filepath" at line 1, column 39 (first at line 1, column 22); a key may appear once per object)";
    }

    void duplicateKeys()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(problemOf(text.toStdString()), expected);
    }

    void sameKeyInDifferentObjectsIsFine()
    {
        const json j = parseJsonText(R"({"a": {"x": 1}, "b": {"x": 2}, "l": [{"x": 3}, {"x": 4}]})", "f.json");
        QCOMPARE(j["l"][1]["x"], json(4));
        QCOMPARE(problemOf(R"({"hook": "epoch_end", "logs": {"loss": 1, "loss": 2}})", true),
                 QString(R"(h.jsonl:3: logs.loss: duplicate key "loss" at column 43 (first at column 32); a key may appear once per object)"));
    }

    void nestingDepthIsLimited()
    {
        QCOMPARE(parseJsonText(nested(kMaxJsonDepth), "f.json").is_array(), true);
        QCOMPARE(problemOf(nested(kMaxJsonDepth + 1)),
                 QString("f.json: nested deeper than 64 levels of arrays and objects at line 1, column 65"));
        // 100 000 brackets used to overflow the stack (issue 16 item 6): now an error, at once.
        QElapsedTimer clock;
        clock.start();
        QVERIFY(problemOf(nested(100000)).startsWith("f.json: nested deeper than 64 levels"));
        QVERIFY(problemOf(std::string(100000, '{')).startsWith("f.json: nested deeper than 64 levels"));
        QVERIFY(clock.elapsed() < 5000);
        // Brackets inside strings are text.
        QCOMPARE(parseJsonText("[\"" + std::string(1000, '[') + "\"]", "f.json")[0].get<std::string>().size(),
                 std::size_t(1000));
    }

    void malformedJsonMessages()
    {
        QVERIFY(problemOf("{\n  \"a\": }").startsWith("f.json: malformed JSON at line 2, column 8: syntax error"));
        QVERIFY(problemOf("{\"a\" 1}", true).startsWith("h.jsonl:3: malformed JSON at column 6: syntax error"));
        QCOMPARE(problemOf("[1e999]"), QString("f.json: malformed JSON: number overflow parsing '1e999'"));
        QVERIFY(problemOf("").startsWith("f.json: malformed JSON at line 1, column 1: "));
        QVERIFY(problemOf("[1] [2]").startsWith("f.json: malformed JSON at line 1, column 5: ")); // one document only
    }

    // The one codec: written as strings every JSON reader accepts, read back from those strings,
    // from Python's tokens and from other spellings.
    void nonFiniteNumberCodec()
    {
        const double inf = std::numeric_limits<double>::infinity();
        QCOMPARE(numberToJson(0.1), json(0.1));
        QCOMPARE(numberToJson(std::nan("")), json("nan"));
        QCOMPARE(numberToJson(inf), json("inf"));
        QCOMPARE(numberToJson(-inf), json("-inf"));
        QCOMPARE(optionalNumberToJson(std::nullopt), json(nullptr));
        for (const char* text : {"nan", "NaN", "NAN"})
            QVERIFY(std::isnan(numberFromJson(json(text))));
        for (const char* text : {"inf", "Infinity", "+inf", "INF"})
            QCOMPARE(numberFromJson(json(text)), inf);
        for (const char* text : {"-inf", "-Infinity"})
            QCOMPARE(numberFromJson(json(text)), -inf);
        QCOMPARE(numberFromJson(json(2)), 2.0);
        QVERIFY(!optionalNumberFromJson(json(nullptr)));
        QVERIFY(!isJsonNumber(json("fast")));
        QVERIFY(!isJsonNumber(json(nullptr)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, numberFromJson(json("fast")));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, numberFromJson(json::array()));
        // What we write, we read: through text, as a strict JSON parser sees it.
        const json written{{"a", numberToJson(-inf)}, {"b", numberToJson(std::nan(""))}, {"c", numberToJson(1e-300)}};
        const json read = parseJsonText(written.dump(), "f.json");
        QCOMPARE(numberFromJson(read["a"]), -inf);
        QVERIFY(std::isnan(numberFromJson(read["b"])));
        QCOMPARE(numberFromJson(read["c"]), 1e-300);
        QCOMPARE(numberFromJson(parseJsonText("Infinity", "f.json")), inf);
    }
};

QTEST_GUILESS_MAIN(TestJsonText)
#include "TestJsonText.moc"
