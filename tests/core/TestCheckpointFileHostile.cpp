// Hostile checkpoint files (issue 8): sizes that a file declares but does not hold must give a
// clear IoError naming the file and the dataset or zip entry, before anything that size is
// allocated. The files are our own saves with a few bytes patched, as an attacker would.
#include <QTemporaryDir>
#include <QtTest>

#include <cstdint>
#include <fstream>
#include <iterator>

#include "core/base/Errors.h"
#include "core/io/CheckpointFile.h"
#include "core/io/KerasArchive.h"
#include "core/model/Model.h"
#include "tests/support/SmallModel.h"

#undef slots // OptimizerState has a member called `slots`, which Qt defines as a macro.

using namespace cklab;

namespace {

/// 5 inputs -> Dense 7 -> Dense 3: the first kernel is [5, 7], a pair no other shape repeats.
std::unique_ptr<Model> smallModel() { return test::smallDenseModel(5, {7, 3}, 1); }

std::string readAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeAll(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string le(std::uint64_t value, int bytes)
{
    std::string out;
    for (int i = 0; i < bytes; ++i)
        out += static_cast<char>((value >> (8 * i)) & 0xff);
    return out;
}

/// Offset of the central-directory header of zip entry `name` (PK\1\2 + name at offset 46).
std::size_t centralHeader(const std::string& zip, const std::string& name)
{
    for (std::size_t at = zip.find("PK\x01\x02"); at != std::string::npos; at = zip.find("PK\x01\x02", at + 4)) {
        const auto nameLength = static_cast<unsigned char>(zip[at + 28]) | static_cast<unsigned char>(zip[at + 29]) << 8;
        if (zip.compare(at + 46, static_cast<std::size_t>(nameLength), name) == 0)
            return at;
    }
    return std::string::npos;
}

/// The IoError text of reading `path`, or "" if it did not throw one.
QString readError(const std::string& path)
{
    try {
        readCheckpoint(path);
    } catch (const IoError& e) {
        if (e.path() != path)
            return "IoError for another path: " + QString::fromStdString(e.path());
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

class TestCheckpointFileHostile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void datasetDeclaringMoreThanStored_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("dataset");
        QTest::newRow("weights.h5") << "w.weights.h5" << "layers/dense/vars/0";
        QTest::newRow("legacy h5") << "w.h5" << "model_weights/dense/dense/kernel:0";
    }
    // The kernel's dataspace patched from [5, 7] to [2^40, 7] and to [6, 7]: the file still
    // stores 5 x 7 floats (140 bytes).
    void datasetDeclaringMoreThanStored()
    {
        QFETCH(QString, name);
        QFETCH(QString, dataset);
        QTemporaryDir dir;
        const std::string path = dir.filePath(name).toStdString();
        saveCheckpoint(path, *smallModel());
        const std::string original = readAll(path);
        const std::string dims = le(5, 8) + le(7, 8);
        const std::size_t at = original.find(dims);
        QVERIFY2(at != std::string::npos, "the kernel's dataspace [5, 7] is in the file");

        std::string huge = original;
        huge.replace(at, 8, le(std::uint64_t{1} << 40, 8));
        writeAll(path, huge);
        QCOMPARE(readError(path), QString::fromStdString(path) + ": " + dataset
                                      + ": declares shape [1099511627776, 7], more than the 67108864 elements allowed here");

        std::string larger = original;
        larger.replace(at, 8, le(6, 8));
        writeAll(path, larger);
        QCOMPARE(readError(path), QString::fromStdString(path) + ": " + dataset
                                      + ": declares shape [6, 7] (42 elements of 4 bytes) but the file stores 140 bytes for it");
    }

    void zipEntryDeclaringHugeSize_data()
    {
        QTest::addColumn<QString>("entry");
        QTest::addColumn<int>("field");  // offset in the central header: 24 size, 20 stored size
        QTest::addColumn<qint64>("value");  // -1: 2000 x the stored size
        QTest::addColumn<QString>("cause");
        QTest::newRow("config 4 GiB") << "config.json" << 24 << qint64(0xFFFFFFF0)
                                      << "config.json: declares 4294967280 bytes, more than the limit of 1073741824";
        QTest::newRow("weights 4 GiB") << "model.weights.h5" << 24 << qint64(0xFFFFFFF0)
                                       << "model.weights.h5: declares 4294967280 bytes, more than the limit of 1073741824";
        QTest::newRow("weights beyond deflate") << "model.weights.h5" << 24 << qint64(-1)
                                                << "model.weights.h5: declares %1 bytes from %2 stored bytes, more than "
                                                   "compression can give";
    }
    void zipEntryDeclaringHugeSize()
    {
        QFETCH(QString, entry);
        QFETCH(int, field);
        QFETCH(qint64, value);
        QFETCH(QString, cause);
        QTemporaryDir dir;
        const std::string path = dir.filePath("m.keras").toStdString();
        saveCheckpoint(path, *smallModel());
        std::string zip = readAll(path);
        const std::size_t at = centralHeader(zip, entry.toStdString());
        QVERIFY(at != std::string::npos);
        const std::string storedField = zip.substr(at + 20, 4);
        std::uint64_t stored = 0;
        for (int i = 3; i >= 0; --i)
            stored = stored << 8 | static_cast<unsigned char>(storedField[static_cast<std::size_t>(i)]);
        const std::uint64_t declared = value < 0 ? stored * 2000 : static_cast<std::uint64_t>(value);
        zip.replace(at + static_cast<std::size_t>(field), 4, le(declared, 4));
        writeAll(path, zip);
        if (cause.contains("%1"))
            cause = cause.arg(declared).arg(stored);
        QCOMPARE(readError(path), QString::fromStdString(path) + ": " + cause);
    }

    // A bit flip inside the weights entry (fuzz finding): libzip's CRC check must refuse it
    // before HDF5 parses the corrupt image (HDF5 1.10 can crash on corrupt files).
    void zipEntryWithBadCrc()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("m.keras").toStdString();
        saveCheckpoint(path, *smallModel());
        std::string zip = readAll(path);
        std::size_t at = zip.find("model.weights.h5");  // in its local header, before the data
        QVERIFY(at != std::string::npos);
        const auto extra = static_cast<unsigned char>(zip[at - 2]) | static_cast<unsigned char>(zip[at - 1]) << 8;
        at += 16 + static_cast<std::size_t>(extra) + 200;  // 200 bytes into the entry's data
        zip[at] = static_cast<char>(zip[at] ^ 0x10);
        writeAll(path, zip);
        QCOMPARE(readError(path), QString::fromStdString(path) + ": model.weights.h5: CRC error");
    }

    void zipEntryLargerThanArchive()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("m.keras").toStdString();
        saveCheckpoint(path, *smallModel());
        std::string zip = readAll(path);
        const std::size_t at = centralHeader(zip, "model.weights.h5");
        QVERIFY(at != std::string::npos);
        zip.replace(at + 20, 4, le(0x7FFFFFFF, 4));  // stored size 2 GiB, size untouched
        writeAll(path, zip);
        const QString error = readError(path);
        // libzip may refuse the directory itself; either way the file is named and nothing is read.
        QVERIFY2(error == QString::fromStdString(path) + ": model.weights.h5: declares 2147483647 stored bytes, more than the whole archive ("
                              + QString::number(zip.size()) + " bytes)"
                     || error.startsWith(QString::fromStdString(path) + ": not a readable zip archive"),
                 qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestCheckpointFileHostile)
#include "TestCheckpointFileHostile.moc"
