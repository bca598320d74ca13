// NumPy input (.npy, .npz): fixtures written by numpy (tests/data/numpy/write_fixtures.py) and
// arrays numpy writes during the test (every dtype we read, and those we refuse), read back
// exactly; malformed files written byte by byte here and their messages; the "numpy" source
// through loadData and the project JSON.
// Core headers first: core/optim/Optimizer.h has a member named `slots`, a Qt keyword macro.
#include "core/base/Errors.h"
#include "core/data/DataFileError.h"
#include "core/data/DataLoader.h"
#include "core/data/NpyFormat.h"
#include "core/data/NumpyReader.h"
#include "core/project/ProjectJson.h"
#include "core/project/ProjectValidation.h"

#include <QtTest>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

using namespace cklab;
namespace fs = std::filesystem;

namespace {

const fs::path kFixtures = fs::path(CKLAB_SOURCE_DIR) / "tests" / "data" / "numpy";

/// The value write_fixtures.py stores at x[i, r, c] of its image arrays.
int fixturePixel(int i, int r, int c) { return (i * 31 + r * 7 + c * 3) % 256; }

/// A .npy file of version 1.0: magic, header dict padded to 64 bytes, then `data` verbatim.
std::vector<char> npyBytes(const std::string& descr, const std::string& shape, const std::vector<char>& data,
                           bool fortran = false)
{
    std::string header = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
                         ", 'shape': " + shape + ", }";
    while ((10 + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    std::vector<char> out{'\x93', 'N', 'U', 'M', 'P', 'Y', 1, 0};
    out.push_back(static_cast<char>(header.size() & 0xff));
    out.push_back(static_cast<char>(header.size() >> 8));
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

template <typename T>
std::vector<char> raw(const std::vector<T>& values)
{
    std::vector<char> out(values.size() * sizeof(T));
    std::memcpy(out.data(), values.data(), out.size());
    return out;
}

void writeFile(const fs::path& path, const std::vector<char>& bytes)
{
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

template <typename F>
std::string errorOf(F&& f)
{
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "no exception";
}

/// Debian's python3-numpy belongs to /usr/bin/python3 (a venv earlier on PATH may lack it).
QString python()
{
    return QFileInfo::exists(QStringLiteral("/usr/bin/python3")) ? QStringLiteral("/usr/bin/python3")
                                                                 : QStringLiteral("python3");
}

bool numpyAvailable()
{
    QProcess p;
    p.start(python(), {QStringLiteral("-c"), QStringLiteral("import numpy")});
    return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace

class TestDataNumpy : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path path(const std::string& name) const { return fs::path(m_dir.path().toStdString()) / name; }

    /// Runs `script` with numpy imported as np and `d` the temporary folder.
    void runNumpy(const QString& script)
    {
        QProcess p;
        p.start(python(), {QStringLiteral("-c"), QStringLiteral("import numpy as np, os\nd = %1\n").arg(
                                                      QStringLiteral("'") + m_dir.path() + QStringLiteral("'")) + script});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void fixtureArchives_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("np.savez (stored)") << "images.npz";
        QTest::newRow("np.savez_compressed (deflated)") << "images_compressed.npz";
    }
    void fixtureArchives()
    {
        QFETCH(QString, file);
        const fs::path archive = kFixtures / file.toStdString();
        QCOMPARE(npzKeys(archive), (std::vector<std::string>{"x_train", "y_train", "x_test", "y_test"}));
        const Dataset d = readNpzDataset(archive, "x_train", "y_train");
        QCOMPARE(d.size(), 6LL);
        QCOMPARE(d.features(), 20);
        QCOMPARE(d.sampleShape, (std::vector<int>{4, 5, 1}));
        QCOMPARE(d.numClasses, 3);
        for (int i = 0; i < 6; ++i) {
            QCOMPARE(d.y(i, 0), float(i % 3));
            for (int r = 0; r < 4; ++r)
                for (int c = 0; c < 5; ++c)
                    QCOMPARE(d.x(i, r * 5 + c), float(fixturePixel(i, r, c) * (1.0 / 255.0)));
        }
        const Dataset rawBytes = readNpzDataset(archive, "x_test", "y_test", NumpyOptions{.scale = false});
        QCOMPARE(rawBytes.size(), 3LL);
        QCOMPARE(rawBytes.x(2, 3 * 5 + 4), float(fixturePixel(2, 3, 4)));
        const Dataset two = readNpzDataset(archive, "x_train", "y_train", NumpyOptions{.limit = 2});
        QCOMPARE(two.size(), 2LL);
        QVERIFY(two.x.row(1) == d.x.row(1));
    }

    void fixtureNpyTable()
    {
        const Dataset d = readNpyDataset(kFixtures / "table_x.npy", kFixtures / "table_y.npy");
        QCOMPARE(d.size(), 5LL);
        QCOMPARE(d.features(), 3);
        QVERIFY(d.sampleShape.empty()); // (N, D): tabular
        QCOMPARE(d.numClasses, 2);
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(d.y(i, 0), float(i % 2));
            for (int j = 0; j < 3; ++j)
                QCOMPARE(d.x(i, j), float(i - 0.25 * j)); // float32: never scaled
        }
    }

    void numpySourceThroughLoadData()
    {
        DataConfig c;
        c.source = "numpy";
        c.path = "images.npz"; // relative to the project's folder
        QVERIFY2(c.validate().empty(), c.validate().empty() ? "" : c.validate().front().c_str());
        QVERIFY(hasValidationData(c)); // x_test/y_test by default
        QVERIFY(checkDataFiles(c, kFixtures).empty());
        const DataSplit split = loadData(c, TargetEncoding::OneHot, 1, kFixtures);
        QCOMPARE(split.train.size(), 6LL);
        QCOMPARE(split.validation.size(), 3LL);
        QCOMPARE(split.validation.sampleShape, (std::vector<int>{4, 5, 1}));
        QCOMPARE(split.train.y.cols(), Eigen::Index(3));

        // Without validation keys: the archive's training arrays and a validation split.
        DataConfig noVal = c;
        noVal.validationXKey.clear();
        noVal.validationYKey.clear();
        noVal.validationSplit = 0.5;
        QVERIFY(noVal.validate().empty());
        const DataSplit halves = loadData(noVal, TargetEncoding::Index, 1, kFixtures);
        QCOMPARE(halves.train.size(), 3LL);
        QCOMPARE(halves.validation.size(), 3LL);

        DataConfig npy;
        npy.source = "numpy";
        npy.path = "table_x.npy";
        npy.labelsPath = "table_y.npy";
        npy.validationPath = "table_x.npy";
        npy.validationLabelsPath = "table_y.npy";
        npy.limit = 4;
        QVERIFY(hasValidationData(npy));
        const DataSplit tables = loadData(npy, TargetEncoding::Index, 1, kFixtures);
        QCOMPARE(tables.train.size(), 4LL);      // data.limit
        QCOMPARE(tables.validation.size(), 5LL); // the validation file stays whole
        DataConfig missing = npy;
        missing.labelsPath = "nope.npy";
        const auto files = checkDataFiles(missing, kFixtures);
        QCOMPARE(files.size(), std::size_t(1));
        QVERIFY2(files[0].rfind("data.labels_path: no such file: ", 0) == 0, files[0].c_str());
    }

    void configProblems_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not a numpy file") << R"("path": "a.csv")"
                                          << R"(data.path: source "numpy" reads .npy or .npz files, got "a.csv")";
        QTest::newRow(".npy without labels") << R"("path": "x.npy")"
                                             << R"(data.labels_path: required for source "numpy" (the .npy file of labels of data.path))";
        QTest::newRow(".npz with labels_path") << R"("path": "d.npz", "labels_path": "y.npy")"
                                               << "data.labels_path: only for source \"idx\" and .npy files, not a .npz "
                                                  "archive (its arrays are chosen by data.x_key and data.y_key)";
        QTest::newRow("empty x_key") << R"("path": "d.NPZ", "x_key": "")"
                                     << R"(data.x_key: required for a .npz archive (the array of training samples, e.g. "x_train"))";
        QTest::newRow("one validation key") << R"("path": "d.npz", "validation_y_key": "")"
                                            << "data.validation_y_key: required with data.validation_x_key (both name "
                                               "validation arrays, or both are empty for none)";
        QTest::newRow("split and archive validation")
            << R"("path": "d.npz", "validation_split": 0.2)"
            << "data.validation_split: must be 0 when data.validation_x_key names the archive's validation arrays "
               "(clear both validation keys to split), got 0.2";
        QTest::newRow(".npz with validation_path") << R"("path": "d.npz", "validation_path": "v.npz")"
                                                   << "data.validation_path: not for a .npz archive; its validation "
                                                      "arrays are chosen by data.validation_x_key and data.validation_y_key";
    }
    void configProblems()
    {
        QFETCH(QString, json);
        QFETCH(QString, expected);
        const std::string text = R"({"format_version": 1, "model": {"layers": [{"type": "dense", "units": 2,
            "activation": "softmax"}]}, "data": {"source": "numpy", )" + json.toStdString() + "}}";
        std::vector<std::string> problems;
        const Project p = projectFromJson(nlohmann::json::parse(text), problems);
        const auto more = p.data.validate();
        problems.insert(problems.end(), more.begin(), more.end());
        QStringList all;
        for (const auto& s : problems)
            all << QString::fromStdString(s);
        QVERIFY2(all.contains(expected), qPrintable(all.join(QLatin1Char('\n'))));
    }

    void projectJsonKeys()
    {
        const Project p = parseProjectText(R"({"format_version": 1, "model": {"layers": [{"type": "dense",
            "units": 2, "activation": "softmax"}]}, "data": {"source": "numpy", "path": "mnist.npz", "x_key": "xs",
            "y_key": "ys", "validation_x_key": "", "validation_y_key": "", "limit": 10, "scale": false}})", "p.json");
        QCOMPARE(p.data.xKey, std::string("xs"));
        QCOMPARE(p.data.yKey, std::string("ys"));
        QVERIFY(p.data.validationXKey.empty());
        QVERIFY(!hasValidationData(p.data));
        const Project q = parseProjectText(projectToJson(p).dump(), "q.json");
        QCOMPARE(q.data.xKey, std::string("xs"));
        QCOMPARE(q.data.validationYKey, std::string());
        QCOMPARE(q.data.limit, 10);
        QCOMPARE(q.data.scale, false);
        // Defaults: Keras' mnist.npz names.
        const DataConfig d;
        QCOMPARE(d.xKey + d.yKey + d.validationXKey + d.validationYKey, std::string("x_trainy_trainx_testy_test"));
    }

    void dtypesWrittenByNumpy_data()
    {
        QTest::addColumn<QString>("dtype");
        for (const char* t : {"uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64", "float32",
                              "float64", "bool"})
            QTest::newRow(t) << t;
    }
    void dtypesWrittenByNumpy()
    {
        if (!numpyAvailable())
            QSKIP("python3-numpy not installed");
        QFETCH(QString, dtype);
        runNumpy(QStringLiteral("a = np.arange(6).reshape(2, 3)\n"
                                "np.save(os.path.join(d, 'dt_%1.npy'), ((a & 1) if '%1' == 'bool' else a).astype('%1'))")
                     .arg(dtype));
        const NpyArray a = readNpyFile(path("dt_" + dtype.toStdString() + ".npy"));
        QCOMPARE(a.shape, (std::vector<std::uint64_t>{2, 3}));
        QCOMPARE(QString::fromStdString(a.dtypeName()), dtype);
        for (std::uint64_t i = 0; i < 6; ++i)
            QCOMPARE(a.value(i), dtype == QLatin1String("bool") ? double(i % 2) : double(i));
    }

    void refusedWrittenByNumpy_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("expected");
        QTest::newRow("big-endian") << "np.arange(4, dtype='>f4')"
                                    << "dtype '>f4' is big-endian (save it with arr.astype(arr.dtype.newbyteorder('<')))";
        QTest::newRow("fortran order") << "np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3))"
                                       << "is stored in Fortran order; save it in C order";
        QTest::newRow("objects") << "np.array([1, 'a', None], dtype=object)"
                                 << "dtype '|O' holds Python objects (a pickle), which are never loaded";
        QTest::newRow("complex") << "np.zeros(3, dtype='<c8')" << "dtype '<c8' is not supported; valid: bool, int8-int64";
        QTest::newRow("float16") << "np.zeros(3, dtype='<f2')" << "dtype '<f2' is not supported";
        QTest::newRow("strings") << "np.array(['ab', 'c'])" << "dtype '<U2' is not supported";
        QTest::newRow("structured") << "np.zeros(2, dtype=[('a', '<f4'), ('b', '<i4')])"
                                    << "has a structured dtype (a record array)";
    }
    void refusedWrittenByNumpy()
    {
        if (!numpyAvailable())
            QSKIP("python3-numpy not installed");
        QFETCH(QString, script);
        QFETCH(QString, expected);
        const std::string name = "refused_" + std::to_string(qHash(script)) + ".npy";
        runNumpy(QStringLiteral("np.save(os.path.join(d, '%1'), %2, allow_pickle=True)").arg(QString::fromStdString(name), script));
        const std::string message = errorOf([&] { readNpyFile(path(name)); });
        QVERIFY2(message.rfind(path(name).string() + ": ", 0) == 0, message.c_str()); // names the file
        QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
    }

    void imagesWrittenByNumpy()
    {
        if (!numpyAvailable())
            QSKIP("python3-numpy not installed");
        // (N, H, W, C) float64 in C order and one-hot labels, as Keras' to_categorical() makes them.
        runNumpy(QStringLiteral("x = np.arange(2 * 2 * 3 * 3, dtype='f8').reshape(2, 2, 3, 3) / 10\n"
                                "y = np.eye(4, dtype='f4')[[3, 1]]\n"
                                "np.savez(os.path.join(d, 'rgb.npz'), x_train=x, y_train=y)"));
        const Dataset d = readNpzDataset(path("rgb.npz"), "x_train", "y_train");
        QCOMPARE(d.sampleShape, (std::vector<int>{2, 3, 3}));
        QCOMPARE(d.features(), 18);
        QCOMPARE(d.numClasses, 4);
        QCOMPARE(d.y(0, 0), 3.0f);
        QCOMPARE(d.y(1, 0), 1.0f);
        // image 1, row 1, column 2, channel 0 = flat index 18 + (1 * 3 + 2) * 3 = 33: 3.3, not scaled
        QCOMPARE(d.x(1, 15), float(33 / 10.0));
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        const auto qb = [](const std::vector<char>& v) { return QByteArray(v.data(), qsizetype(v.size())); };
        const std::vector<char> six = raw(std::vector<float>{0, 1, 2, 3, 4, 5});
        QTest::newRow("bad magic") << QByteArray("PK\x03\x04 not npy at all", 20)
                                   << "not a .npy file (it starts with \\x93NUMPY";
        std::vector<char> v9 = npyBytes("<f4", "(6,)", six);
        v9[6] = 9;
        QTest::newRow("version 9") << qb(v9) << ".npy format version 9.0 is not supported; valid: 1.0, 2.0, 3.0";
        std::vector<char> longHeader = npyBytes("<f4", "(6,)", six);
        longHeader[8] = '\xff';
        longHeader[9] = '\x7f';
        QTest::newRow("header beyond the file") << qb(longHeader) << "the .npy header declares 32767 bytes";
        std::vector<char> truncated = npyBytes("<f4", "(6,)", six);
        truncated.resize(truncated.size() - 3);
        QTest::newRow("truncated") << qb(truncated)
                                   << "truncated: the header declares (6,) float32 (24 bytes of data), the file holds 21";
        std::vector<char> trailing = npyBytes("<f4", "(6,)", six);
        trailing.push_back(0);
        QTest::newRow("trailing") << qb(trailing) << "trailing bytes: the header declares (6,) float32 (24 bytes";
        QTest::newRow("beyond the limit") << qb(npyBytes("|u1", "(1000000, 1000000, 1000)", six))
                                          << "declares (1000000, 1000000, 1000) uint8 values (1000000000000000 bytes), "
                                             "more than the limit of 1073741824 bytes";
        QTest::newRow("huge dims") << qb(npyBytes("<f8", "(18446744073709551, 18446744073709551)", six))
                                   << "more than the limit of 1073741824 bytes";
        QTest::newRow("bad shape") << qb(npyBytes("<f4", "(six,)", six)) << "the .npy header's shape (six,) is not a tuple";
        QTest::newRow("fortran") << qb(npyBytes("<f4", "(2, 3)", six, true)) << "is stored in Fortran order";
    }
    void malformed()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const fs::path file = path("bad-" + std::to_string(qHash(bytes)) + ".npy");
        writeFile(file, std::vector<char>(bytes.begin(), bytes.end()));
        const std::string message = errorOf([&] { readNpyFile(file); });
        QVERIFY2(message.rfind(file.string() + ": ", 0) == 0, message.c_str());
        QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
    }

    void datasetProblems()
    {
        const auto u8 = [](std::uint64_t n) { return std::vector<char>(n, 1); };
        writeFile(path("x6.npy"), npyBytes("|u1", "(6, 2, 2)", u8(24)));
        writeFile(path("y5.npy"), npyBytes("<i8", "(5,)", raw(std::vector<std::int64_t>{0, 1, 0, 1, 0})));
        writeFile(path("yhalf.npy"), npyBytes("<f4", "(6,)", raw(std::vector<float>{0, 1, 0.5f, 1, 0, 1})));
        writeFile(path("yneg.npy"), npyBytes("<i4", "(6,)", raw(std::vector<std::int32_t>{0, 1, -1, 1, 0, 1})));
        writeFile(path("x1d.npy"), npyBytes("|u1", "(6,)", u8(6)));
        writeFile(path("y3d.npy"), npyBytes("|u1", "(6, 1, 1)", u8(6)));
        const auto message = [&](const char* x, const char* y) {
            return errorOf([&] { readNpyDataset(path(x), path(y)); });
        };
        const std::string count = message("x6.npy", "y5.npy");
        QVERIFY2(count == path("y5.npy").string() + ": has 5 labels (shape (5,)) but " + path("x6.npy").string() +
                              " has 6 samples", count.c_str());
        QVERIFY2(message("x6.npy", "yhalf.npy").find("yhalf.npy: row 2: 0.5 is not a class index (an integer in [0, 1000000])")
                     != std::string::npos, message("x6.npy", "yhalf.npy").c_str());
        QVERIFY2(message("x6.npy", "yneg.npy").find("row 2: -1 is not a class index") != std::string::npos,
                 message("x6.npy", "yneg.npy").c_str());
        QVERIFY2(message("x1d.npy", "y5.npy").find("x1d.npy: samples have shape (6,); valid: (N, D) tabular, (N, H, W) "
                                                   "or (N, H, W, C) images") != std::string::npos,
                 message("x1d.npy", "y5.npy").c_str());
        QVERIFY2(message("x6.npy", "y3d.npy").find("y3d.npy: labels have shape (6, 1, 1); valid: (N,) or (N, 1)")
                     != std::string::npos, message("x6.npy", "y3d.npy").c_str());

        const std::string missingKey = errorOf([&] { readNpzDataset(kFixtures / "images.npz", "x", "y"); });
        QVERIFY2(missingKey == (kFixtures / "images.npz").string() +
                                   ": no array 'x'; the archive holds 'x_train', 'y_train', 'x_test', 'y_test'",
                 missingKey.c_str());
        const std::string notZip = errorOf([&] { readNpzDataset(path("x6.npy"), "x_train", "y_train"); });
        QVERIFY2(notZip.find(path("x6.npy").string() + ": not a readable zip archive") == 0, notZip.c_str());
        const std::string none = errorOf([&] { readNpzDataset(path("nothing.npz"), "x_train", "y_train"); });
        QCOMPARE(none, path("nothing.npz").string() + ": no such file");
    }
};

QTEST_GUILESS_MAIN(TestDataNumpy)
#include "TestDataNumpy.moc"
