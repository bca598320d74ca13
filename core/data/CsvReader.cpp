#include "core/data/CsvReader.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "core/base/Errors.h"
#include "core/base/Excerpt.h"
#include "core/data/DataFileError.h"

namespace cklab {

namespace {

struct Line {
    long long number = 0; ///< 1-based line in the file
    std::vector<std::string> fields;
};

std::string_view trim(std::string_view s)
{
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    const auto last = s.find_last_not_of(" \t");
    return s.substr(first, last - first + 1);
}

std::optional<float> parseNumber(std::string_view s)
{
    s = trim(s);
    if (!s.empty() && s.front() == '+')
        s.remove_prefix(1);
    if (s.empty())
        return std::nullopt;
    float value = 0.0f;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::string readWholeFile(const std::filesystem::path& path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw IoError(path.string(), "cannot read: is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError(path.string(), fmt::format("cannot open file: {}", std::strerror(errno)));
    // Read into one string of the file's size: a stream buffer and its str() copy would hold
    // the whole file three times over.
    std::string text;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec)
        text.reserve(static_cast<std::size_t>(size));
    char chunk[1 << 16];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0)
        text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (in.bad())
        throw IoError(path.string(), "read error");
    return text;
}

[[noreturn]] void fieldTooLong(std::string_view field, long long number, std::size_t column, const std::string& name)
{
    throw DataFileError(name, number, fmt::format(":{}, column {}", number, column + 1),
                        fmt::format("a field of {} bytes ('{}'), more than the {} a number or class name may have",
                                    field.size(), excerpt(field), kMaxCsvFieldBytes));
}

/// Before a line is split: no run of bytes between separators is longer than a field may be,
/// so a 1 GiB field is refused without being copied.
void checkFieldLengths(std::string_view raw, long long number, const std::string& name)
{
    std::size_t start = 0;
    std::size_t column = 0;
    while (start <= raw.size()) {
        auto comma = raw.find(',', start);
        if (comma == std::string_view::npos)
            comma = raw.size();
        if (comma - start > kMaxCsvFieldBytes)
            fieldTooLong(raw.substr(start, comma - start), number, column, name);
        start = comma + 1;
        ++column;
    }
}

/// Non-blank lines split into fields.
std::vector<Line> splitLines(std::string_view text, const std::string& name)
{
    std::vector<Line> lines;
    long long number = 0;
    std::size_t pos = 0;
    // A UTF-8 byte order mark (spreadsheet exports) is not part of the first header name.
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        pos = 3;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view raw = text.substr(pos, end - pos);
        pos = end + 1;
        ++number;
        if (!raw.empty() && raw.back() == '\r')
            raw.remove_suffix(1);
        if (trim(raw).empty())
            continue;
        Line line;
        line.number = number;
        checkFieldLengths(raw, number, name);
        if (!splitCsvLine(raw, line.fields))
            throw DataFileError(name, number, fmt::format(":{}", number), "unterminated quoted field");
        for (std::size_t c = 0; c < line.fields.size(); ++c)
            if (line.fields[c].size() > kMaxCsvFieldBytes)
                fieldTooLong(line.fields[c], number, c, name);
        lines.push_back(std::move(line));
    }
    return lines;
}

void checkColumnCount(const Line& line, std::size_t expected, const std::string& name)
{
    if (line.fields.size() != expected)
        throw DataFileError(name, line.number, fmt::format(":{}", line.number),
                            fmt::format("expected {} columns, got {}", expected, line.fields.size()));
}

/// `column` is how messages name the column: "'petal_width'" or, without a header, "3".
float numberOrThrow(const Line& line, std::size_t col, const std::string& column, const std::string& name)
{
    const auto value = parseNumber(line.fields[col]);
    if (!value)
        throw DataFileError(name, line.number, fmt::format(":{}, column {}", line.number, column),
                            fmt::format("'{}' is not a number", excerpt(line.fields[col])));
    return *value;
}

std::size_t labelIndex(const std::vector<std::string>& header, const std::string& labelColumn, const std::string& name)
{
    if (labelColumn.empty())
        return header.size() - 1;
    const auto byName = std::find(header.begin(), header.end(), labelColumn);
    if (byName != header.end())
        return static_cast<std::size_t>(byName - header.begin());
    int index = -1;
    const auto [end, ec] = std::from_chars(labelColumn.data(), labelColumn.data() + labelColumn.size(), index);
    const bool isIndex = ec == std::errc() && end == labelColumn.data() + labelColumn.size();
    if (isIndex && index >= 0 && static_cast<std::size_t>(index) < header.size())
        return static_cast<std::size_t>(index);
    if (isIndex)
        throw DataFileError(name, 1, ":1", fmt::format("label column {} is out of range (the file has {} columns, 0 to {})",
                                                      labelColumn, header.size(), header.size() - 1));
    throw DataFileError(name, 1, ":1", fmt::format("label column '{}' not found in the header", excerpt(labelColumn)));
}

} // namespace

bool splitCsvLine(std::string_view line, std::vector<std::string>& fields)
{
    fields.clear();
    std::size_t i = 0;
    while (true) {
        std::string field;
        // Leading blanks before a quote are allowed ("a, \"b\"").
        std::size_t j = i;
        while (j < line.size() && (line[j] == ' ' || line[j] == '\t'))
            ++j;
        if (j < line.size() && line[j] == '"') {
            i = j + 1;
            bool closed = false;
            while (i < line.size()) {
                if (line[i] == '"') {
                    if (i + 1 < line.size() && line[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    closed = true;
                    ++i;
                    break;
                }
                field += line[i++];
            }
            if (!closed)
                return false;
            // Anything between the closing quote and the separator is kept verbatim but trimmed.
            const auto comma = line.find(',', i);
            field += trim(line.substr(i, comma == std::string_view::npos ? std::string_view::npos : comma - i));
            fields.push_back(std::move(field));
            if (comma == std::string_view::npos)
                return true;
            i = comma + 1;
        } else {
            const auto comma = line.find(',', i);
            fields.emplace_back(trim(line.substr(i, comma == std::string_view::npos ? std::string_view::npos : comma - i)));
            if (comma == std::string_view::npos)
                return true;
            i = comma + 1;
        }
    }
}

Dataset readCsvDataset(const std::filesystem::path& path, const std::string& labelColumn,
                       const std::vector<std::string>& knownClasses)
{
    const std::string text = readWholeFile(path);
    Dataset d = parseCsvDataset(text, path.string(), labelColumn, knownClasses);
    return d;
}

Dataset parseCsvDataset(std::string_view text, const std::string& name, const std::string& labelColumn,
                        const std::vector<std::string>& knownClasses)
{
    const std::vector<Line> lines = splitLines(text, name);
    if (lines.empty())
        throw DataFileError(name, 0, "", "the file is empty (a header row and data rows are required)");
    const std::vector<std::string>& header = lines.front().fields;
    if (lines.size() == 1)
        throw DataFileError(name, 0, "", "the file has a header but no data rows");
    if (header.size() < 2)
        throw DataFileError(name, lines.front().number, fmt::format(":{}", lines.front().number),
                            fmt::format("expected at least 2 columns (features and a label), got {}", header.size()));
    const std::size_t labelCol = labelIndex(header, labelColumn, name);
    const auto rows = static_cast<Eigen::Index>(lines.size() - 1);
    const auto cols = static_cast<Eigen::Index>(header.size() - 1);

    Dataset d;
    d.source = name;
    d.x.resize(rows, cols);
    d.y.resize(rows, 1);
    for (std::size_t j = 0; j < header.size(); ++j)
        if (j != labelCol)
            d.featureNames.push_back(header[j]);

    // Labels are numeric only when every label cell is a number.
    bool numericLabels = true;
    for (std::size_t r = 1; r < lines.size() && numericLabels; ++r) {
        checkColumnCount(lines[r], header.size(), name);
        numericLabels = parseNumber(lines[r].fields[labelCol]).has_value();
    }

    d.classNames = numericLabels ? std::vector<std::string>{} : knownClasses;
    int maxIndex = -1;
    for (std::size_t r = 1; r < lines.size(); ++r) {
        const Line& line = lines[r];
        checkColumnCount(line, header.size(), name);
        const auto i = static_cast<Eigen::Index>(r - 1);
        Eigen::Index j = 0;
        for (std::size_t c = 0; c < header.size(); ++c)
            if (c != labelCol)
                d.x(i, j++) = numberOrThrow(line, c, "'" + header[c] + "'", name);
        const std::string& label = line.fields[labelCol];
        int index = 0;
        if (numericLabels) {
            const float value = *parseNumber(label);
            if (value < 0.0f || value != std::floor(value) || value > 1.0e6f)
                throw DataFileError(name, line.number, fmt::format(":{}, column '{}'", line.number, header[labelCol]),
                                    fmt::format("'{}' is not a class index (a non-negative integer) or a class name", excerpt(label)));
            index = static_cast<int>(value);
        } else {
            const auto it = std::find(d.classNames.begin(), d.classNames.end(), label);
            index = static_cast<int>(it - d.classNames.begin());
            if (it == d.classNames.end())
                d.classNames.push_back(label);
        }
        maxIndex = std::max(maxIndex, index);
        d.y(i, 0) = static_cast<float>(index);
    }
    if (numericLabels)
        for (int c = 0; c <= maxIndex; ++c)
            d.classNames.push_back(std::to_string(c));
    d.numClasses = static_cast<int>(d.classNames.size());
    return d;
}

Matrix readFeatureCsv(const std::filesystem::path& path, int expectedColumns, std::vector<std::string>* header)
{
    const std::string text = readWholeFile(path);
    return parseFeatureCsv(text, path.string(), expectedColumns, header);
}

Matrix parseFeatureCsv(std::string_view text, const std::string& name, int expectedColumns, std::vector<std::string>* header)
{
    const std::vector<Line> lines = splitLines(text, name);
    if (lines.empty())
        throw DataFileError(name, 0, "", "the file is empty");
    const bool hasHeader = std::any_of(lines.front().fields.begin(), lines.front().fields.end(),
                                       [](const std::string& f) { return !parseNumber(f).has_value(); });
    if (header)
        *header = hasHeader ? lines.front().fields : std::vector<std::string>{};
    const std::size_t first = hasHeader ? 1 : 0;
    if (lines.size() == first)
        throw DataFileError(name, 0, "", "the file has a header but no data rows");
    const std::size_t cols = expectedColumns > 0 ? static_cast<std::size_t>(expectedColumns) : lines.front().fields.size();
    if (hasHeader)
        checkColumnCount(lines.front(), cols, name);
    Matrix x(static_cast<Eigen::Index>(lines.size() - first), static_cast<Eigen::Index>(cols));
    for (std::size_t r = first; r < lines.size(); ++r) {
        checkColumnCount(lines[r], cols, name);
        for (std::size_t c = 0; c < cols; ++c) {
            const std::string columnName = hasHeader ? "'" + lines.front().fields[c] + "'" : std::to_string(c);
            x(static_cast<Eigen::Index>(r - first), static_cast<Eigen::Index>(c)) = numberOrThrow(lines[r], c, columnName, name);
        }
    }
    return x;
}

} // namespace cklab
