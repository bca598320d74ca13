// Config difference of two runs (core/compare/ConfigDiff): named fields, array elements, added and
// removed entries, and that every leaf of the project JSON is covered without a list of fields.
#include <QTest>

#include <nlohmann/json.hpp>

#include "core/base/JsonText.h"
#include "core/compare/ConfigDiff.h"
#include "core/project/ProjectJson.h"
#include "tests/support/CompareFixtures.h"

using namespace cklab;
using Json = nlohmann::json;

namespace {

/// Every leaf path of `j` in the notation of ConfigDifference::path, with a pointer to reach it.
void leaves(const Json& j, const std::string& path, const Json::json_pointer& ptr,
            std::vector<std::pair<std::string, Json::json_pointer>>& out)
{
    if (j.is_object() && !j.empty()) {
        for (auto it = j.begin(); it != j.end(); ++it)
            leaves(*it, path.empty() ? it.key() : path + "." + it.key(), ptr / it.key(), out);
    } else if (j.is_array() && !j.empty()) {
        for (std::size_t i = 0; i < j.size(); ++i)
            leaves(j[i], path + "[" + std::to_string(i) + "]", ptr / i, out);
    } else {
        out.emplace_back(path, ptr);
    }
}

/// A value of another type than `v`, so a change is visible whatever the field holds.
Json changed(const Json& v)
{
    if (v.is_string())
        return v.get<std::string>() + "_changed";
    if (v.is_boolean())
        return !v.get<bool>();
    if (v.is_number())
        return v.get<double>() + 1.5;
    return "something";
}

} // namespace

class TestCompareConfigDiff : public QObject {
    Q_OBJECT
private slots:
    void identicalProjectsHaveNoDifference();
    void namedFieldsAndArrayElements();
    void addedAndRemovedPolicies();
    void numbersCompareByValueAndTypeChangesAreOneDifference();
    void everyLeafOfTheProjectIsCovered();
};

void TestCompareConfigDiff::identicalProjectsHaveNoDifference()
{
    const Project p = test::smallComparisonProject();
    QVERIFY(diffProjects(p, p).empty());
    // A round trip through the project file changes nothing either.
    QVERIFY(diffProjects(p, parseProject(parseJsonText(projectToText(p), "roundtrip"))).empty());
}

void TestCompareConfigDiff::namedFieldsAndArrayElements()
{
    Project a = test::smallComparisonProject();
    a.training.compile.optimizer.learningRate = 0.01f;
    a.checkpoints[1].saveBestOnly = false;
    Project b = a;
    b.training.compile.optimizer.learningRate = 0.001f;
    b.checkpoints[1].saveBestOnly = true;
    b.checkpoints[2].monitor = "val_loss";

    const auto d = diffProjects(a, b);
    QCOMPARE(int(d.size()), 3);
    // Sorted by key: "checkpoints" before "training".
    QCOMPARE(d[0].path, std::string("checkpoints[1].save_best_only"));
    QCOMPARE(d[0].a.value(), std::string("false"));
    QCOMPARE(d[0].b.value(), std::string("true"));
    QCOMPARE(d[1].path, std::string("checkpoints[2].monitor"));
    QCOMPARE(d[1].a.value(), std::string("\"loss\""));
    QCOMPARE(d[1].b.value(), std::string("\"val_loss\""));
    QCOMPARE(d[2].path, std::string("training.optimizer.learning_rate"));
    QCOMPARE(d[2].a.value(), std::string("0.01"));
    QCOMPARE(d[2].b.value(), std::string("0.001"));
    QCOMPARE(formatDifference(d[2]), std::string("training.optimizer.learning_rate: 0.01 → 0.001"));

    // Swapping the sides swaps the values and nothing else.
    const auto back = diffProjects(b, a);
    QCOMPARE(int(back.size()), 3);
    QCOMPARE(back[2].a.value(), std::string("0.001"));
    QCOMPARE(back[2].b.value(), std::string("0.01"));
}

void TestCompareConfigDiff::addedAndRemovedPolicies()
{
    const Project a = test::smallComparisonProject();
    Project b = a;
    b.checkpoints.pop_back();
    const auto removed = diffProjects(a, b);
    QCOMPARE(int(removed.size()), 1);
    QCOMPARE(removed[0].path, std::string("checkpoints[2]"));
    QVERIFY(removed[0].a.has_value());
    QVERIFY(!removed[0].b.has_value());
    QVERIFY(removed[0].a->find("\"every_5_batches\"") != std::string::npos);
    QVERIFY(formatDifference(removed[0]).find("(absent)") != std::string::npos);

    const auto added = diffProjects(b, a);
    QCOMPARE(int(added.size()), 1);
    QVERIFY(!added[0].a.has_value());
    QVERIFY(added[0].b.has_value());
}

void TestCompareConfigDiff::numbersCompareByValueAndTypeChangesAreOneDifference()
{
    QVERIFY(diffJson(Json::parse(R"({"x": 1})"), Json::parse(R"({"x": 1.0})")).empty());
    const auto d = diffJson(Json::parse(R"({"x": {"y": 2}, "k": [1, 2], "z": null})"),
                            Json::parse(R"({"x": 3, "k": [1, 2, 5], "w": true})"));
    // Keys in order: k, w, x, z.
    QCOMPARE(int(d.size()), 4);
    QCOMPARE(d[0].path, std::string("k[2]"));
    QVERIFY(!d[0].a.has_value());
    QCOMPARE(d[0].b.value(), std::string("5"));
    QCOMPARE(d[1].path, std::string("w"));
    QVERIFY(!d[1].a.has_value());
    QCOMPARE(d[2].path, std::string("x"));
    QCOMPARE(d[2].a.value(), std::string("{\"y\":2}"));
    QCOMPARE(d[2].b.value(), std::string("3"));
    QCOMPARE(d[3].path, std::string("z"));
    QCOMPARE(d[3].a.value(), std::string("null"));
    QVERIFY(!d[3].b.has_value());
}

void TestCompareConfigDiff::everyLeafOfTheProjectIsCovered()
{
    const Json base = projectToJson(test::smallComparisonProject());
    std::vector<std::pair<std::string, Json::json_pointer>> all;
    leaves(base, "", Json::json_pointer(), all);
    QVERIFY2(all.size() > 60, "the project JSON should have many fields");
    for (const auto& [path, ptr] : all) {
        Json other = base;
        other[ptr] = changed(base[ptr]);
        const auto d = diffJson(base, other);
        QVERIFY2(d.size() == 1, path.c_str());
        QCOMPARE(d[0].path, path);
        QCOMPARE(d[0].a.value(), base[ptr].dump());
        QCOMPARE(d[0].b.value(), other[ptr].dump());
    }
}

QTEST_APPLESS_MAIN(TestCompareConfigDiff)
#include "TestCompareConfigDiff.moc"
