#include "core/data/IdxReader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <fmt/format.h>
#include <zlib.h>

#include "core/data/DataFileError.h"

namespace cklab {

namespace {

constexpr int kTypeUnsignedByte = 0x08;
constexpr unsigned kChunk = 1u << 24; // gzread takes an unsigned count: read in 16 MiB steps

struct GzCloser {
    void operator()(gzFile_s* f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& problem)
{
    throw DataFileError(path.string(), 0, "", problem);
}

/// Reads up to `count` bytes; fewer only at the end of the data. zlib errors (a damaged .gz) throw.
std::size_t readSome(gzFile f, const std::filesystem::path& path, std::uint8_t* out, std::size_t count)
{
    std::size_t done = 0;
    while (done < count) {
        const unsigned want = static_cast<unsigned>(std::min<std::size_t>(count - done, kChunk));
        const int got = gzread(f, out + done, want);
        if (got < 0) {
            int code = 0;
            const char* message = gzerror(f, &code);
            fail(path, fmt::format("cannot be decompressed ({}); expected a gzip or a plain IDX file",
                                   code == Z_ERRNO ? std::strerror(errno) : message));
        }
        if (got == 0)
            break;
        done += static_cast<std::size_t>(got);
    }
    return done;
}

std::string shape(const std::vector<std::uint32_t>& dims)
{
    std::string out;
    for (const auto d : dims)
        out += (out.empty() ? "" : " x ") + std::to_string(d);
    return out;
}

} // namespace

IdxArray readIdxFile(const std::filesystem::path& path, long long maxBytes)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw IoError(path.string(), std::filesystem::exists(path, ec) ? "not a file" : "no such file");
    GzFile file(gzopen(path.string().c_str(), "rb"));
    if (!file)
        throw IoError(path.string(), std::string("cannot open: ") + std::strerror(errno));
    gzFile f = file.get();

    std::uint8_t magic[4] = {};
    if (readSome(f, path, magic, 4) < 4)
        fail(path, "too short for an IDX header (4-byte magic 00 00 08 <rank>)");
    if (magic[0] != 0 || magic[1] != 0)
        fail(path, fmt::format("bad magic {:02x} {:02x} {:02x} {:02x}; an IDX file starts with 00 00 <type> <rank>",
                               magic[0], magic[1], magic[2], magic[3]));
    if (magic[2] != kTypeUnsignedByte)
        fail(path, fmt::format("value type 0x{:02x} is not supported; only 0x08 (unsigned byte) is", magic[2]));
    const int rank = magic[3];
    if (rank < 1)
        fail(path, "rank 0 in the magic; an IDX file has at least 1 dimension");

    IdxArray out;
    std::vector<std::uint8_t> header(static_cast<std::size_t>(rank) * 4);
    if (readSome(f, path, header.data(), header.size()) < header.size())
        fail(path, fmt::format("truncated header: rank {} needs {} bytes of dimensions", rank, header.size()));
    long long total = 1;
    bool tooLarge = false;
    for (int i = 0; i < rank; ++i) {
        const std::uint8_t* b = header.data() + 4 * i;
        const std::uint32_t d = (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) | b[3];
        if (d == 0)
            fail(path, fmt::format("dimension {} is 0; every dimension must be >= 1", i));
        out.dims.push_back(d);
        // Stops multiplying once past the limit: total <= maxBytes and d < 2^32 cannot overflow.
        if (!tooLarge) {
            total *= d;
            tooLarge = total > maxBytes;
        }
    }
    if (tooLarge)
        fail(path, fmt::format("declares {} values, more than the limit of {} bytes", shape(out.dims), maxBytes));
    const auto expected = static_cast<std::size_t>(total);
    const long long headerBytes = 4 + 4LL * rank;

    // A plain file's length is known up front: refuse before reading (or allocating) anything.
    if (gzdirect(f)) {
        const auto length = static_cast<long long>(std::filesystem::file_size(path, ec));
        if (!ec && length != headerBytes + total)
            fail(path, fmt::format("{}: the header declares {} ({} bytes of data after {} header bytes), "
                                   "the file has {} bytes",
                                   length < headerBytes + total ? "truncated" : "trailing bytes", shape(out.dims),
                                   total, headerBytes, length));
    }
    // Grown chunk by chunk: a damaged .gz that declares much but holds little allocates little.
    std::size_t have = 0;
    while (have < expected) {
        out.values.resize(std::min(expected, have + kChunk));
        const std::size_t got = readSome(f, path, out.values.data() + have, out.values.size() - have);
        have += got;
        if (have < out.values.size())
            break;
    }
    if (have < expected)
        fail(path, fmt::format("truncated: the header declares {} ({} bytes of data), the data ends after {}",
                               shape(out.dims), total, have));
    std::uint8_t extra = 0;
    if (readSome(f, path, &extra, 1) != 0)
        fail(path, fmt::format("trailing bytes after the {} bytes of data the header declares ({})", total,
                               shape(out.dims)));
    return out;
}

Dataset readIdxDataset(const std::filesystem::path& images, const std::filesystem::path& labels,
                       const IdxOptions& options, int minClasses)
{
    const IdxArray x = readIdxFile(images, options.maxBytes);
    if (x.dims.size() < 2)
        fail(images, fmt::format("has rank {} ({}); images need rank >= 2 (N x H x W)", x.dims.size(), shape(x.dims)));
    const IdxArray y = readIdxFile(labels, options.maxBytes);
    if (y.dims.size() != 1)
        fail(labels, fmt::format("has rank {} ({}); labels need rank 1 (N class indices)", y.dims.size(), shape(y.dims)));
    if (x.dims[0] != y.dims[0])
        fail(labels, fmt::format("has {} labels but {} has {} images", y.dims[0], images.string(), x.dims[0]));

    long long n = x.dims[0];
    if (options.limit > 0)
        n = std::min(n, options.limit);
    const auto features = static_cast<Eigen::Index>(x.values.size() / x.dims[0]);
    Dataset d;
    d.x.resize(static_cast<Eigen::Index>(n), features);
    const float factor = options.scale ? 1.0f / 255.0f : 1.0f;
    // Matrix is row-major: record i's values are row i, in the file's order (channels-last).
    std::transform(x.values.begin(), x.values.begin() + static_cast<std::ptrdiff_t>(n * features), d.x.data(),
                   [factor](std::uint8_t v) { return static_cast<float>(v) * factor; });
    d.y.resize(static_cast<Eigen::Index>(n), 1);
    int maxLabel = -1;
    for (Eigen::Index i = 0; i < n; ++i) {
        d.y(i, 0) = static_cast<float>(y.values[static_cast<std::size_t>(i)]);
        maxLabel = std::max<int>(maxLabel, y.values[static_cast<std::size_t>(i)]);
    }
    d.numClasses = std::max(maxLabel + 1, minClasses);
    if (d.numClasses < 2)
        fail(labels, fmt::format("holds only class {}; classification needs labels of at least 2 classes", maxLabel));
    d.source = images.string();
    // N x H x W: grey images [H, W, 1]; N x H x W x C: [H, W, C]; N x D stays tabular.
    if (x.dims.size() == 3 || x.dims.size() == 4)
        d.sampleShape = {static_cast<int>(x.dims[1]), static_cast<int>(x.dims[2]),
                         x.dims.size() == 4 ? static_cast<int>(x.dims[3]) : 1};
    return d;
}

} // namespace cklab
