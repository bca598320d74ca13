// Recorded histories of `replay` (CSVLogger files and JSON lines of hook calls), fed on into a
// checkpoint policy the way replay does; the same bytes also as a whole JSON document through
// the reader of policy files and run records (core/base/JsonText: BOM, NaN tokens, duplicate
// keys, depth limit).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/JsonText.h"
#include "core/checkpoint/CheckpointStore.h"
#include "core/checkpoint/ModelCheckpoint.h"
#include "core/project/HistoryFile.h"
#include "core/project/ProjectJson.h"
#include "tests/fuzz/FuzzCommon.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    cklab::fuzz::expectClearError([&] {
        const auto calls = cklab::parseHistory(text, "fuzz-history", cklab::looksLikeJsonLines(text));
        cklab::CheckpointConfig config;
        config.filepath = "m-{epoch:02d}-{val_loss:.2f}.keras";
        config.saveBestOnly = (size & 1) != 0;
        config.saveFreq = (size & 2) ? "batch" : "epoch";
        config.maxToKeep = 2;
        config.continueOnError = true;
        cklab::ModelCheckpoint policy(config, std::make_shared<cklab::SimulatedCheckpointStore>());
        for (const auto& call : calls)
            cklab::callHook(policy, call);
    });
    cklab::fuzz::expectClearError([&] {
        const auto json = cklab::parseJsonText(text, "fuzz-policy");
        std::vector<std::string> problems;
        cklab::checkpointsFromJson(json, problems);
    });
    return 0;
}
