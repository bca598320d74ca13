#pragma once
/// Matrix types of the engine. All math is float32; rows are samples.
/// Row-major so that a Dense kernel [in, out] has exactly the memory layout Keras stores.
#include <Eigen/Core>

namespace cklab {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowVector = Eigen::Matrix<float, 1, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXf;

} // namespace cklab
