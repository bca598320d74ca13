// CSV input: labelled files (class names, numeric labels, label column by name/index, quotes)
// and a table of bad files with the exact messages a user sees.
#include <QtTest>

#include <fstream>

#include "core/base/Errors.h"
#include "core/data/CsvReader.h"
#include "core/data/DataFileError.h"

using namespace cklab;

class TestDataCsv : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::string write(const QString& name, const QByteArray& content)
    {
        const std::string path = m_dir.filePath(name).toStdString();
        std::ofstream out(path, std::ios::binary);
        out << content.toStdString();
        return path;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void classNamesMapInOrderOfFirstAppearance()
    {
        const auto path = write("flowers.csv", "a,b,species\n1,2,virginica\n3,4,setosa\n5,6,virginica\n7,8.5,versicolor\n");
        const Dataset d = readCsvDataset(path);
        QCOMPARE(d.x.rows(), 4);
        QCOMPARE(d.x.cols(), 2);
        QCOMPARE(d.x(3, 1), 8.5f);
        QCOMPARE(d.numClasses, 3);
        QCOMPARE(d.classNames, (std::vector<std::string>{"virginica", "setosa", "versicolor"}));
        QCOMPARE(d.y(0, 0), 0.0f);
        QCOMPARE(d.y(1, 0), 1.0f);
        QCOMPARE(d.y(2, 0), 0.0f);
        QCOMPARE(d.y(3, 0), 2.0f);
        QCOMPARE(d.featureNames, (std::vector<std::string>{"a", "b"}));
    }

    void knownClassesKeepTheirIndices()
    {
        const auto path = write("val.csv", "a,label\n1,cat\n2,bird\n3,dog\n");
        const Dataset d = readCsvDataset(path, "", {"dog", "cat"});
        QCOMPARE(d.classNames, (std::vector<std::string>{"dog", "cat", "bird"}));
        QCOMPARE(d.y(0, 0), 1.0f);
        QCOMPARE(d.y(1, 0), 2.0f);
        QCOMPARE(d.y(2, 0), 0.0f);
    }

    void numericLabelsAreIndices()
    {
        const auto path = write("num.csv", "x,y,label\n0.5,1,2\n-1e-2,+3,0\n4,5,2.0\n");
        const Dataset d = readCsvDataset(path);
        QCOMPARE(d.numClasses, 3); // max index + 1
        QCOMPARE(d.y(0, 0), 2.0f);
        QCOMPARE(d.y(1, 0), 0.0f);
        QCOMPARE(d.y(2, 0), 2.0f);
        QCOMPARE(d.x(1, 0), -0.01f);
        QCOMPARE(d.x(1, 1), 3.0f);
    }

    void labelColumnByNameOrIndex_data()
    {
        QTest::addColumn<QString>("label");
        QTest::newRow("name") << "kind";
        QTest::newRow("index") << "1";
    }

    void labelColumnByNameOrIndex()
    {
        QFETCH(QString, label);
        const auto path = write("mid.csv", "f0,kind,f1\n1,a,2\n3,b,4\n");
        const Dataset d = readCsvDataset(path, label.toStdString());
        QCOMPARE(d.featureNames, (std::vector<std::string>{"f0", "f1"}));
        QCOMPARE(d.x(1, 0), 3.0f);
        QCOMPARE(d.x(1, 1), 4.0f);
        QCOMPARE(d.classNames, (std::vector<std::string>{"a", "b"}));
    }

    void quotedFieldsCrlfAndBlankLines()
    {
        const auto path = write("q.csv", "\xEF\xBB\xBF\"len, cm\",\"say \"\"hi\"\"\",class\r\n\"1.5\", 2 ,\"a, b\"\r\n\r\n3,4,plain\r\n");
        const Dataset d = readCsvDataset(path);
        QCOMPARE(d.featureNames, (std::vector<std::string>{"len, cm", "say \"hi\""}));
        QCOMPARE(d.x(0, 0), 1.5f);
        QCOMPARE(d.x(0, 1), 2.0f);
        QCOMPARE(d.classNames, (std::vector<std::string>{"a, b", "plain"}));
        QCOMPARE(d.x.rows(), 2);
    }

    void badFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("content"); // empty name below = do not create the file
        QTest::addColumn<QString>("labelColumn");
        QTest::addColumn<QString>("message");    // %1 = the file's path
        QTest::newRow("missing") << "missing.csv" << QByteArray() << ""
                                 << "%1: cannot open file: No such file or directory";
        QTest::newRow("empty") << "empty.csv" << QByteArray("") << ""
                               << "%1: the file is empty (a header row and data rows are required)";
        QTest::newRow("blank only") << "blank.csv" << QByteArray("\n  \n") << ""
                                    << "%1: the file is empty (a header row and data rows are required)";
        QTest::newRow("header only") << "header.csv" << QByteArray("a,b,c\n") << ""
                                     << "%1: the file has a header but no data rows";
        QTest::newRow("one column") << "one.csv" << QByteArray("a\n1\n") << ""
                                    << "%1:1: expected at least 2 columns (features and a label), got 1";
        QTest::newRow("ragged") << "iris.csv" << QByteArray("a,b,c,d,e\n1,2,3,4,x\n1,2,3,x\n") << ""
                                << "%1:3: expected 5 columns, got 4";
        QTest::newRow("too many") << "many.csv" << QByteArray("a,b\n1,x\n\n1,2,3\n") << ""
                                  << "%1:4: expected 2 columns, got 3";
        QTest::newRow("not a number") << "data.csv"
                                      << QByteArray("petal_length,petal_width,label\n1,2,a\n3,abc,b\n") << ""
                                      << "%1:3, column 'petal_width': 'abc' is not a number";
        QTest::newRow("empty cell") << "cell.csv" << QByteArray("a,b,label\n1,,a\n") << ""
                                    << "%1:2, column 'b': '' is not a number";
        QTest::newRow("nan") << "nan.csv" << QByteArray("a,b,label\nnan,1,a\n") << ""
                             << "%1:2, column 'a': 'nan' is not a number";
        QTest::newRow("label name") << "n.csv" << QByteArray("a,b\n1,x\n") << "class"
                                    << "%1:1: label column 'class' not found in the header";
        QTest::newRow("label index") << "i.csv" << QByteArray("a,b\n1,x\n") << "2"
                                     << "%1:1: label column 2 is out of range (the file has 2 columns, 0 to 1)";
        QTest::newRow("bad index label") << "l.csv" << QByteArray("a,label\n1,0\n2,-1\n") << ""
                                         << "%1:3, column 'label': '-1' is not a class index (a non-negative integer) or a class name";
        QTest::newRow("quote") << "quote.csv" << QByteArray("a,b\n\"1,2\n") << ""
                               << "%1:2: unterminated quoted field";
    }

    void badFiles()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QFETCH(QString, labelColumn);
        QFETCH(QString, message);
        const std::string path = file == "missing.csv" ? m_dir.filePath(file).toStdString() : write(file, content);
        try {
            readCsvDataset(path, labelColumn.toStdString());
            QFAIL("no error");
        } catch (const IoError& e) {
            QCOMPARE(QString(e.what()), message.arg(QString::fromStdString(path)));
            QCOMPARE(e.path(), path);
        }
    }

    void featureCsvDetectsHeader()
    {
        std::vector<std::string> header;
        const Matrix withHeader = readFeatureCsv(write("f1.csv", "a,b\n1,2\n3,4\n"), 2, &header);
        QCOMPARE(header, (std::vector<std::string>{"a", "b"}));
        QCOMPARE(withHeader.rows(), 2);
        QCOMPARE(withHeader(1, 0), 3.0f);
        const Matrix noHeader = readFeatureCsv(write("f2.csv", "1,2\n3,4\n"), 0, &header);
        QVERIFY(header.empty());
        QCOMPARE(noHeader.rows(), 2);
        QCOMPARE(noHeader(0, 1), 2.0f);
        const std::string wrong = write("f3.csv", "1,2\n3,4\n");
        try {
            readFeatureCsv(wrong, 3);
            QFAIL("no error");
        } catch (const DataFileError& e) {
            QCOMPARE(QString(e.what()), QString::fromStdString(wrong + ":1: expected 3 columns, got 2"));
            QCOMPARE(e.line(), 1);
        }
        const std::string bad = write("f4.csv", "1,2\n3,x\n");
        try {
            readFeatureCsv(bad, 2);
            QFAIL("no error");
        } catch (const DataFileError& e) {
            // The second row makes no header: the first row is numeric.
            QCOMPARE(QString(e.what()), QString::fromStdString(bad + ":2, column 1: 'x' is not a number"));
        }
    }
};

QTEST_APPLESS_MAIN(TestDataCsv)
#include "TestDataCsv.moc"
