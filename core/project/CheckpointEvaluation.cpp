#include "core/project/CheckpointEvaluation.h"

#include "core/base/Errors.h"
#include "core/io/CheckpointFile.h"
#include "core/io/UntrustedCheckpoint.h"

namespace cklab {

CheckpointEvaluation evaluateCheckpointFile(const Project& project, const CheckpointEvaluationRequest& request,
                                            const RunOptions& options)
{
    // Read first: a bad file is reported before the data is loaded.
    const LoadedCheckpoint checkpoint = readUntrustedCheckpoint(request.checkpoint);
    if (request.architectureFromFile && !checkpoint.spec)
        throw ConfigError({request.checkpoint.string() + ": holds weights only, no architecture; evaluate it with "
                                                         "the project's model instead (--weights)"});
    ProjectRun run(project, options);
    const DataSplit& split = run.data();
    const bool haveValidation = !split.validation.empty();
    if (request.data == EvaluationData::Validation && !haveValidation)
        throw ConfigError({"data: the project has no validation data (set data.validation_split or "
                           "data.validation_path), evaluate on the training data instead"});
    const bool useValidation = request.data == EvaluationData::Validation
                               || (request.data == EvaluationData::Default && haveValidation);

    CheckpointEvaluation out;
    out.data = useValidation ? split.validation : split.train;
    out.dataName = useValidation ? "validation" : "training";
    out.format = std::string(formatName(checkpoint.format));
    if (request.architectureFromFile) {
        Model model(*checkpoint.spec, checkpoint.compile.value_or(project.training.compile));
        loadIntoModel(checkpoint, model, /*withOptimizer=*/false);
        out.evaluation = evaluateModel(model, out.data.x, out.data.y, out.data.numClasses, out.data.classNames);
    } else {
        loadIntoModel(checkpoint, run.model(), /*withOptimizer=*/false);
        out.evaluation = evaluateModel(run.model(), out.data.x, out.data.y, out.data.numClasses, out.data.classNames);
    }
    return out;
}

} // namespace cklab
