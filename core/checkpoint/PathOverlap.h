#pragma once
/// Whether two writers of one run can write the same file (issue 16, item 4): checkpoint path
/// templates, the CSV log and the backup folder, before the run starts. A template is read as a
/// pattern: its literal text, and per field the characters its rendering can contain (digits for
/// `{epoch}`/`{batch}` with an integer format; digits, sign, point, exponent, inf/nan for a float
/// log key; anything when a fill character is given or the field is unknown). Two patterns clash
/// when some path matches both. Paths compare after lexical normalisation ("./a" is "a").
#include <string>

namespace cklab {

/// True if some file path can be written by both templates.
bool templatesCanCollide(const std::string& a, const std::string& b);
/// True if template `a` can write a file inside folder `dir` (or `dir` itself).
bool templateCanWriteInside(const std::string& a, const std::string& dir);

} // namespace cklab
