#include "core/io/KerasArchive.h"

#include <algorithm>
#include <ctime>
#include <memory>
#include <stdexcept>

#include <zip.h>

#include "core/base/Errors.h"
#include "core/base/JsonText.h"
#include "core/io/KerasConfig.h"
#include "core/io/WeightsH5.h"
#include "core/io/ZipReader.h"

namespace cklab {

using nlohmann::json;

namespace {

constexpr const char* kConfigEntry = "config.json";
constexpr const char* kMetadataEntry = "metadata.json";
constexpr const char* kWeightsEntry = "model.weights.h5";

std::string dateSaved()
{
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d@%H:%M:%S", &local);
    return buffer;
}

std::string zipErrorText(zip_error_t* error)
{
    return zip_error_strerror(error);
}

struct SourceDeleter {
    void operator()(zip_source_t* s) const { zip_source_free(s); }
};
using SourcePtr = std::unique_ptr<zip_source_t, SourceDeleter>;

void addEntry(zip_t* archive, const char* name, const void* data, std::size_t size, const std::string& displayPath)
{
    zip_source_t* source = zip_source_buffer(archive, data, size, 0);
    if (source == nullptr)
        throw IoError(displayPath, std::string("zip: ") + name + ": " + zip_strerror(archive));
    const zip_int64_t index = zip_file_add(archive, name, source, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (index < 0) {
        zip_source_free(source);
        throw IoError(displayPath, std::string("zip: ") + name + ": " + zip_strerror(archive));
    }
    // Stored entries: the weights are incompressible floats and Keras writes stored entries too.
    zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
}

/// Reads the whole in-memory archive that zip_close() left in `source`.
std::vector<char> sourceBytes(zip_source_t* source, const std::string& displayPath)
{
    if (zip_source_open(source) < 0)
        throw IoError(displayPath, "zip: cannot read the archive back: " + zipErrorText(zip_source_error(source)));
    std::vector<char> bytes;
    char chunk[1 << 16];
    zip_int64_t n = 0;
    while ((n = zip_source_read(source, chunk, sizeof chunk)) > 0)
        bytes.insert(bytes.end(), chunk, chunk + n);
    zip_source_close(source);
    if (n < 0)
        throw IoError(displayPath, "zip: cannot read the archive back: " + zipErrorText(zip_source_error(source)));
    return bytes;
}

} // namespace

std::vector<char> kerasArchiveBytes(const CheckpointContent& content, const std::string& displayPath)
{
    json config = modelConfigJson(content.spec, KerasFlavour::Keras3);
    // What Keras writes for an uncompiled model: compiled configs without optimizer variables
    // make Keras build the optimizer on load and warn that it skips loading its variables.
    config["compile_config"] = content.compile ? compileConfigJson(*content.compile) : json::object();
    const std::string configText = config.dump();
    const std::string metadataText = json{{"keras_version", kKerasArchiveVersion}, {"date_saved", dateSaved()}}.dump();
    const std::vector<char> weights = weightsH5Image(content, displayPath);

    zip_error_t error;
    zip_error_init(&error);
    SourcePtr source(zip_source_buffer_create(nullptr, 0, 0, &error));
    if (!source)
        throw IoError(displayPath, "zip: " + zipErrorText(&error));
    zip_t* archive = zip_open_from_source(source.get(), ZIP_TRUNCATE, &error);
    if (archive == nullptr)
        throw IoError(displayPath, "zip: " + zipErrorText(&error));
    zip_source_keep(source.get()); // the archive releases its reference on close; we read it afterwards
    try {
        addEntry(archive, kMetadataEntry, metadataText.data(), metadataText.size(), displayPath);
        addEntry(archive, kConfigEntry, configText.data(), configText.size(), displayPath);
        addEntry(archive, kWeightsEntry, weights.data(), weights.size(), displayPath);
    } catch (...) {
        zip_discard(archive);
        throw;
    }
    if (zip_close(archive) < 0) {
        const std::string cause = zip_strerror(archive);
        zip_discard(archive);
        throw IoError(displayPath, "zip: " + cause);
    }
    return sourceBytes(source.get(), displayPath);
}

void readKerasArchive(const std::filesystem::path& path, LoadedCheckpoint& out)
{
    const std::string display = path.string();
    const ZipReader archive(path);
    // A zip without these entries is some other archive: say what a .keras file holds.
    const auto entry = [&](const char* name) {
        if (!archive.contains(name))
            throw IoError(display, std::string(name) + ": missing from the archive (not a Keras .keras file)");
        return archive.read(name, kMaxKerasEntryBytes);
    };
    const std::vector<char> configBytes = entry(kConfigEntry);
    const std::vector<char> weights = entry(kWeightsEntry);

    try {
        // The engine's one JSON reader: depth limit, duplicate keys, BOM (core/base/JsonText.h).
        const json config = parseJsonText(std::string_view(configBytes.data(), configBytes.size()), kConfigEntry);
        out.spec = modelSpecFromJson(config);
        // An uncompiled model has "compile_config": {} (Keras 3) or null: weights only, no loss.
        const json compile = config.value("compile_config", json());
        if (!compile.is_null() && !(compile.is_object() && compile.empty()))
            out.compile = compileConfigFromJson(compile);
    } catch (const ConfigError& e) {
        throw IoError(display, e.what());
    } catch (const json::exception& e) {
        throw IoError(display, std::string(kConfigEntry) + ": " + withoutLibraryTag(e.what()));
    } catch (const std::invalid_argument& e) {
        throw IoError(display, std::string(kConfigEntry) + ": " + e.what());
    }
    readWeightsH5Image(weights, display + ":" + kWeightsEntry, out, out.spec);
}

} // namespace cklab
