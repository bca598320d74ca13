// Hostile text inputs (issue 16 items 7, 8c, 13): a history 300 000 columns wide, a CSV field
// of megabytes, NUL bytes and library exception texts in messages, and .keras / .h5 JSON that
// the engine's one JSON reader refuses everywhere else. Each message names the file and quotes
// at most a short, printable excerpt of the bad value (core/base/Excerpt.h).
#include <QTemporaryDir>
#include <QtTest>

#include <string>
#include <zip.h>
#if __has_include(<hdf5.h>)
#include <hdf5.h>
#else
#include <hdf5/serial/hdf5.h> // Debian: the serial flavour's headers are not on the default path
#endif

#include "core/base/Errors.h"
#include "core/base/Excerpt.h"
#include "core/train/PathTemplate.h"
#include "core/data/CsvReader.h"
#include "core/io/CheckpointFile.h"
#include "core/project/HistoryFile.h"
#include "core/project/ProjectJson.h"
#include "core/model/Model.h"
#include "tests/support/SmallModel.h"

#undef slots // OptimizerState has a member called `slots`, which Qt defines as a macro.

using namespace cklab;

namespace {

std::string wideHistory(std::size_t columns)
{
    std::string header = "epoch";
    std::string row = "0";
    for (std::size_t i = 0; i < columns; ++i) {
        header += ",m" + std::to_string(i);
        row += ",0.5";
    }
    return header + "\n" + row + "\n";
}

template <typename Fn>
QString errorOf(Fn fn)
{
    try {
        fn();
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    return "no error";
}

/// Replaces entry `name` of the zip archive `path` by `content`.
bool replaceZipEntry(const std::string& path, const char* name, const std::string& content)
{
    int error = 0;
    zip_t* archive = zip_open(path.c_str(), 0, &error);
    if (archive == nullptr)
        return false;
    const zip_int64_t index = zip_name_locate(archive, name, 0);
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    const bool ok = index >= 0 && source != nullptr && zip_file_replace(archive, static_cast<zip_uint64_t>(index), source, 0) == 0;
    return zip_close(archive) == 0 && ok;
}

} // namespace

class TestHostileInputs : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void excerptIsShortAndPrintable()
    {
        QCOMPARE(QString::fromStdString(excerpt("plain")), QString("plain"));
        QCOMPARE(QString::fromStdString(excerpt(std::string("a\0b\n\x1b", 5))), QString("a\\0b\\n\\x1b"));
        QCOMPARE(QString::fromStdString(excerpt(std::string(100, 'x'))), QString(60, 'x') + QString::fromUtf8("… (100 bytes)"));
        // UTF-8 is kept whole and counted per character; invalid bytes are escaped.
        QCOMPARE(QString::fromStdString(excerpt("\xc3\xa4\xff")), QString::fromUtf8("ä\\xff"));
    }

    /// Item 7: 300 000 columns made `replay` crash (fmt's argument list destroyed recursively).
    void historyColumnsAreBounded()
    {
        QCOMPARE(errorOf([] { parseHistory(wideHistory(300000), "wide.csv", false); }),
                 QString("wide.csv:1: the header has 300000 columns after \"epoch\", more than the 10000 a history may have"));
        const auto calls = parseHistory(wideHistory(kMaxHistoryColumns), "wide.csv", false);
        QCOMPARE(calls.at(2).logs.size(), kMaxHistoryColumns);
    }

    /// The formatting path itself: a template over logs with 300 000 keys (was a stack overflow).
    void formatPathWithManyLogKeys()
    {
        Logs logs;
        for (int i = 0; i < 300000; ++i)
            logs["m" + std::to_string(i)] = 0.5;
        QCOMPARE(QString::fromStdString(formatPath("e{epoch:02d}-{m7:.2f}.keras", 2, std::nullopt, logs)),
                 QString("e03-0.50.keras"));
    }

    /// Item 8c: a huge CSV field is refused with an excerpt, not copied and echoed whole.
    void csvFieldLengthIsBounded()
    {
        const std::string field(1 << 20, '7');
        const QString error = errorOf([&] { parseCsvDataset("a,label\n1,x\n" + field + ",y\n", "big.csv"); });
        QCOMPARE(error, "big.csv:3, column 1: a field of 1048576 bytes ('" + QString(60, '7')
                            + QString::fromUtf8("… (1048576 bytes)'), more than the 65536 a number or class name may have"));
        // Quoted, with separators inside: refused after the split.
        std::string quoted = "\"";
        for (int i = 0; i < 40000; ++i)
            quoted += "ab,";
        quoted += "\"";
        QVERIFY(errorOf([&] { parseCsvDataset("a,label\n1,x\n2," + quoted + "\n", "q.csv"); })
                    .startsWith("q.csv:3, column 2: a field of 120000 bytes ('ab,ab,"));
    }

    /// Item 13: a value with a NUL byte is shown escaped; a long one is cut.
    void jsonValuesAreQuotedAsExcerpts()
    {
        const std::string text = std::string(R"({"format_version": 1, "model": {"layers": [{"type": "dense", "units": 2}]},
 "training": {"epochs": "ten\u0000)") + std::string(200, 'x') + "\"}}";
        QCOMPARE(errorOf([&] { parseProjectText(text, "p.json"); }),
                 "p.json: training.epochs: must be an integer, got \"ten\\0" + QString(56, 'x') + QString::fromUtf8("… (204 bytes)\""));
    }

    /// Item 13: config.json of a .keras file goes through the engine's JSON reader (duplicate
    /// keys, depth limit) and no nlohmann text ("[json.exception.type_error.302]") reaches a message.
    void kerasConfigUsesTheOneJsonReader_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("expected");
        QTest::newRow("duplicate key") << R"({"class_name": "Sequential", "class_name": "Functional"})"
                                       << "config.json: class_name: duplicate key \"class_name\" at line 1, column 30 (first at line 1, column 2); a key may appear once per object";
        QTest::newRow("deep nesting") << QString(100, '[') + QString(100, ']')
                                      << "config.json: nested deeper than 64 levels of arrays and objects at line 1, column 65";
        QTest::newRow("wrong type") << R"({"class_name": "Sequential", "config": {"name": 3, "layers": 4}})"
                                    << "config.json: ";
    }

    void kerasConfigUsesTheOneJsonReader()
    {
        QFETCH(QString, config);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/m.keras").toStdString();
        saveCheckpoint(path, *test::smallDenseModel(3, {2}, 1));
        QVERIFY(replaceZipEntry(path, "config.json", config.toStdString()));
        const QString error = errorOf([&] { readCheckpoint(path); });
        QVERIFY2(error.startsWith(QString::fromStdString(path) + ": " + expected), qPrintable(error));
        QVERIFY2(!error.contains("json.exception"), qPrintable(error));
    }

    /// The same reader for a legacy .h5 file's model_config attribute.
    void legacyModelConfigUsesTheOneJsonReader()
    {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/m.h5").toStdString();
        saveCheckpoint(path, *test::smallDenseModel(3, {2}, 1));
        const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        QVERIFY(file >= 0);
        QVERIFY(H5Adelete(file, "model_config") >= 0);
        const hid_t type = H5Tcopy(H5T_C_S1);
        H5Tset_size(type, H5T_VARIABLE);
        const hid_t space = H5Screate(H5S_SCALAR);
        const hid_t attr = H5Acreate2(file, "model_config", type, space, H5P_DEFAULT, H5P_DEFAULT);
        const char* value = R"({"class_name": "Sequential", "class_name": "Sequential"})";
        QVERIFY(H5Awrite(attr, type, &value) >= 0);
        H5Aclose(attr);
        H5Sclose(space);
        H5Tclose(type);
        H5Fclose(file);
        QCOMPARE(errorOf([&] { readCheckpoint(path); }),
                 QString::fromStdString(path) + ": / attribute model_config: class_name: duplicate key \"class_name\" at line 1, "
                                                "column 30 (first at line 1, column 2); a key may appear once per object");
    }
};

QTEST_GUILESS_MAIN(TestHostileInputs)
#include "TestHostileInputs.moc"
