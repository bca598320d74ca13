#pragma once
/// The one random engine of a run. std::mt19937_64's output sequence is fixed by the C++
/// standard; the conversions to float/int below are ours, so a seed gives the same numbers
/// with every standard library (std distributions differ between implementations).
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace cklab {

class Rng {
public:
    explicit Rng(std::uint64_t seed = 0) : m_engine(seed) {}

    std::uint64_t nextU64() { return m_engine(); }
    /// Uniform in [0, 1) with 24 random bits.
    float uniformFloat() { return static_cast<float>(m_engine() >> 40) * 0x1.0p-24f; }
    /// Uniform in [0, 1) with 53 random bits.
    double uniformDouble() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }
    /// Uniform in [lo, hi).
    float uniform(float lo, float hi) { return lo + (hi - lo) * uniformFloat(); }
    /// Uniform integer in [0, n), n > 0 (Lemire's unbiased method is overkill here; modulo
    /// bias of a 64-bit draw is below 2^-40 for the sizes we use).
    std::uint64_t below(std::uint64_t n) { return m_engine() % n; }
    /// Standard normal (Box-Muller, our own so that it is portable).
    double normal();
    /// Fisher-Yates with our `below`.
    void shuffle(std::vector<std::int64_t>& v);

    /// Exact engine state as text (std::mt19937_64 stream format); restore with setState.
    std::string state() const;
    void setState(const std::string& state);

private:
    std::mt19937_64 m_engine;
};

} // namespace cklab
