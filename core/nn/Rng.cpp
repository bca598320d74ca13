#include "core/nn/Rng.h"

#include <cmath>
#include <numbers>
#include <sstream>
#include <stdexcept>

namespace cklab {

double Rng::normal()
{
    // Draw u1 in (0, 1] so that log(u1) is finite.
    const double u1 = 1.0 - uniformDouble();
    const double u2 = uniformDouble();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

void Rng::shuffle(std::vector<std::int64_t>& v)
{
    for (std::size_t i = v.size(); i > 1; --i) {
        const auto j = static_cast<std::size_t>(below(i));
        std::swap(v[i - 1], v[j]);
    }
}

std::string Rng::state() const
{
    std::ostringstream out;
    out << m_engine;
    return out.str();
}

void Rng::setState(const std::string& state)
{
    std::istringstream in(state);
    std::mt19937_64 engine;
    in >> engine;
    if (in.fail())
        throw std::invalid_argument("random engine state is not a valid std::mt19937_64 state");
    m_engine = engine;
}

} // namespace cklab
