#pragma once
/// CSV input. A labelled file has a header row, numeric feature columns and one label column
/// holding class names (mapped to indices in order of first appearance) or non-negative
/// integer class indices. Fields may be quoted ("a,b", "" for a quote); blank lines are skipped.
/// Errors: IoError when the file cannot be read, DataFileError naming file, line and column.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/data/Dataset.h"

namespace cklab {

/// Most bytes one CSV field may have (a number, a class or column name): a 1 GiB field is
/// refused, naming line and column and quoting its first characters, before it is copied.
inline constexpr std::size_t kMaxCsvFieldBytes = 64 * 1024;

/// Reads a labelled CSV file into x [n, d] and y [n, 1] of class indices.
/// `labelColumn`: header name or 0-based index; empty = the last column.
/// `knownClasses`: names already given indices (e.g. by the training file, for a validation
/// file) - their indices are kept and new names are appended.
Dataset readCsvDataset(const std::filesystem::path& path, const std::string& labelColumn = {},
                       const std::vector<std::string>& knownClasses = {});

/// The same from text in memory; `displayName` stands for the file in messages.
Dataset parseCsvDataset(std::string_view text, const std::string& displayName, const std::string& labelColumn = {},
                        const std::vector<std::string>& knownClasses = {});

/// Features only (input for prediction): every column numeric. The first row is taken as a
/// header when any of its cells is not a number. `expectedColumns` > 0 is enforced per row.
/// `header` receives the header names (empty without header).
Matrix readFeatureCsv(const std::filesystem::path& path, int expectedColumns = 0,
                      std::vector<std::string>* header = nullptr);
Matrix parseFeatureCsv(std::string_view text, const std::string& displayName, int expectedColumns = 0,
                       std::vector<std::string>* header = nullptr);

/// Splits one CSV line into fields (quotes honoured, unquoted fields trimmed). Returns false
/// for an unterminated quote.
bool splitCsvLine(std::string_view line, std::vector<std::string>& fields);

} // namespace cklab
