// IDX input (MNIST format): small files written here, plain and gzip, read back exactly; damaged
// files and their messages; the "idx" and "fashion_mnist" sources through loadData, and a real
// one-epoch run on Fashion-MNIST (skipped when Debian's dataset-fashion-mnist is not installed).
// Core headers first: core/optim/Optimizer.h has a member named `slots`, a Qt keyword macro.
#include "core/base/Errors.h"
#include "core/data/DataFileError.h"
#include "core/data/DataLoader.h"
#include "core/data/FashionMnist.h"
#include "core/data/IdxReader.h"
#include "core/project/ProjectJson.h"
#include "core/project/ProjectRun.h"

#include <QtTest>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <vector>

#include <zlib.h>

#include "tests/support/CliProcess.h"

using namespace cklab;
namespace fs = std::filesystem;

namespace {

/// The bytes of an IDX file of unsigned bytes: magic, big-endian dims, values.
std::vector<std::uint8_t> idxBytes(const std::vector<std::uint32_t>& dims, const std::vector<std::uint8_t>& values)
{
    std::vector<std::uint8_t> out{0, 0, 0x08, static_cast<std::uint8_t>(dims.size())};
    for (const auto d : dims)
        for (int shift = 24; shift >= 0; shift -= 8)
            out.push_back(static_cast<std::uint8_t>(d >> shift));
    out.insert(out.end(), values.begin(), values.end());
    return out;
}

void writeBytes(const fs::path& path, const std::vector<std::uint8_t>& bytes, bool gz)
{
    if (gz) {
        gzFile f = gzopen(path.string().c_str(), "wb");
        QVERIFY(f != nullptr);
        QCOMPARE(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())), int(bytes.size()));
        QCOMPARE(gzclose(f), Z_OK);
    } else {
        std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                    static_cast<std::streamsize>(bytes.size()));
    }
}

std::vector<std::uint8_t> readBytes(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// n images of h x w with distinct values (i * 37 + j) mod 256, and labels i mod k.
std::vector<std::uint8_t> pattern(int n, int perRecord)
{
    std::vector<std::uint8_t> v;
    for (int i = 0; i < n * perRecord; ++i)
        v.push_back(static_cast<std::uint8_t>((i * 37 + i / perRecord) % 256));
    return v;
}

std::vector<std::uint8_t> labels(int n, int k)
{
    std::vector<std::uint8_t> v;
    for (int i = 0; i < n; ++i)
        v.push_back(static_cast<std::uint8_t>(i % k));
    return v;
}

/// what() of the exception `f` throws, or "no exception".
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

bool fashionInstalled()
{
    return fs::exists(fs::path(kFashionMnistDir) / "train-images-idx3-ubyte.gz") &&
           fs::exists(fs::path(kFashionMnistDir) / "t10k-labels-idx1-ubyte.gz");
}

/// A minimal valid project around the given members of "data".
std::string withData(const std::string& data)
{
    return R"({"format_version": 1, "model": {"layers": [{"type": "dense", "units": 2, "activation": "softmax"}]},
               "data": {)" + data + "}}";
}

constexpr const char* kFashionProject = R"json({
  "format_version": 1,
  "name": "fashion mlp (test)",
  "model": {"input_dim": 784, "layers": [
    {"type": "dense", "units": 128, "activation": "relu"},
    {"type": "dropout", "rate": 0.2},
    {"type": "dense", "units": 10, "activation": "softmax"}]},
  "data": {"source": "fashion_mnist", "limit": 6000, "batch_size": 128},
  "training": {"epochs": 1, "seed": 7, "loss": "categorical_crossentropy", "metrics": ["accuracy"],
               "optimizer": {"type": "adam", "learning_rate": 0.001}},
  "checkpoints": [{"name": "best_on_val_accuracy", "filepath": "ckpt/best.weights.h5",
                   "monitor": "val_accuracy", "mode": "max", "save_best_only": true}],
  "output_dir": "."
})json";

} // namespace

class TestDataIdx : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path path(const char* name) const { return fs::path(m_dir.path().toStdString()) / name; }

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<bool>("gz");
        QTest::newRow("plain") << false;
        QTest::newRow("gz") << true;
    }
    void roundTrip()
    {
        QFETCH(bool, gz);
        const auto images = path(gz ? "rt-images-idx3-ubyte.gz" : "rt-images-idx3-ubyte");
        const auto lab = path(gz ? "rt-labels-idx1-ubyte.gz" : "rt-labels-idx1-ubyte");
        const auto values = pattern(5, 3 * 4);
        writeBytes(images, idxBytes({5, 3, 4}, values), gz);
        writeBytes(lab, idxBytes({5}, labels(5, 3)), gz);

        const IdxArray a = readIdxFile(images);
        QCOMPARE(a.dims, (std::vector<std::uint32_t>{5, 3, 4}));
        QVERIFY(a.values == values);

        const Dataset raw = readIdxDataset(images, lab, IdxOptions{.scale = false});
        QCOMPARE(raw.size(), 5LL);
        QCOMPARE(raw.features(), 12);
        QCOMPARE(raw.numClasses, 3);
        QCOMPARE(raw.sampleShape, (std::vector<int>{3, 4, 1}));
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(raw.y(i, 0), float(i % 3));
            for (int j = 0; j < 12; ++j)
                QCOMPARE(raw.x(i, j), float(values[std::size_t(i * 12 + j)]));
        }
        const Dataset scaled = readIdxDataset(images, lab);
        QCOMPARE(scaled.x(1, 2), float(values[14]) / 255.0f);
        QVERIFY(scaled.x.minCoeff() >= 0.0f && scaled.x.maxCoeff() <= 1.0f);

        const Dataset firstTwo = readIdxDataset(images, lab, IdxOptions{.limit = 2});
        QCOMPARE(firstTwo.size(), 2LL);
        QVERIFY(firstTwo.x.row(1) == scaled.x.row(1));
    }

    void channelsLastFlattening()
    {
        // N x H x W x C: each record is one row in the file's order (row-major, channels last).
        const auto values = pattern(2, 2 * 2 * 3);
        writeBytes(path("rgb-images"), idxBytes({2, 2, 2, 3}, values), false);
        writeBytes(path("rgb-labels"), idxBytes({2}, {0, 1}), false);
        const Dataset d = readIdxDataset(path("rgb-images"), path("rgb-labels"), IdxOptions{.scale = false});
        QCOMPARE(d.features(), 12);
        QCOMPARE(d.sampleShape, (std::vector<int>{2, 2, 3}));
        // pixel (row 1, col 0), channel 2 of image 1 = offset ((1 * 2 + 0) * 3 + 2)
        QCOMPARE(d.x(1, 8), float(values[12 + 8]));
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("gz");
        QTest::addColumn<QString>("expected");
        const auto qb = [](const std::vector<std::uint8_t>& v) {
            return QByteArray(reinterpret_cast<const char*>(v.data()), qsizetype(v.size()));
        };
        const auto good = idxBytes({3, 2, 2}, pattern(3, 4));
        auto badMagic = good;
        badMagic[0] = 0x1f;
        auto badType = good;
        badType[2] = 0x0D;
        const auto cut = std::vector<std::uint8_t>(good.begin(), good.end() - 3);
        auto longer = good;
        longer.push_back(9);
        QTest::newRow("bad magic") << QByteArray("m1") << qb(badMagic) << false
                                   << "bad magic 1f 00 08 03; an IDX file starts with 00 00 <type> <rank>";
        QTest::newRow("float type") << QByteArray("m2") << qb(badType) << false
                                    << "value type 0x0d is not supported; only 0x08 (unsigned byte) is";
        QTest::newRow("empty") << QByteArray("m3") << QByteArray() << false << "too short for an IDX header";
        QTest::newRow("truncated header") << QByteArray("m4") << qb({0, 0, 8, 3, 0, 0, 0, 3, 0}) << false
                                          << "truncated header: rank 3 needs 12 bytes of dimensions";
        QTest::newRow("truncated plain") << QByteArray("m5") << qb(cut) << false
                                         << "truncated: the header declares 3 x 2 x 2 (12 bytes of data after 16 "
                                            "header bytes), the file has 25 bytes";
        QTest::newRow("truncated gz") << QByteArray("m6.gz") << qb(cut) << true
                                      << "truncated: the header declares 3 x 2 x 2 (12 bytes of data), the data "
                                         "ends after 9";
        QTest::newRow("trailing plain") << QByteArray("m7") << qb(longer) << false
                                        << "trailing bytes: the header declares 3 x 2 x 2";
        QTest::newRow("trailing gz") << QByteArray("m8.gz") << qb(longer) << true
                                     << "trailing bytes after the 12 bytes of data the header declares (3 x 2 x 2)";
        QTest::newRow("zero dim") << QByteArray("m9") << qb(idxBytes({3, 0, 2}, {})) << false
                                  << "dimension 1 is 0; every dimension must be >= 1";
        QTest::newRow("huge dims") << QByteArray("m10") << qb(idxBytes({0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, {1, 2}))
                                   << false << "declares 4294967295 x 4294967295 x 4294967295 values, more than the "
                                               "limit of 1073741824 bytes";
        QTest::newRow("huge dims gz") << QByteArray("m11.gz") << qb(idxBytes({60000, 28, 28, 28, 28}, {1, 2}))
                                      << true << "more than the limit of 1073741824 bytes";
    }
    void malformed()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, bytes);
        QFETCH(bool, gz);
        QFETCH(QString, expected);
        const auto file = path(name.constData());
        writeBytes(file, std::vector<std::uint8_t>(bytes.begin(), bytes.end()), gz);
        const std::string message = errorOf([&] { readIdxFile(file); });
        QVERIFY2(message.rfind(file.string() + ": ", 0) == 0, message.c_str());
        QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
        QVERIFY_THROWS_EXCEPTION(DataFileError, readIdxFile(file));
    }

    void damagedGzip()
    {
        const auto file = path("damaged.gz");
        writeBytes(file, idxBytes({50, 8, 8}, pattern(50, 64)), true);
        auto bytes = readBytes(file);
        for (std::size_t i = 12; i + 8 < bytes.size(); i += 7)
            bytes[i] ^= 0x5a;
        writeBytes(file, bytes, false);
        const std::string message = errorOf([&] { readIdxFile(file); });
        QVERIFY2(message.find(file.string() + ": cannot be decompressed (") == 0, message.c_str());
    }

    void countsAndRanksMustFit()
    {
        writeBytes(path("c-images"), idxBytes({4, 2, 2}, pattern(4, 4)), false);
        writeBytes(path("c-labels"), idxBytes({3}, {0, 1, 0}), false);
        writeBytes(path("c-labels2d"), idxBytes({4, 1}, {0, 1, 0, 1}), false);
        writeBytes(path("c-one-class"), idxBytes({4}, {2, 2, 2, 2}), false);
        QCOMPARE(errorOf([&] { readIdxDataset(path("c-images"), path("c-labels")); }),
                 path("c-labels").string() + ": has 3 labels but " + path("c-images").string() + " has 4 images");
        QCOMPARE(errorOf([&] { readIdxDataset(path("c-images"), path("c-labels2d")); }),
                 path("c-labels2d").string() + ": has rank 2 (4 x 1); labels need rank 1 (N class indices)");
        QCOMPARE(errorOf([&] { readIdxDataset(path("c-labels"), path("c-labels")); }),
                 path("c-labels").string() + ": has rank 1 (3); images need rank >= 2 (N x H x W)");
        QCOMPARE(readIdxDataset(path("c-images"), path("c-one-class")).numClasses, 3);
        QCOMPARE(errorOf([&] { readIdxFile(path("missing")); }), path("missing").string() + ": no such file");
        QVERIFY_THROWS_EXCEPTION(IoError, readIdxFile(path("missing")));
    }

    void idxSourceThroughLoadData()
    {
        writeBytes(path("s-train-images.gz"), idxBytes({10, 2, 3}, pattern(10, 6)), true);
        writeBytes(path("s-train-labels.gz"), idxBytes({10}, labels(10, 4)), true);
        writeBytes(path("s-test-images"), idxBytes({6, 2, 3}, pattern(6, 6)), false);
        writeBytes(path("s-test-labels"), idxBytes({6}, labels(6, 4)), false);
        DataConfig c;
        c.source = "idx";
        c.path = "s-train-images.gz";
        c.labelsPath = "s-train-labels.gz";
        c.validationPath = "s-test-images";
        c.validationLabelsPath = "s-test-labels";
        c.limit = 7;
        const fs::path base = m_dir.path().toStdString();
        QVERIFY(checkDataFiles(c, base).empty());
        const DataSplit split = loadData(c, TargetEncoding::OneHot, 1, base);
        QCOMPARE(split.train.size(), 7LL);       // data.limit: the first 7 training samples
        QCOMPARE(split.validation.size(), 6LL);  // the validation file stays whole
        QCOMPARE(split.train.sampleShape, (std::vector<int>{2, 3, 1}));
        QCOMPARE(split.validation.sampleShape, (std::vector<int>{2, 3, 1}));
        // Same pixel count, other shape: refused, naming both shapes.
        writeBytes(path("s-wide-images"), idxBytes({6, 3, 2}, pattern(6, 6)), false);
        DataConfig wide = c;
        wide.validationPath = "s-wide-images";
        const std::string shapeProblem = errorOf([&] { loadData(wide, TargetEncoding::OneHot, 1, base); });
        QVERIFY2(shapeProblem.find("s-wide-images: holds samples of shape [3, 2, 1] but the training data's are "
                                   "[2, 3, 1]") != std::string::npos, shapeProblem.c_str());
        QCOMPARE(split.train.y.cols(), Eigen::Index(4));
        QCOMPARE(split.train.x(6, 5), float(pattern(10, 6)[6 * 6 + 5]) / 255.0f);

        DataConfig bad = c;
        bad.validationLabelsPath.clear();
        bad.limit = -1;
        const std::string problems = errorOf([&] { loadData(bad, TargetEncoding::OneHot, 1, base); });
        QVERIFY2(problems.find("data.validation_labels_path: required when data.validation_path is set for source "
                               "\"idx\"") != std::string::npos, problems.c_str());
        QVERIFY2(problems.find("data.limit: must be >= 0 (0 = all samples), got -1") != std::string::npos,
                 problems.c_str());
        DataConfig noFile = c;
        noFile.labelsPath = "nope-labels";
        const auto fileProblems = checkDataFiles(noFile, base);
        QCOMPARE(fileProblems.size(), std::size_t(1));
        QVERIFY2(fileProblems[0].rfind("data.labels_path: no such file: ", 0) == 0, fileProblems[0].c_str());
        DataConfig csvLimit;
        csvLimit.source = "csv";
        csvLimit.path = "a.csv";
        csvLimit.limit = 5;
        csvLimit.labelsPath = "l";
        const auto csvProblems = csvLimit.validate();
        QCOMPARE(csvProblems.size(), std::size_t(2));
        QCOMPARE(csvProblems[0], std::string("data.labels_path: only for source \"idx\" and .npy files, not source \"csv\""));
        QCOMPARE(csvProblems[1], std::string("data.limit: only for sources \"idx\", \"fashion_mnist\", \"numpy\" and \"hdf5\", not \"csv\""));
    }

    void projectKeysRoundTrip()
    {
        const Project p = parseProjectText(withData(R"("source": "idx", "path": "a-idx3-ubyte.gz",
            "labels_path": "a-idx1-ubyte.gz", "validation_path": "b-idx3-ubyte", "validation_labels_path": "b-idx1-ubyte",
            "limit": 100, "scale": false)"), "p.json");
        QCOMPARE(p.data.labelsPath, std::string("a-idx1-ubyte.gz"));
        QCOMPARE(p.data.validationLabelsPath, std::string("b-idx1-ubyte"));
        QCOMPARE(p.data.limit, 100);
        QCOMPARE(p.data.scale, false);
        const Project q = parseProjectText(projectToJson(p).dump(), "q.json");
        QCOMPARE(q.data.labelsPath, p.data.labelsPath);
        QCOMPARE(q.data.validationLabelsPath, p.data.validationLabelsPath);
        QCOMPARE(q.data.limit, 100);
        QCOMPARE(q.data.scale, false);
        const std::string problem = errorOf([] { parseProjectText(withData(R"("source": "fashion_mnist",
            "validation_split": 0.1)"), "f.json"); });
        QVERIFY2(problem.find("data.validation_split: must be 0 for source \"fashion_mnist\" (its test set is the "
                              "validation data), got 0.1") != std::string::npos, problem.c_str());
    }

    void fashionMissingNamesFolderAndPackage()
    {
        const std::string message = errorOf([&] { loadFashionMnist({}, path("no-such-folder")); });
        QVERIFY2(message.find("no folder " + path("no-such-folder").string()) != std::string::npos, message.c_str());
        QVERIFY2(message.find("sudo apt-get install dataset-fashion-mnist") != std::string::npos, message.c_str());
    }

    void fashionMnistSource()
    {
        if (!fashionInstalled())
            QSKIP("Fashion-MNIST not installed (/usr/share/datasets/fashion-mnist: apt-get install dataset-fashion-mnist)");
        DataConfig c;
        c.source = "fashion_mnist";
        QVERIFY(checkDataFiles(c, {}).empty());
        const DataSplit split = loadRawData(c, 1, {});
        QCOMPARE(split.train.size(), 60000LL);
        QCOMPARE(split.validation.size(), 10000LL);
        QCOMPARE(split.train.features(), 784);
        QCOMPARE(split.validation.features(), 784);
        for (const Dataset* d : {&split.train, &split.validation}) {
            QVERIFY(d->x.minCoeff() >= 0.0f);
            QVERIFY(d->x.maxCoeff() <= 1.0f);
            QVERIFY(d->x.maxCoeff() > 0.99f);  // scaled, not raw bytes, not all dark
            QCOMPARE(d->y.minCoeff(), 0.0f);
            QCOMPARE(d->y.maxCoeff(), 9.0f);
            QCOMPARE(d->numClasses, 10);
            QCOMPARE(d->classNames.size(), std::size_t(10));
            QCOMPARE(d->sampleShape, (std::vector<int>{28, 28, 1}));
        }
        QCOMPARE(split.train.classNames.front(), std::string("T-shirt/top"));
        QCOMPARE(split.train.classNames.back(), std::string("Ankle boot"));
        // The official files: 6000 images of each class in the training set.
        QCOMPARE(int((split.train.y.array() == 9.0f).count()), 6000);
    }

    void fashionMlpLearnsInOneEpoch()
    {
        if (!fashionInstalled())
            QSKIP("Fashion-MNIST not installed (/usr/share/datasets/fashion-mnist: apt-get install dataset-fashion-mnist)");
        const Project project = parseProjectText(kFashionProject, "fashion.json");
        RunOptions options;
        options.outputDir = path("fashion-run");
        ProjectRun run(project, options);
        QCOMPARE(run.info().trainSamples, 6000LL);
        QCOMPARE(run.info().validationSamples, 10000LL);
        const TrainResult result = run.run();
        QCOMPARE(result.reason, StopReason::Completed);
        const double valAccuracy = result.finalLogs.at("val_accuracy");
        qInfo("Fashion-MNIST, 6000 samples, 1 epoch: val_accuracy %.4f, %.2f s", valAccuracy, result.trainSeconds);
        QVERIFY2(valAccuracy > 0.6, qPrintable(QString::number(valAccuracy)));
        QVERIFY(fs::exists(path("fashion-run") / "ckpt" / "best.weights.h5"));
    }

    void fashionMlpThroughCli()
    {
        if (!fashionInstalled())
            QSKIP("Fashion-MNIST not installed (/usr/share/datasets/fashion-mnist: apt-get install dataset-fashion-mnist)");
        QTemporaryDir dir;
        test::writeFile(dir.filePath("fashion.json"), kFashionProject);
        const auto r = test::runCli({"run", "fashion.json", "--quiet", "--summary", "s.json"}, dir.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        const auto summary = nlohmann::json::parse(test::readAll(dir.filePath("s.json")).toStdString());
        QVERIFY2(summary["final_logs"].contains("val_accuracy"), summary.dump().c_str());
        QVERIFY2(summary["final_logs"]["val_accuracy"].get<double>() > 0.6, summary.dump().c_str());
        QVERIFY(QFileInfo::exists(dir.filePath("ckpt/best.weights.h5")));
    }
};

QTEST_GUILESS_MAIN(TestDataIdx)
#include "TestDataIdx.moc"
