#pragma once
/// File path templates of ModelCheckpoint (spec §2): Python `str.format` semantics with the
/// names `epoch` (0-based + 1, integer), `batch` (0-based + 1, integer, batch-level saves only)
/// and every log key (floating point). The format-spec mini-language is fmt's, which follows
/// Python's; we only scan field *names* to report a missing key the way Python does.
#include <optional>
#include <string>
#include <vector>

#include "core/model/Logs.h"

namespace cklab {

/// Python's repr() of a float: shortest round-trip digits, "1.0" not "1", "1e-05", "inf", "nan".
std::string pythonFloatRepr(double value);

/// The argument names of the replacement fields, in order of appearance (nested fields in a
/// format spec included; `{{`/`}}` are escapes). `{}` and `{0}` appear as "" and "0".
std::vector<std::string> templateFieldNames(const std::string& pathTemplate);

/// True if the template has any replacement field, i.e. different saves may write different files.
bool hasPerSaveFields(const std::string& pathTemplate);

/// Largest width or precision a template field may ask for (`{epoch:0255d}`, `{loss:.255f}`).
/// Python has no limit; a larger number is a formatting error naming the field and this limit.
constexpr int kMaxFieldWidth = 255;

/// Formats `pathTemplate` for a save in 0-based `epoch` (and 0-based `batch` for batch-level
/// saves). Throws ConfigError with exactly
/// `Failed to format this callback filepath: "{template}". Reason: '{key}'` for a missing key,
/// or `... Reason: {cause}` for any other formatting error (e.g. a float with type `d`, or
/// `width 300 of field 'epoch' is above the limit of 255`).
std::string formatPath(const std::string& pathTemplate, int epoch, std::optional<int> batch, const Logs& logs);

/// For the GUI: the path a save in epoch 0 (batch 0 if `batchLevel`) would get with `sampleLogs`,
/// or the error text.
struct PathPreview {
    bool ok = false;
    std::string path;   ///< when ok
    std::string error;  ///< when !ok: the same text formatPath throws
};
PathPreview preview(const std::string& pathTemplate, const Logs& sampleLogs, bool batchLevel = false);

} // namespace cklab
