#pragma once
/// Fisher's Iris data (R. A. Fisher, 1936; the version of his paper, as in R and scikit-learn),
/// embedded so that the "iris" source needs no file lookup. resources/data/iris.csv holds the
/// same text for users (a test keeps the two identical).
#include <string_view>

namespace cklab {

/// The CSV text: header sepal_length,sepal_width,petal_length,petal_width,species and 150 rows.
std::string_view irisCsvText();

} // namespace cklab
