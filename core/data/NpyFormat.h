#pragma once
/// The NumPy array file format (.npy, numpy.lib.format versions 1.0, 2.0 and 3.0), as np.save
/// and each entry of np.savez write it: the magic "\x93NUMPY", a version, a header length, a
/// Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (n, h, w), } and the
/// values in C order. Read: little-endian (or byte-order-free) booleans, integers of 1, 2, 4 and
/// 8 bytes, float32 and float64, C order. Refused, with the file and what would be valid:
/// big-endian, Fortran order, object arrays (pickles are never loaded), structured, string and
/// complex dtypes, a declared size above the limit or different from the data present.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cklab {

/// Largest array we read: 1 GiB of values (Fashion-MNIST's training images are 47 MB as uint8).
inline constexpr std::uint64_t kMaxNpyBytes = std::uint64_t{1} << 30;

struct NpyArray {
    std::vector<std::uint64_t> shape;   ///< () for a scalar
    char kind = 'f';                    ///< 'b' bool, 'u' unsigned, 'i' signed, 'f' float
    int itemSize = 4;                   ///< bytes per value
    std::vector<char> bytes;            ///< the values, C order, little-endian

    std::uint64_t count() const;        ///< product of shape
    /// "uint8", "float32", ... as numpy names the dtype.
    std::string dtypeName() const;
    /// "(60000, 28, 28)".
    std::string shapeText() const;
    /// Value i converted to double (exact for every type but 64-bit integers beyond 2^53).
    double value(std::uint64_t i) const;
};

/// Parses the bytes of one .npy file; `display` names it in errors (DataFileError).
NpyArray parseNpy(std::vector<char> bytes, const std::string& display, std::uint64_t maxBytes = kMaxNpyBytes);

/// Reads and parses one .npy file (IoError when it cannot be read, size checked before reading).
NpyArray readNpyFile(const std::filesystem::path& path, std::uint64_t maxBytes = kMaxNpyBytes);

} // namespace cklab
