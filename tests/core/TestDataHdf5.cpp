// HDF5 input: small files written here with the HDF5 C API, read back; bad files and their messages.
#include <QtTest>

#include <fstream>
#include <vector>

#if __has_include(<hdf5.h>)
#include <hdf5.h>
#else
#include <hdf5/serial/hdf5.h> // Debian: the serial flavour's headers are not on the default path
#endif

#include "core/base/Errors.h"
#include "core/data/Hdf5Reader.h"

using namespace cklab;

namespace {

/// Creates datasets in one file; any type, any shape.
class H5Writer {
public:
    explicit H5Writer(const std::string& path) : m_file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT)) {}
    ~H5Writer() { H5Fclose(m_file); }
    bool ok() const { return m_file >= 0; }

    template <typename T>
    void add(const std::string& name, hid_t type, const std::vector<hsize_t>& dims, const std::vector<T>& values)
    {
        const hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
        H5Pset_create_intermediate_group(lcpl, 1);
        const hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
        const hid_t ds = H5Dcreate2(m_file, name.c_str(), type, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
        H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
        H5Dclose(ds);
        H5Sclose(space);
        H5Pclose(lcpl);
    }
    void group(const std::string& name) { H5Gclose(H5Gcreate2(m_file, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)); }

private:
    hid_t m_file;
};

std::vector<float> iota(int n)
{
    std::vector<float> v(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        v[static_cast<std::size_t>(i)] = static_cast<float>(i) * 0.5f;
    return v;
}

} // namespace

class TestDataHdf5 : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string path(const QString& name) const { return m_dir.filePath(name).toStdString(); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void floatXIntLabels()
    {
        const auto file = path("a.h5");
        {
            H5Writer w(file);
            QVERIFY(w.ok());
            w.add("X", H5T_NATIVE_FLOAT, {4, 3}, iota(12));
            w.add("y", H5T_NATIVE_INT64, {4}, std::vector<std::int64_t>{0, 2, 1, 2});
        }
        const Dataset d = readHdf5Dataset(file);
        QCOMPARE(d.x.rows(), 4);
        QCOMPARE(d.x.cols(), 3);
        QCOMPARE(d.x(1, 2), 2.5f); // row-major element 5 * 0.5
        QCOMPARE(d.x(3, 0), 4.5f);
        QCOMPARE(d.numClasses, 3);
        QCOMPARE(d.y(1, 0), 2.0f);
        QCOMPARE(d.y(2, 0), 1.0f);
    }

    void intXDoubleLabelsInGroups()
    {
        const auto file = path("b.h5");
        {
            H5Writer w(file);
            w.add("/data/features", H5T_NATIVE_INT16, {2, 2}, std::vector<std::int16_t>{-3, 7, 100, 0});
            w.add("/data/labels", H5T_NATIVE_DOUBLE, {2, 1}, std::vector<double>{1.0, 0.0});
        }
        const Dataset d = readHdf5Dataset(file, "/data/features", "data/labels");
        QCOMPARE(d.x(0, 0), -3.0f);
        QCOMPARE(d.x(1, 0), 100.0f);
        QCOMPARE(d.y(0, 0), 1.0f);
        QCOMPARE(d.numClasses, 2);
    }

    void oneHotLabels()
    {
        const auto file = path("c.h5");
        {
            H5Writer w(file);
            w.add("X", H5T_NATIVE_DOUBLE, {3, 1}, std::vector<double>{1, 2, 3});
            w.add("y", H5T_NATIVE_FLOAT, {3, 4}, std::vector<float>{0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0});
        }
        const Dataset d = readHdf5Dataset(file);
        QCOMPARE(d.numClasses, 4); // from the width, even though class 2 never occurs
        QCOMPARE(d.y(0, 0), 3.0f);
        QCOMPARE(d.y(1, 0), 0.0f);
        QCOMPARE(d.y(2, 0), 1.0f);
    }

    void matrixForPrediction()
    {
        const auto file = path("p.h5");
        {
            H5Writer w(file);
            w.add("inputs", H5T_NATIVE_UINT8, {2, 2}, std::vector<std::uint8_t>{1, 2, 3, 255});
        }
        const Matrix m = readHdf5Matrix(file, "inputs");
        QCOMPARE(m.rows(), 2);
        QCOMPARE(m(1, 1), 255.0f);
    }

    void images_data()
    {
        QTest::addColumn<bool>("rgb");
        QTest::addColumn<bool>("scale");
        QTest::newRow("(N, H, W) uint8 scaled") << false << true;
        QTest::newRow("(N, H, W) uint8 raw") << false << false;
        QTest::newRow("(N, H, W, C) uint8 scaled") << true << true;
    }
    void images()
    {
        QFETCH(bool, rgb);
        QFETCH(bool, scale);
        // Two images of 2 x 3 (x 2 channels): value v = its flat C-order index * 10.
        const std::vector<hsize_t> dims = rgb ? std::vector<hsize_t>{2, 2, 3, 2} : std::vector<hsize_t>{2, 2, 3};
        const int perImage = rgb ? 12 : 6;
        std::vector<std::uint8_t> pixels;
        for (int i = 0; i < 2 * perImage; ++i)
            pixels.push_back(static_cast<std::uint8_t>(i * 10));
        const auto file = path("img.h5");
        {
            H5Writer w(file);
            w.add("images", H5T_NATIVE_UINT8, dims, pixels);
            w.add("labels", H5T_NATIVE_INT64, {2}, std::vector<std::int64_t>{1, 0});
        }
        const Dataset d = readHdf5Dataset(file, "images", "labels", scale);
        QCOMPARE(d.sampleShape, rgb ? (std::vector<int>{2, 3, 2}) : (std::vector<int>{2, 3, 1}));
        QCOMPARE(d.features(), perImage);
        QCOMPARE(d.numClasses, 2);
        // image 1, row 1, column 2 (last channel): flat index perImage + perImage - 1
        const float expected = float((2 * perImage - 1) * 10);
        QCOMPARE(d.x(1, perImage - 1), scale ? expected / 255.0f : expected);
    }

    void tablesOfBytesAreNotScaled()
    {
        // 2-D uint8 tables are read as they always were: scaling is for images only.
        const auto file = path("bytes.h5");
        {
            H5Writer w(file);
            w.add("X", H5T_NATIVE_UINT8, {2, 2}, std::vector<std::uint8_t>{1, 2, 3, 255});
            w.add("y", H5T_NATIVE_INT, {2}, std::vector<int>{0, 1});
        }
        const Dataset d = readHdf5Dataset(file);
        QVERIFY(d.sampleShape.empty());
        QCOMPARE(d.x(1, 1), 255.0f);
    }

    void badFiles_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("message"); // %1 = path
        QTest::newRow("missing file") << "missing" << "%1: cannot open file: No such file or directory";
        QTest::newRow("not hdf5") << "text" << "%1: not an HDF5 file";
        QTest::newRow("no X") << "noX" << "%1: dataset 'X' not found";
        QTest::newRow("no y") << "noY" << "%1: dataset 'y' not found";
        QTest::newRow("group not dataset") << "group" << "%1: 'y' is not a dataset";
        QTest::newRow("X rank 1") << "rank1" << "%1: X must be 2-D [rows, features] or images (N, H, W) or (N, H, W, C), has shape (6,)";
        QTest::newRow("X rank 5") << "rank5"
                                  << "%1: X must be 2-D [rows, features] or images (N, H, W) or (N, H, W, C), has shape (1, 1, 2, 3, 1)";
        QTest::newRow("y rank 3") << "rank3" << "%1: y must be 1-D class indices or 2-D one-hot, has shape (2, 1, 1)";
        QTest::newRow("rows differ") << "rows" << "%1: X has 100 rows but y has 90";
        QTest::newRow("not one-hot") << "onehot" << "%1: y row 1 is not one-hot (exactly one 1, the rest 0)";
        QTest::newRow("fractional label") << "frac" << "%1: y row 0: 0.5 is not a class index (a non-negative integer)";
        QTest::newRow("string dataset") << "string" << "%1: dataset 'X' is not numeric (integer or float)";
    }

    void badFiles()
    {
        QFETCH(QString, kind);
        QFETCH(QString, message);
        const std::string file = path(kind + ".h5");
        if (kind == "text") {
            std::ofstream(file) << "a,b\n1,2\n";
        } else if (kind != "missing") {
            H5Writer w(file);
            if (kind == "noX")
                w.add("y", H5T_NATIVE_INT, {2}, std::vector<int>{0, 1});
            if (kind == "noY" || kind == "group" || kind == "rank3" || kind == "onehot" || kind == "frac")
                w.add("X", H5T_NATIVE_FLOAT, {2, 3}, iota(6));
            if (kind == "group")
                w.group("y");
            if (kind == "rank1")
                w.add("X", H5T_NATIVE_FLOAT, {6}, iota(6));
            if (kind == "rank5") {
                w.add("X", H5T_NATIVE_FLOAT, {1, 1, 2, 3, 1}, iota(6));
                w.add("y", H5T_NATIVE_INT, {1}, std::vector<int>{0});
            }
            if (kind == "rank3")
                w.add("y", H5T_NATIVE_INT, {2, 1, 1}, std::vector<int>{0, 1});
            if (kind == "rows") {
                w.add("X", H5T_NATIVE_FLOAT, {100, 2}, iota(200));
                w.add("y", H5T_NATIVE_INT, {90}, std::vector<int>(90, 0));
            }
            if (kind == "onehot")
                w.add("y", H5T_NATIVE_INT, {2, 2}, std::vector<int>{0, 1, 1, 1});
            if (kind == "frac")
                w.add("y", H5T_NATIVE_FLOAT, {2}, std::vector<float>{0.5f, 1.0f});
            if (kind == "string") {
                const hid_t type = H5Tcopy(H5T_C_S1);
                H5Tset_size(type, 4);
                w.add("X", type, {2, 1}, std::vector<char>{'a', 'b', 'c', 0, 'd', 'e', 'f', 0});
                H5Tclose(type);
            }
        }
        try {
            readHdf5Dataset(file);
            QFAIL("no error");
        } catch (const IoError& e) {
            QCOMPARE(QString(e.what()), message.arg(QString::fromStdString(file)));
        }
    }

    void hdf5ErrorStackIsSilenced()
    {
        // After a failed read HDF5's automatic error printing must be off (it would flood stderr).
        const auto file = path("silence.h5");
        { H5Writer w(file); }
        QVERIFY_THROWS_EXCEPTION(IoError, readHdf5Dataset(file));
        H5E_auto2_t func = nullptr;
        void* data = nullptr;
        H5Eget_auto2(H5E_DEFAULT, &func, &data);
        QVERIFY(func == nullptr);
    }
};

QTEST_APPLESS_MAIN(TestDataHdf5)
#include "TestDataHdf5.moc"
