// Files from outside must not read other files (issue 16 item 2): HDF5 external storage,
// external links and virtual datasets make libhdf5 read bytes of another file on an ordinary
// H5Dread. The files here are real checkpoints and data files whose dataset is rewritten with
// the HDF5 C API as an attacker would; the "secret" holds 42.0 everywhere, a value no
// initialisation produces, and must never be loaded.
#include <QDir>
#include <QTemporaryDir>
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
#include "core/io/CheckpointFile.h"
#include "core/io/H5Guard.h"
#include "core/io/UntrustedCheckpoint.h"
#include "core/model/Model.h"
#include "tests/support/SmallModel.h"

#undef slots // OptimizerState has a member called `slots`, which Qt defines as a macro.

using namespace cklab;

namespace {

constexpr float kSecret = 42.0f;
const std::vector<hsize_t> kKernelDims{5, 7}; // layers/dense/vars/0 of smallModel()

std::unique_ptr<Model> smallModel() { return test::smallDenseModel(5, {7, 3}, 1); }

std::vector<float> secretValues(std::size_t n) { return std::vector<float>(n, kSecret); }

/// A raw file of 35 float32 42.0 (what external storage would point at).
void writeSecretBin(const std::string& path)
{
    const auto values = secretValues(35);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(float)));
}

/// An HDF5 file with /data [5, 7] of 42.0 and a group /layers/dense/vars/{0,1} like ours.
void writeSecretH5(const std::string& path)
{
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    const auto values = secretValues(35);
    const hid_t space = H5Screate_simple(2, kKernelDims.data(), nullptr);
    const hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    for (const char* name : {"/data", "/layers/dense/vars/0"}) {
        const hid_t ds = H5Dcreate2(file, name, H5T_IEEE_F32LE, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
        H5Dwrite(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
        H5Dclose(ds);
    }
    const hsize_t biasDims[1] = {7};
    const hid_t biasSpace = H5Screate_simple(1, biasDims, nullptr);
    const hid_t bias = H5Dcreate2(file, "/layers/dense/vars/1", H5T_IEEE_F32LE, biasSpace, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(bias, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
    H5Dclose(bias);
    H5Sclose(biasSpace);
    H5Pclose(lcpl);
    H5Sclose(space);
    H5Fclose(file);
}

enum class Attack { ExternalStorage, ExternalLink, VirtualDataset, SoftLink, ExternalGroupLink };

/// Replaces `dataset` of the HDF5 file `path` ([5, 7] float32) by one whose bytes are elsewhere.
void plant(const std::string& path, const std::string& dataset, Attack attack, const std::string& target)
{
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    QVERIFY(file >= 0);
    const std::string linkPath = attack == Attack::ExternalGroupLink ? "layers/dense" : dataset;
    QVERIFY(H5Ldelete(file, linkPath.c_str(), H5P_DEFAULT) >= 0);
    const hid_t space = H5Screate_simple(2, kKernelDims.data(), nullptr);
    const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    switch (attack) {
    case Attack::ExternalStorage: {
        QVERIFY(H5Pset_external(dcpl, target.c_str(), 0, 35 * sizeof(float)) >= 0);
        const hid_t ds = H5Dcreate2(file, dataset.c_str(), H5T_IEEE_F32LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
        QVERIFY(ds >= 0);
        H5Dclose(ds);
        break;
    }
    case Attack::VirtualDataset: {
        const hid_t source = H5Screate_simple(2, kKernelDims.data(), nullptr);
        QVERIFY(H5Pset_virtual(dcpl, space, target.c_str(), "/data", source) >= 0);
        const hid_t ds = H5Dcreate2(file, dataset.c_str(), H5T_IEEE_F32LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
        QVERIFY(ds >= 0);
        H5Dclose(ds);
        H5Sclose(source);
        break;
    }
    case Attack::ExternalLink:
        QVERIFY(H5Lcreate_external(target.c_str(), "/data", file, dataset.c_str(), H5P_DEFAULT, H5P_DEFAULT) >= 0);
        break;
    case Attack::ExternalGroupLink:
        QVERIFY(H5Lcreate_external(target.c_str(), "/layers/dense", file, "layers/dense", H5P_DEFAULT, H5P_DEFAULT) >= 0);
        break;
    case Attack::SoftLink:
        QVERIFY(H5Lcreate_soft(target.c_str(), file, dataset.c_str(), H5P_DEFAULT, H5P_DEFAULT) >= 0);
        break;
    }
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Fclose(file);
}

/// Changes the working directory for one test row and back, also when the row fails.
struct WorkingDirectory {
    explicit WorkingDirectory(const QString& dir) : previous(QDir::currentPath()) { QDir::setCurrent(dir); }
    ~WorkingDirectory() { QDir::setCurrent(previous); }
    QString previous;
};

bool holdsSecret(const LoadedCheckpoint& c)
{
    for (const Matrix& m : c.variables)
        if (m.size() > 0 && m(0, 0) == kSecret)
            return true;
    return false;
}

} // namespace

class TestOutsideData : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void checkpointReadsNoOtherFile_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("attack");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("why");
        const int storage = int(Attack::ExternalStorage);
        const int link = int(Attack::ExternalLink);
        const int vds = int(Attack::VirtualDataset);
        QTest::newRow("external storage, absolute") << "x.weights.h5" << storage << "@/secret.bin"
            << "layers/dense/vars/0: keeps its data in an external file (@/secret.bin); CheckpointLab reads only data stored inside the file";
        QTest::newRow("external storage, ../") << "x.weights.h5" << storage << "../secret.bin"
            << "layers/dense/vars/0: keeps its data in an external file (../secret.bin); CheckpointLab reads only data stored inside the file";
        QTest::newRow("external link") << "x.weights.h5" << link << "@/secret.h5"
            << "layers/dense/vars/0: it is an external link to @/secret.h5:/data; CheckpointLab reads only data stored inside the file";
        QTest::newRow("external link to a group") << "x.weights.h5" << int(Attack::ExternalGroupLink) << "@/secret.h5"
            << "layers/dense/vars: 'layers/dense' is an external link to @/secret.h5:/layers/dense; CheckpointLab reads only data stored inside the file";
        QTest::newRow("virtual dataset") << "x.weights.h5" << vds << "@/secret.h5"
            << "layers/dense/vars/0: is a virtual dataset (its data maps from @/secret.h5:/data); CheckpointLab reads only data stored inside the file";
        QTest::newRow("soft link") << "x.weights.h5" << int(Attack::SoftLink) << "/layers/dense_1/vars/1"
            << "layers/dense/vars/0: it is a soft link to '/layers/dense_1/vars/1'; a checkpoint's objects are stored at their own path (Keras writes no links)";
        QTest::newRow("legacy .h5, external storage") << "x.h5" << storage << "@/secret.bin"
            << "model_weights/dense/dense/kernel:0: keeps its data in an external file (@/secret.bin); CheckpointLab reads only data stored inside the file";
        QTest::newRow("legacy .h5, external link") << "x.h5" << link << "@/secret.h5"
            << "model_weights/dense/dense/kernel:0: it is an external link to @/secret.h5:/data; CheckpointLab reads only data stored inside the file";
        QTest::newRow("legacy .h5, virtual dataset") << "x.h5" << vds << "@/secret.h5"
            << "model_weights/dense/dense/kernel:0: is a virtual dataset (its data maps from @/secret.h5:/data); CheckpointLab reads only data stored inside the file";
    }

    void checkpointReadsNoOtherFile()
    {
        QFETCH(QString, name);
        QFETCH(int, attack);
        QFETCH(QString, target);
        QFETCH(QString, why);
        QTemporaryDir dir;
        const QString root = dir.path();
        QVERIFY(QDir(root).mkpath("run"));
        writeSecretBin((root + "/secret.bin").toStdString());
        writeSecretH5((root + "/secret.h5").toStdString());
        // A relative external file name is resolved against the working directory: run/.
        const WorkingDirectory inRun(root + "/run");
        const std::string path = (root + "/run/" + name).toStdString();
        saveCheckpoint(path, *smallModel());
        const std::string dataset = name.endsWith(".h5") && !name.endsWith(".weights.h5")
            ? "model_weights/dense/dense/kernel:0" : "layers/dense/vars/0";
        target.replace("@", root);
        plant(path, dataset, Attack(attack), target.toStdString());
        why.replace("@", root);
        const QString expected = QString::fromStdString(path) + ": " + why;
        for (const bool isolated : {false, true}) {
            QString error;
            try {
                const LoadedCheckpoint c = isolated ? readUntrustedCheckpoint(path) : readCheckpoint(path);
                error = holdsSecret(c) ? "loaded the secret file's bytes as weights" : "read without error";
            } catch (const IoError& e) {
                error = QString::fromUtf8(e.what());
            }
            QCOMPARE(error, expected);
        }
    }

    /// Defence in depth: once a checkpoint has been read, libhdf5 itself refuses to follow an
    /// external link, so a read we forgot to check cannot open another file either.
    void externalLinksAreNotTraversedAtAll()
    {
        QTemporaryDir dir;
        const std::string secret = (dir.path() + "/secret.h5").toStdString();
        const std::string path = (dir.path() + "/x.weights.h5").toStdString();
        writeSecretH5(secret);
        saveCheckpoint(path, *smallModel());
        (void)readCheckpoint(path); // sets the library up
        plant(path, "layers/dense/vars/0", Attack::ExternalLink, secret);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
        const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
        QVERIFY(file >= 0);
        H5L_info_t info{};
        QVERIFY(H5Lget_info(file, "layers/dense/vars/0", &info, H5P_DEFAULT) >= 0);
        QCOMPARE(int(info.type), int(H5L_TYPE_EXTERNAL)); // still a link we can see
        const hid_t ds = H5Dopen2(file, "layers/dense/vars/0", H5P_DEFAULT);
        QVERIFY(ds < 0); // but not one that opens secret.h5
        H5Eclear2(H5E_DEFAULT);
        H5Fclose(file);
    }

    /// One file's datasets together are bounded (h5::ReadBudget, issue 16 item 8b), charged
    /// before each allocation; here a real checkpoint of 67 elements read under an enclosing
    /// budget of 50 (the reader's own default is kMaxFileElements = 2^28) and one of 67.
    void datasetsOfOneFileAreBoundedTogether()
    {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/x.weights.h5").toStdString();
        saveCheckpoint(path, *smallModel()); // kernels 5x7 and 7x3, biases 7 and 3
        QString error;
        {
            const h5::ReadBudget budget(50);
            try {
                (void)readCheckpoint(path);
                error = "read without error";
            } catch (const IoError& e) {
                error = QString::fromUtf8(e.what());
            }
        }
        QVERIFY2(error.startsWith(QString::fromStdString(path) + ": layers/"), qPrintable(error));
        QVERIFY2(error.contains(": the file's datasets declare more than 50 elements together ("), qPrintable(error));
        QVERIFY2(error.endsWith("here); a compressed file may not unpack to more than that"), qPrintable(error));
        // 66 elements of variables and the optimizer's learning rate (optimizer/vars/1): exactly fits.
        const h5::ReadBudget enough(67);
        QCOMPARE(readCheckpoint(path).variables.size(), std::size_t(4));
    }

    void dataFileReadsNoOtherFile_data()
    {
        QTest::addColumn<int>("attack");
        QTest::addColumn<QString>("why");
        QTest::newRow("external storage") << int(Attack::ExternalStorage)
            << "x: keeps its data in an external file (@/secret.bin); CheckpointLab reads only data stored inside the file";
        QTest::newRow("external link") << int(Attack::ExternalLink)
            << "x: it is an external link to @/secret.h5:/data; CheckpointLab reads only data stored inside the file";
        QTest::newRow("virtual dataset") << int(Attack::VirtualDataset)
            << "x: is a virtual dataset (its data maps from @/secret.h5:/data); CheckpointLab reads only data stored inside the file";
    }

    /// HDF5 data files for training (core/data/Hdf5Reader) go through the same rule; a soft
    /// link stays allowed there (it cannot leave the file).
    void dataFileReadsNoOtherFile()
    {
        QFETCH(int, attack);
        QFETCH(QString, why);
        QTemporaryDir dir;
        const QString root = dir.path();
        writeSecretBin((root + "/secret.bin").toStdString());
        writeSecretH5((root + "/secret.h5").toStdString());
        const std::string path = (root + "/data.h5").toStdString();
        {
            const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
            const std::vector<float> x(35, 0.5f);
            const std::vector<float> y{0, 1, 0, 1, 0};
            const hid_t space = H5Screate_simple(2, kKernelDims.data(), nullptr);
            const hid_t xs = H5Dcreate2(file, "x", H5T_IEEE_F32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
            H5Dwrite(xs, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, x.data());
            const hsize_t rows[1] = {5};
            const hid_t yspace = H5Screate_simple(1, rows, nullptr);
            const hid_t ys = H5Dcreate2(file, "y", H5T_IEEE_F32LE, yspace, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
            H5Dwrite(ys, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, y.data());
            H5Dclose(ys);
            H5Sclose(yspace);
            H5Dclose(xs);
            H5Sclose(space);
            QVERIFY(H5Lcreate_soft("/x", file, "features", H5P_DEFAULT, H5P_DEFAULT) >= 0);
            H5Fclose(file);
        }
        QCOMPARE(readHdf5Dataset(path, "features", "y").x(0, 0), 0.5f); // soft link: allowed
        plant(path, "x", Attack(attack), (attack == int(Attack::ExternalStorage) ? root + "/secret.bin" : root + "/secret.h5").toStdString());
        QString error;
        try {
            const Dataset d = readHdf5Dataset(path, "x", "y");
            error = d.x(0, 0) == kSecret ? "loaded the secret file's bytes as data" : "read without error";
        } catch (const IoError& e) {
            error = QString::fromUtf8(e.what());
        }
        why.replace("@", root);
        QCOMPARE(error, QString::fromStdString(path) + ": " + why);
    }
};

QTEST_GUILESS_MAIN(TestOutsideData)
#include "TestOutsideData.moc"
