#include "core/data/Generators.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

#include <fmt/format.h>

#include "core/base/Errors.h"
#include "core/nn/Rng.h"

namespace cklab {

namespace {

constexpr float kPi = std::numbers::pi_v<float>;

float gauss(Rng& rng, float stddev)
{
    return stddev == 0.0f ? 0.0f : stddev * static_cast<float>(rng.normal());
}

void checkParams(const std::string& name, const GeneratorParams& p, bool usesFeatures, bool usesClasses)
{
    std::vector<std::string> problems;
    if (p.samples <= 0)
        problems.push_back(fmt::format("data.samples: must be > 0, got {}", p.samples));
    if (usesFeatures && p.features <= 0)
        problems.push_back(fmt::format("data.features: must be > 0 for generator \"{}\", got {}", name, p.features));
    if (usesClasses && p.classes < 2)
        problems.push_back(fmt::format("data.classes: must be >= 2 for generator \"{}\", got {}", name, p.classes));
    if (!(p.noise >= 0.0f) || !std::isfinite(p.noise))
        problems.push_back(fmt::format("data.noise: must be a finite number >= 0, got {}", p.noise));
    throwIfInvalid(problems);
}

/// Balanced labels 0,1,..,k-1,0,1,.. for n rows.
std::vector<int> balancedLabels(int n, int classes)
{
    std::vector<int> labels(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        labels[static_cast<std::size_t>(i)] = i % classes;
    return labels;
}

} // namespace

void shuffleRows(Dataset& d, Rng& rng)
{
    std::vector<std::int64_t> order(static_cast<std::size_t>(d.x.rows()));
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = static_cast<std::int64_t>(i);
    rng.shuffle(order);
    Matrix x(d.x.rows(), d.x.cols());
    Matrix y(d.y.rows(), d.y.cols());
    for (std::size_t i = 0; i < order.size(); ++i) {
        x.row(static_cast<Eigen::Index>(i)) = d.x.row(order[i]);
        y.row(static_cast<Eigen::Index>(i)) = d.y.row(order[i]);
    }
    d.x = std::move(x);
    d.y = std::move(y);
}

namespace {

Dataset makeDataset(int n, int d, int classes, std::string source)
{
    Dataset out;
    out.x = Matrix::Zero(n, d);
    out.y = Matrix::Zero(n, 1);
    out.numClasses = classes;
    for (int j = 0; j < d; ++j)
        out.featureNames.push_back(d == 2 ? (j == 0 ? "x" : "y") : fmt::format("x{}", j));
    for (int c = 0; c < classes; ++c)
        out.classNames.push_back(fmt::format("class {}", c));
    out.source = std::move(source);
    return out;
}

} // namespace

const std::vector<std::string>& generatorNames()
{
    static const std::vector<std::string> names{"uniform", "blobs", "moons", "circles", "spirals", "xor"};
    return names;
}

bool isGeneratorName(const std::string& name)
{
    const auto& names = generatorNames();
    return std::find(names.begin(), names.end(), name) != names.end();
}

bool generatorUsesFeatures(const std::string& name) { return name == "uniform" || name == "blobs"; }

bool generatorUsesClasses(const std::string& name) { return name == "uniform" || name == "blobs" || name == "spirals"; }

Dataset generateDataset(const std::string& name, const GeneratorParams& params, Rng& rng)
{
    if (name == "uniform") return generateUniform(params, rng);
    if (name == "blobs") return generateBlobs(params, rng);
    if (name == "moons") return generateMoons(params, rng);
    if (name == "circles") return generateCircles(params, rng);
    if (name == "spirals") return generateSpirals(params, rng);
    if (name == "xor") return generateXor(params, rng);
    throw ConfigError({fmt::format(
        "data.generator: must be one of \"uniform\", \"blobs\", \"moons\", \"circles\", \"spirals\", \"xor\", got \"{}\"",
        name)});
}

Dataset generateUniform(const GeneratorParams& p, Rng& rng)
{
    checkParams("uniform", p, true, true);
    Dataset d = makeDataset(p.samples, p.features, p.classes,
                            fmt::format("uniform(n={}, d={}, classes={})", p.samples, p.features, p.classes));
    for (int i = 0; i < p.samples; ++i)
        for (int j = 0; j < p.features; ++j)
            d.x(i, j) = rng.uniformFloat();
    for (int i = 0; i < p.samples; ++i)
        d.y(i, 0) = static_cast<float>(rng.below(static_cast<std::uint64_t>(p.classes)));
    return d;
}

Dataset generateBlobs(const GeneratorParams& p, Rng& rng)
{
    checkParams("blobs", p, true, true);
    Dataset d = makeDataset(p.samples, p.features, p.classes,
                            fmt::format("blobs(n={}, d={}, classes={}, noise={})", p.samples, p.features, p.classes, p.noise));
    Matrix centres(p.classes, p.features);
    for (int c = 0; c < p.classes; ++c)
        for (int j = 0; j < p.features; ++j)
            centres(c, j) = rng.uniform(-5.0f, 5.0f);
    const auto labels = balancedLabels(p.samples, p.classes);
    for (int i = 0; i < p.samples; ++i) {
        const int c = labels[static_cast<std::size_t>(i)];
        for (int j = 0; j < p.features; ++j)
            d.x(i, j) = centres(c, j) + gauss(rng, 1.0f) + gauss(rng, p.noise);
        d.y(i, 0) = static_cast<float>(c);
    }
    shuffleRows(d, rng);
    return d;
}

Dataset generateMoons(const GeneratorParams& p, Rng& rng)
{
    checkParams("moons", p, false, false);
    Dataset d = makeDataset(p.samples, 2, 2, fmt::format("moons(n={}, noise={})", p.samples, p.noise));
    const auto labels = balancedLabels(p.samples, 2);
    for (int i = 0; i < p.samples; ++i) {
        const int c = labels[static_cast<std::size_t>(i)];
        const float t = kPi * rng.uniformFloat();
        // sklearn's make_moons: outer (cos t, sin t); inner (1 - cos t, 0.5 - sin t).
        const float x = c == 0 ? std::cos(t) : 1.0f - std::cos(t);
        const float y = c == 0 ? std::sin(t) : 0.5f - std::sin(t);
        d.x(i, 0) = x + gauss(rng, p.noise);
        d.x(i, 1) = y + gauss(rng, p.noise);
        d.y(i, 0) = static_cast<float>(c);
    }
    shuffleRows(d, rng);
    return d;
}

Dataset generateCircles(const GeneratorParams& p, Rng& rng)
{
    checkParams("circles", p, false, false);
    Dataset d = makeDataset(p.samples, 2, 2, fmt::format("circles(n={}, noise={})", p.samples, p.noise));
    constexpr float kFactor = 0.5f;
    const auto labels = balancedLabels(p.samples, 2);
    for (int i = 0; i < p.samples; ++i) {
        const int c = labels[static_cast<std::size_t>(i)];
        const float t = 2.0f * kPi * rng.uniformFloat();
        const float r = c == 0 ? 1.0f : kFactor;
        d.x(i, 0) = r * std::cos(t) + gauss(rng, p.noise);
        d.x(i, 1) = r * std::sin(t) + gauss(rng, p.noise);
        d.y(i, 0) = static_cast<float>(c);
    }
    shuffleRows(d, rng);
    return d;
}

Dataset generateSpirals(const GeneratorParams& p, Rng& rng)
{
    checkParams("spirals", p, false, true);
    Dataset d = makeDataset(p.samples, 2, p.classes,
                            fmt::format("spirals(n={}, arms={}, noise={})", p.samples, p.classes, p.noise));
    constexpr float kTurns = 1.5f;
    const auto labels = balancedLabels(p.samples, p.classes);
    for (int i = 0; i < p.samples; ++i) {
        const int c = labels[static_cast<std::size_t>(i)];
        const float r = rng.uniformFloat();
        const float t = 2.0f * kPi * (static_cast<float>(c) / static_cast<float>(p.classes) + kTurns * r);
        d.x(i, 0) = r * std::cos(t) + gauss(rng, p.noise);
        d.x(i, 1) = r * std::sin(t) + gauss(rng, p.noise);
        d.y(i, 0) = static_cast<float>(c);
    }
    shuffleRows(d, rng);
    return d;
}

Dataset generateXor(const GeneratorParams& p, Rng& rng)
{
    checkParams("xor", p, false, false);
    Dataset d = makeDataset(p.samples, 2, 2, fmt::format("xor(n={}, noise={})", p.samples, p.noise));
    for (int i = 0; i < p.samples; ++i) {
        // Quadrants in turn: (+,+) 0, (-,+) 1, (-,-) 0, (+,-) 1 -> balanced classes.
        const int q = i % 4;
        const float sx = (q == 0 || q == 3) ? 1.0f : -1.0f;
        const float sy = q < 2 ? 1.0f : -1.0f;
        d.x(i, 0) = sx + gauss(rng, p.noise);
        d.x(i, 1) = sy + gauss(rng, p.noise);
        d.y(i, 0) = sx != sy ? 1.0f : 0.0f;
    }
    shuffleRows(d, rng);
    return d;
}

} // namespace cklab
