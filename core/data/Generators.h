#pragma once
/// Synthetic classification data sets. Every generator is deterministic given the Rng it is
/// handed (it uses only Rng's own conversions, never std distributions), produces x as [n, d]
/// and y as an [n, 1] column of class indices (targets are encoded later, see DataLoader.h).
/// Except for "uniform" (kept exactly as the tutorial), class counts differ by at most one and
/// the rows are shuffled, so that a validation split from the end holds every class.
#include <string>
#include <vector>

#include "core/data/Dataset.h"

namespace cklab {

class Rng;

/// Parameters of a generator; fields a generator does not use are ignored.
struct GeneratorParams {
    int samples = 100;
    int features = 5;      ///< uniform, blobs (the others are 2-D)
    int classes = 2;       ///< uniform, blobs, spirals (moons, circles, xor have 2)
    float noise = 0.1f;    ///< std-dev of gaussian noise added to each coordinate (not uniform)
};

/// "uniform", "blobs", "moons", "circles", "spirals", "xor".
const std::vector<std::string>& generatorNames();
bool isGeneratorName(const std::string& name);
/// Whether the generator reads GeneratorParams::features / ::classes.
bool generatorUsesFeatures(const std::string& name);
bool generatorUsesClasses(const std::string& name);

/// Permutes the rows of x and y together with rng.shuffle. Generators build rows class by
/// class; this mixes them so that a Keras-style split from the end sees every class.
void shuffleRows(Dataset& data, Rng& rng);

/// Dispatches by name; throws ConfigError for an unknown name or invalid parameters.
Dataset generateDataset(const std::string& name, const GeneratorParams& params, Rng& rng);

/// The tutorial's data: x = U[0,1)^(n x d) drawn row by row, then one label per row drawn
/// with below(classes) (numpy: random((n, d)), randint(classes, size=(n, 1))).
Dataset generateUniform(const GeneratorParams& params, Rng& rng);
/// One gaussian blob per class with unit std-dev (plus noise), centres uniform in [-5, 5]^d.
Dataset generateBlobs(const GeneratorParams& params, Rng& rng);
/// Two interleaving half circles (as sklearn's make_moons), angles drawn uniformly.
Dataset generateMoons(const GeneratorParams& params, Rng& rng);
/// Two concentric circles, radius 1 (class 0) and 0.5 (class 1).
Dataset generateCircles(const GeneratorParams& params, Rng& rng);
/// `classes` spiral arms, each turning 1.5 times around the origin, radius in [0, 1).
Dataset generateSpirals(const GeneratorParams& params, Rng& rng);
/// Four gaussian clusters (std-dev = noise) at (+-1, +-1); class 1 where the signs of x and y
/// differ (x XOR y), class 0 where they agree.
Dataset generateXor(const GeneratorParams& params, Rng& rng);

} // namespace cklab
