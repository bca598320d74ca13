#include "ui/session/CheckpointEvaluator.h"

#include <QStringList>
#include <exception>

#include "core/base/Errors.h"
#include "core/io/CheckpointFile.h"
#include "core/io/UntrustedCheckpoint.h"

namespace cklab {

EvaluationResult evaluateCheckpoint(const Project& project, const QString& checkpointPath, const RunOptions& options)
{
    EvaluationResult result;
    try {
        const std::filesystem::path path(checkpointPath.toStdString());
        // Read first: a bad file is reported before the data is loaded.
        const LoadedCheckpoint checkpoint = readUntrustedCheckpoint(path);
        ProjectRun run(project, options);
        loadIntoModel(checkpoint, run.model(), /*withOptimizer=*/false);
        const DataSplit& split = run.data();
        const bool haveValidation = !split.validation.empty();
        const Dataset& data = haveValidation ? split.validation : split.train;
        const MetricSums sums = run.model().evaluate(data.x, data.y);
        result.logs = sums.means(run.model().metricNames());
        result.samples = sums.samples;
        result.dataName = haveValidation ? QStringLiteral("validation") : QStringLiteral("training");
        const std::string_view fmt = formatName(checkpoint.format);
        result.format = QString::fromUtf8(fmt.data(), qsizetype(fmt.size()));
        result.ok = true;
    } catch (const ConfigError& e) {
        QStringList lines;
        for (const std::string& p : e.problems())
            lines << QString::fromStdString(p);
        result.error = lines.isEmpty() ? QString::fromUtf8(e.what()) : lines.join('\n');
    } catch (const std::exception& e) {
        result.error = QString::fromUtf8(e.what());
    }
    return result;
}

} // namespace cklab
