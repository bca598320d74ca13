#include "ui/session/CheckpointEvaluator.h"

#include <algorithm>
#include <exception>

#include "core/base/Errors.h"
#include "core/project/CheckpointEvaluation.h"

namespace cklab::ui {

EvaluationResult evaluateCheckpoint(const Project& project, const QString& checkpointPath, const RunOptions& options)
{
    EvaluationResult result;
    try {
        CheckpointEvaluationRequest request;
        request.checkpoint = std::filesystem::path(checkpointPath.toStdString());
        const CheckpointEvaluation r = evaluateCheckpointFile(project, request, options);
        result.evaluation = r.evaluation;
        result.logs = r.evaluation.logs;
        result.samples = r.evaluation.samples;
        result.dataName = QString::fromStdString(r.dataName);
        result.format = QString::fromStdString(r.format);
        result.sampleShape = r.data.sampleShape;
        for (const std::string& name : r.data.featureNames)
            result.featureNames << QString::fromStdString(name);
        const auto shown = std::min<std::size_t>(r.evaluation.misclassified.size(), kShownMisclassified);
        result.misclassifiedX.resize(static_cast<Eigen::Index>(shown), r.data.x.cols());
        for (std::size_t i = 0; i < shown; ++i)
            result.misclassifiedX.row(static_cast<Eigen::Index>(i)) = r.data.x.row(r.evaluation.misclassified[i].index);
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

} // namespace cklab::ui
