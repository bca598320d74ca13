// Issue 16, item 4: writers of one run that can write the same file are found before the run.
// Templates read as patterns: literal text, digits for {epoch}/{batch}, number characters for a
// float key, anything with a fill character. The project's validation names both writers.
#include <QtTest>

#include "core/checkpoint/PathOverlap.h"
#include "core/project/Project.h"
#include "core/project/ProjectValidation.h"

using namespace cklab;

class TestPathOverlap : public QObject {
    Q_OBJECT
private slots:
    void templates_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("clash");
        QTest::newRow("same name") << "best.keras" << "best.keras" << true;
        QTest::newRow("same after ./") << "./ck/best.keras" << "ck//best.keras" << true;
        QTest::newRow("other name") << "best.keras" << "last.keras" << false;
        QTest::newRow("same template") << "e{epoch:02d}.keras" << "e{epoch:02d}.keras" << true;
        QTest::newRow("epoch is digits") << "{epoch:02d}.keras" << "best.keras" << false;
        QTest::newRow("epoch renders 12") << "{epoch:02d}.keras" << "12.keras" << true;
        QTest::newRow("other folders") << "a/{epoch}.keras" << "b/{epoch}.keras" << false;
        QTest::newRow("extra field") << "m-{epoch}.keras" << "m-{epoch}-{val_loss:.2f}.keras" << false;
        QTest::newRow("float can be 1") << "m-{loss:.0f}.keras" << "m-{epoch}.keras" << true;
        QTest::newRow("fill char") << "{epoch:x>4d}.keras" << "xx12.keras" << true;
        QTest::newRow("suffix differs") << "e{epoch}.weights.h5" << "e{epoch}.keras" << false;
        QTest::newRow("batch vs epoch folders") << "batches/e{epoch:02d}-b{batch:02d}.weights.h5"
                                                << "every_epoch/epoch-{epoch:02d}.keras" << false;
    }
    void templates()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, clash);
        QCOMPARE(templatesCanCollide(a.toStdString(), b.toStdString()), clash);
        QCOMPARE(templatesCanCollide(b.toStdString(), a.toStdString()), clash);
    }

    void insideFolder()
    {
        QVERIFY(templateCanWriteInside("backup/e{epoch}.keras", "backup"));
        QVERIFY(templateCanWriteInside("./backup/x.keras", "backup/"));
        QVERIFY(templateCanWriteInside("{epoch}/x.keras", "12"));
        QVERIFY(!templateCanWriteInside("backups/x.keras", "backup"));
        QVERIFY(!templateCanWriteInside("ck/backup.keras", "backup"));
    }

    void projectNamesBothWriters()
    {
        Project p;
        p.data.source = "generator";
        p.model.layers.resize(1);
        p.model.layers[0].units = 2;
        p.checkpoints.resize(3);
        p.checkpoints[0].name = "a";
        p.checkpoints[0].filepath = "ck/e{epoch:02d}.keras";
        p.checkpoints[1].name = "b";
        p.checkpoints[1].filepath = "ck/e{epoch:03d}.keras";   // e001 vs e01: both can be e100
        p.checkpoints[2].name = "c";
        p.checkpoints[2].filepath = "training.log";
        p.training.csvLogger.enabled = true;
        p.training.backup.enabled = true;
        p.training.backup.backupDir = "ck";
        const auto clashes = writerClashes(p);
        const auto has = [&](const std::string& start, const std::string& part) {
            for (const auto& m : clashes)
                if (m.rfind(start, 0) == 0 && m.find(part) != std::string::npos)
                    return true;
            return false;
        };
        QVERIFY(has("checkpoints[1].filepath: 'ck/e{epoch:03d}.keras' can name the same file as checkpoints[0].filepath", "'ck/e{epoch:02d}.keras'"));
        QVERIFY(has("training.csv_logger.filename: 'training.log' can be a checkpoint of checkpoints[2]", "overwrite"));
        QVERIFY(has("training.backup.backup_dir: checkpoints[0].filepath", "deletes at its end"));
        QCOMPARE(int(clashes.size()), 4); // a-b, log-c, backup-a, backup-b
        const auto all = validateProject(p);
        for (const auto& m : clashes)
            QVERIFY(std::find(all.begin(), all.end(), m) != all.end());
    }
};

QTEST_MAIN(TestPathOverlap)
#include "TestPathOverlap.moc"
