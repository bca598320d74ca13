#include "core/data/NpyFormat.h"

#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>

#include <fmt/format.h>

#include "core/base/Errors.h"
#include "core/data/DataFileError.h"

namespace cklab {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicBytes = 6;
// numpy limits a header to 10000 bytes unless told otherwise (max_header_size in numpy 1.24+).
constexpr std::uint32_t kMaxHeaderBytes = 1u << 20;

[[noreturn]] void fail(const std::string& display, const std::string& problem)
{
    throw DataFileError(display, 0, "", problem);
}

std::uint32_t littleEndian(const char* p, int bytes)
{
    std::uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
}

/// The text after `'key':` in the header dict, whitespace skipped; npos when the key is missing.
std::size_t valueOf(const std::string& header, const std::string& key)
{
    for (const char quote : {'\'', '"'}) {
        const std::string needle = quote + key + quote;
        std::size_t at = header.find(needle);
        if (at == std::string::npos)
            continue;
        at = header.find(':', at + needle.size());
        if (at == std::string::npos)
            return at;
        ++at;
        while (at < header.size() && header[at] == ' ')
            ++at;
        return at;
    }
    return std::string::npos;
}

void parseDescr(const std::string& header, const std::string& display, NpyArray& out)
{
    const std::size_t at = valueOf(header, "descr");
    if (at == std::string::npos || at >= header.size())
        fail(display, "the .npy header has no 'descr' (the dtype)");
    const char quote = header[at];
    if (quote != '\'' && quote != '"')
        fail(display, "has a structured dtype (a record array); only plain numeric arrays are read "
                      "(bool, int8-int64, uint8-uint64, float32, float64)");
    const std::size_t end = header.find(quote, at + 1);
    if (end == std::string::npos)
        fail(display, "the .npy header's 'descr' is not a closed string");
    const std::string descr = header.substr(at + 1, end - at - 1);
    const auto refuse = [&](const std::string& why) {
        fail(display, fmt::format("dtype '{}' {}; valid: bool, int8-int64, uint8-uint64, float32 and float64, "
                                  "little-endian ('<i8', '<f4', '|u1', ...)", descr, why));
    };
    if (descr.size() >= 2 && descr[1] == 'O')
        refuse("holds Python objects (a pickle), which are never loaded");
    if (descr.size() < 3)
        refuse("is not a numeric dtype");
    const char order = descr[0];
    out.kind = descr[1];
    const std::string sizeText = descr.substr(2);
    if (sizeText.size() != 1 || sizeText[0] < '1' || sizeText[0] > '8')
        refuse("is not supported");
    out.itemSize = sizeText[0] - '0';
    const bool sizeOk = out.kind == 'b' ? out.itemSize == 1
                        : out.kind == 'f' ? out.itemSize == 4 || out.itemSize == 8
                        : out.kind == 'u' || out.kind == 'i'
                            ? out.itemSize == 1 || out.itemSize == 2 || out.itemSize == 4 || out.itemSize == 8
                            : false;
    if (!sizeOk)
        refuse("is not supported");
    if (order == '>' && out.itemSize > 1)
        refuse("is big-endian (save it with arr.astype(arr.dtype.newbyteorder('<')))");
    if (order != '<' && order != '|' && order != '>' && order != '=')
        refuse("has an unknown byte order");
}

void parseShape(const std::string& header, const std::string& display, NpyArray& out)
{
    const std::size_t at = valueOf(header, "shape");
    if (at == std::string::npos || at >= header.size() || header[at] != '(')
        fail(display, "the .npy header has no 'shape' tuple");
    const std::size_t end = header.find(')', at);
    if (end == std::string::npos)
        fail(display, "the .npy header's 'shape' is not a closed tuple");
    std::size_t i = at + 1;
    while (i < end) {
        while (i < end && (header[i] == ' ' || header[i] == ','))
            ++i;
        if (i >= end)
            break;
        std::uint64_t d = 0;
        std::size_t digits = 0;
        for (; i < end && header[i] >= '0' && header[i] <= '9'; ++i, ++digits) {
            if (d > (std::numeric_limits<std::uint64_t>::max() - 9) / 10)
                fail(display, "a dimension in the .npy header's 'shape' is too large");
            d = d * 10 + static_cast<std::uint64_t>(header[i] - '0');
        }
        while (i < end && header[i] == 'L') // Python 2 longs
            ++i;
        if (digits == 0)
            fail(display, fmt::format("the .npy header's shape {} is not a tuple of non-negative integers",
                                      header.substr(at, end - at + 1)));
        out.shape.push_back(d);
    }
}

} // namespace

std::uint64_t NpyArray::count() const
{
    std::uint64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

std::string NpyArray::dtypeName() const
{
    if (kind == 'b')
        return "bool";
    return fmt::format("{}{}", kind == 'f' ? "float" : kind == 'u' ? "uint" : "int", itemSize * 8);
}

std::string NpyArray::shapeText() const
{
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + (shape.size() == 1 ? ",)" : ")");
}

double NpyArray::value(std::uint64_t i) const
{
    const char* p = bytes.data() + i * static_cast<std::uint64_t>(itemSize);
    // Little-endian data on a little-endian host (the only hosts Debian's amd64/arm64 builds run on).
    const auto load = [p](auto v) {
        std::memcpy(&v, p, sizeof v);
        return static_cast<double>(v);
    };
    switch (kind) {
    case 'b': return p[0] != 0 ? 1.0 : 0.0;
    case 'f': return itemSize == 4 ? load(float{}) : load(double{});
    case 'u':
        switch (itemSize) {
        case 1: return load(std::uint8_t{});
        case 2: return load(std::uint16_t{});
        case 4: return load(std::uint32_t{});
        default: return load(std::uint64_t{});
        }
    default:
        switch (itemSize) {
        case 1: return load(std::int8_t{});
        case 2: return load(std::int16_t{});
        case 4: return load(std::int32_t{});
        default: return load(std::int64_t{});
        }
    }
}

NpyArray parseNpy(std::vector<char> bytes, const std::string& display, std::uint64_t maxBytes)
{
    static_assert(std::endian::native == std::endian::little, "the .npy reader assumes a little-endian host");
    if (bytes.size() < kMagicBytes + 4 || std::memcmp(bytes.data(), kMagic, kMagicBytes) != 0)
        fail(display, "not a .npy file (it starts with \\x93NUMPY; save arrays with numpy.save or numpy.savez)");
    const int major = static_cast<unsigned char>(bytes[6]);
    if (major < 1 || major > 3)
        fail(display, fmt::format(".npy format version {}.{} is not supported; valid: 1.0, 2.0, 3.0", major,
                                  static_cast<unsigned char>(bytes[7])));
    const int lengthBytes = major == 1 ? 2 : 4;
    const std::size_t prefix = kMagicBytes + 2 + static_cast<std::size_t>(lengthBytes);
    if (bytes.size() < prefix)
        fail(display, "truncated .npy header");
    const std::uint32_t headerBytes = littleEndian(bytes.data() + kMagicBytes + 2, lengthBytes);
    if (headerBytes > kMaxHeaderBytes || prefix + headerBytes > bytes.size())
        fail(display, fmt::format("the .npy header declares {} bytes, the file holds {} after the prefix",
                                  headerBytes, bytes.size() - prefix));
    const std::string header(bytes.data() + prefix, headerBytes);

    NpyArray out;
    parseDescr(header, display, out);
    const std::size_t fortran = valueOf(header, "fortran_order");
    if (fortran == std::string::npos)
        fail(display, "the .npy header has no 'fortran_order'");
    if (header.compare(fortran, 4, "True") == 0)
        fail(display, "is stored in Fortran order; save it in C order (np.save(f, np.ascontiguousarray(a)))");
    if (header.compare(fortran, 5, "False") != 0)
        fail(display, "the .npy header's 'fortran_order' is neither True nor False");
    parseShape(header, display, out);

    // The product stops at the limit: bytes <= maxBytes < 2^63 and each dimension < 2^64 / 10 keep
    // the check exact without overflow.
    long double declared = static_cast<long double>(out.itemSize);
    for (auto d : out.shape)
        declared *= static_cast<long double>(d);
    if (declared > static_cast<long double>(maxBytes))
        fail(display, fmt::format("declares {} {} values ({:.0f} bytes), more than the limit of {} bytes",
                                  out.shapeText(), out.dtypeName(), static_cast<double>(declared), maxBytes));
    const std::uint64_t dataBytes = out.count() * static_cast<std::uint64_t>(out.itemSize);
    const std::uint64_t present = bytes.size() - prefix - headerBytes;
    if (present != dataBytes)
        fail(display, fmt::format("{}: the header declares {} {} ({} bytes of data), the file holds {}",
                                  present < dataBytes ? "truncated" : "trailing bytes", out.shapeText(),
                                  out.dtypeName(), dataBytes, present));
    bytes.erase(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(prefix + headerBytes));
    out.bytes = std::move(bytes);
    return out;
}

NpyArray readNpyFile(const std::filesystem::path& path, std::uint64_t maxBytes)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw IoError(path.string(), std::filesystem::exists(path, ec) ? "not a file" : "no such file");
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec)
        throw IoError(path.string(), "cannot read the file size: " + ec.message());
    // The header is at most kMaxHeaderBytes: a larger file cannot hold an array within the limit.
    if (size > maxBytes + kMaxHeaderBytes + 16)
        fail(path.string(), fmt::format("is {} bytes, more than the limit of {} bytes of array data", size, maxBytes));
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError(path.string(), std::string("cannot open: ") + std::strerror(errno));
    std::vector<char> bytes(static_cast<std::size_t>(size));
    if (!in.read(bytes.data(), static_cast<std::streamsize>(size)))
        throw IoError(path.string(), "cannot read the whole file");
    return parseNpy(std::move(bytes), path.string(), maxBytes);
}

} // namespace cklab
