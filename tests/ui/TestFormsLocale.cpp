// Under a comma-decimal locale (de_DE.UTF-8, what QApplication takes from LANG) the forms show
// and accept the user's decimal comma, and what is saved is the C-locale number typed: a dropout
// 0,25 and a learning rate 0.001 are 0.25 and 0.001 in the project file (they were 0, and the
// learning rate was then refused, while std::stod followed LC_NUMERIC).
#include <QDoubleSpinBox>
#include <QLocale>
#include <QTemporaryDir>
#include <QtTest>

#include <clocale>
#include <string>

#include <nlohmann/json.hpp>

#include "core/project/Project.h"
#include "core/project/ProjectJson.h"
#include "tests/support/WidgetDriving.h"
#include "ui/forms/ModelForm.h"
#include "ui/forms/TrainingForm.h"

using namespace cklab::ui;

using cklab::test::child;
using cklab::test::typeInto;

class TestFormsLocale : public QObject {
    Q_OBJECT
    std::string m_previous;

private slots:
    void initTestCase()
    {
        m_previous = std::setlocale(LC_ALL, nullptr);
        if (!std::setlocale(LC_ALL, "de_DE.UTF-8"))
            QFAIL("the de_DE.UTF-8 locale is not generated (scripts/install-deps.sh generates it)");
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    }
    void cleanupTestCase()
    {
        std::setlocale(LC_ALL, m_previous.c_str());
        QLocale::setDefault(QLocale::c());
    }

    void typedFractionsAreSavedExactly()
    {
        ModelForm model;
        model.show();
        cklab::ModelSpec spec;
        spec.layers = {cklab::LayerSpec{cklab::LayerSpec::Kind::Dense, 8, cklab::Activation::Relu, true, 0.f, {}},
                       cklab::LayerSpec{cklab::LayerSpec::Kind::Dropout, 0, cklab::Activation::Linear, true, 0.5f, {}},
                       cklab::LayerSpec{cklab::LayerSpec::Kind::Dense, 3, cklab::Activation::Softmax, true, 0.f, {}}};
        model.setConfig(spec);
        auto* rate = child<QDoubleSpinBox>(&model, "layerRate_1");
        QVERIFY2(rate->text().contains(QLatin1Char(',')), qPrintable(rate->text())); // shown the user's way
        typeInto(rate, QStringLiteral("0,25"));
        QCOMPARE(rate->value(), 0.25);

        TrainingForm training;
        training.show();
        typeInto(child<QDoubleSpinBox>(&training, "optimizerLearningRate"), QStringLiteral("0.001"));
        QVERIFY(training.isValid());

        cklab::Project project;
        project.model = model.config();
        project.training = training.config();
        QCOMPARE(project.model.layers[1].rate, 0.25f);
        QCOMPARE(project.training.compile.optimizer.learningRate, 0.001f);

        QTemporaryDir dir;
        const std::string path = dir.filePath("p.json").toStdString();
        cklab::saveProjectFile(path, project);
        const auto saved = nlohmann::json::parse(cklab::readTextFile(path));
        QCOMPARE(saved["model"]["layers"][1]["rate"].get<double>(), 0.25);
        QCOMPARE(saved["training"]["optimizer"]["learning_rate"].get<double>(), 0.001);
        const auto loaded = cklab::loadProjectFile(path);
        QCOMPARE(loaded.model.layers[1].rate, 0.25f);
        QCOMPARE(loaded.training.compile.optimizer.learningRate, 0.001f);
    }
};

QTEST_MAIN(TestFormsLocale)
#include "TestFormsLocale.moc"
