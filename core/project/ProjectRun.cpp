#include "core/project/ProjectRun.h"

#include <algorithm>

#include "core/base/Errors.h"
#include "core/base/OutOfMemory.h"
#include "core/checkpoint/BackupAndRestore.h"
#include "core/checkpoint/ModelCheckpoint.h"
#include "core/checkpoint/OutputDirStore.h"
#include "core/checkpoint/RunFiles.h"
#include "core/data/DataLoader.h"
#include "core/nn/LayerShapes.h"
#include "core/nn/ModelInput.h"
#include "core/project/MemoryEstimate.h"
#include "core/project/ProjectValidation.h"
#include "core/project/StartFromFile.h"
#include "core/train/CsvLogger.h"
#include "core/train/EarlyStopping.h"
#include "core/train/TerminateOnNaN.h"

namespace cklab {

namespace {

/// Last in the callback list: forwards batch and epoch ends to the observer, after every other
/// callback has added its keys and made its decisions.
class ObserverForwarder : public Callback {
public:
    explicit ObserverForwarder(RunObserver** observer) : m_observer(observer) {}

protected:
    void epochBegin(int epoch, Logs&) override { m_epoch = epoch; }
    void trainBatchEnd(int batch, Logs& logs) override
    {
        if (*m_observer)
            (*m_observer)->batchEnd(m_epoch, batch, logs);
    }
    void epochEnd(int epoch, Logs& logs) override
    {
        if (*m_observer)
            (*m_observer)->epochEnd(epoch, logs);
    }

private:
    RunObserver** m_observer;
    int m_epoch = 0;
};

std::uint64_t splitMix64(std::uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

std::filesystem::path absoluteDir(const std::filesystem::path& dir)
{
    return std::filesystem::absolute(dir.empty() ? std::filesystem::current_path() : dir).lexically_normal();
}

/// The last Dense layer must fit the data's targets, or the loss cannot be computed.
void checkOutputWidth(const ModelSpec& spec, LossKind loss, int numClasses)
{
    if (numClasses <= 0)
        return;
    const int expected = loss == LossKind::BinaryCrossentropy ? (numClasses == 2 ? 1 : numClasses) : numClasses;
    const int units = spec.outputDim();
    if (units == expected || (loss == LossKind::BinaryCrossentropy && units == numClasses))
        return;
    std::size_t last = 0;
    for (std::size_t i = 0; i < spec.layers.size(); ++i)
        if (spec.layers[i].kind == LayerSpec::Kind::Dense)
            last = i;
    throw ConfigError({"model.layers[" + std::to_string(last) + "].units: the data has " + std::to_string(numClasses) +
                       " classes, so the last Dense layer needs " + std::to_string(expected) + " units with loss " +
                       std::string(lossName(loss)) + ", got " + std::to_string(units)});
}

/// Image data (issue 17): a model without model.input_shape that needs a shaped input takes the
/// data's sample shape (the rule of core/nn/ModelInput, which the model form shows too); a given
/// input_shape must be the data's.
void takeSampleShape(ModelSpec& spec, const std::vector<int>& sampleShape)
{
    if (sampleShape.empty())
        return;
    const bool needsImage = needsShapedInput(spec);
    if (spec.inputShape.empty() && needsImage && (spec.inputDim == 0 || spec.inputDim == int(shapeSize(sampleShape)))) {
        spec.inputShape = sampleShape;
        spec.inputDim = static_cast<int>(shapeSize(sampleShape));
    } else if (!spec.inputShape.empty() && sampleShape.size() == spec.inputShape.size() && spec.inputShape != sampleShape) {
        throw ConfigError({"model.input_shape: is " + shapeString(spec.inputShape) + " but the data's samples are " +
                           shapeString(sampleShape)});
    }
}

} // namespace

RunSeeds deriveSeeds(std::uint64_t projectSeed)
{
    return RunSeeds{projectSeed, dataSeed(projectSeed), splitMix64(projectSeed)};
}

struct ProjectRun::Impl {
    Project project;
    RunOptions options;
    RunInfo info;
    DataSplit data;
    std::unique_ptr<Model> model;
    std::unique_ptr<Trainer> trainer;
    RunObserver* observer = nullptr;
    std::vector<std::string> earlyMessages; // e.g. warnings of policy constructors, before an observer exists
    bool ran = false;
    std::vector<std::shared_ptr<ModelCheckpoint>> checkpoints; // to report a write failure that stopped the run
    std::shared_ptr<EarlyStopping> earlyStopping;              // to tell an early stop from other callbacks

    void message(const std::string& text)
    {
        if (observer)
            observer->message(text);
        else
            earlyMessages.push_back(text);
    }
    void addCallbacks();
};

void ProjectRun::Impl::addCallbacks()
{
    auto& list = trainer->callbacks();
    const MessageSink messages = [this](const std::string& text) { message(text); };
    const auto& t = project.training;
    if (t.terminateOnNaN)
        list.add(std::make_shared<TerminateOnNaN>(messages));
    // Every file of the run has one owner: no writer overwrites or deletes another's (issue 16).
    auto files = std::make_shared<RunFiles>();
    if (t.csvLogger.enabled)
        files->claim(info.outputDir / t.csvLogger.filename, "the CSV log (training.csv_logger.filename)");
    if (t.backup.enabled)
        files->claim(info.outputDir / t.backup.backupDir / "backup.weights.h5", "the backup (training.backup.backup_dir)");
    for (const auto& config : project.checkpoints) {
        auto store = std::make_shared<OutputDirStore>(info.outputDir, config.filepath, config.includeOptimizer, files,
                                                      "checkpoint policy \"" + config.name + "\"");
        auto checkpoint = std::make_shared<ModelCheckpoint>(config, store, messages);
        checkpoint->setEventSink([this](const CheckpointEvent& event) {
            if (observer)
                observer->checkpointEvent(event);
        });
        list.add(checkpoint);
        checkpoints.push_back(checkpoint);
    }
    if (t.earlyStopping.enabled) {
        earlyStopping = std::make_shared<EarlyStopping>(t.earlyStopping, messages);
        list.add(earlyStopping);
    }
    if (t.csvLogger.enabled)
        list.add(std::make_shared<CsvLogger>((info.outputDir / t.csvLogger.filename).string(), t.csvLogger.separator,
                                             t.csvLogger.append));
    // The forwarder is stateless; BackupAndRestore must be last so that its backup holds the
    // state every other callback reached in the same hook.
    list.add(std::make_shared<ObserverForwarder>(&observer));
    if (t.backup.enabled)
        list.add(std::make_shared<BackupAndRestore>(info.outputDir / t.backup.backupDir, t.backup.saveFreq,
                                                    t.backup.deleteCheckpoint, trainer.get(), messages));
}

ProjectRun::ProjectRun(const Project& project, RunOptions options) : m_impl(std::make_unique<Impl>())
{
    Impl& d = *m_impl;
    d.project = project;
    d.options = std::move(options);
    if (d.options.seed)
        d.project.training.seed = *d.options.seed;
    if (d.options.epochs)
        d.project.training.epochs = *d.options.epochs;
    throwIfInvalid(validateProject(d.project));

    const auto& t = d.project.training;
    const RunSeeds seeds = deriveSeeds(t.seed);
    const std::filesystem::path baseDir = absoluteDir(d.options.baseDir);
    d.info.outputDir = d.options.outputDir.empty() ? (baseDir / d.project.outputDir).lexically_normal()
                                                   : absoluteDir(d.options.outputDir);
    // loadData takes the project seed and derives the data seed itself (dataSeed()).
    // data.standardize is the model's leading Normalization layer, not a change of the data: the
    // network sees raw features, and every file it saves maps raw inputs to outputs (issue 15).
    DataConfig rawData = d.project.data;
    rawData.standardize = false;
    d.data = allocating("loading the data set", [&] { return loadData(rawData, targetEncodingFor(t.compile.loss), t.seed, baseDir); });
    if (d.project.data.standardize)
        computeStandardization(d.data);

    ModelSpec spec = d.project.model;
    std::optional<LoadedCheckpoint> startFile;
    if (!spec.fromFile.empty()) {
        startFile = allocating("reading model.from_file", [&] { return readStartFile(startFilePath(spec, baseDir)); });
        spec = startSpec(spec, *startFile, d.data.train.features());
    }
    takeSampleShape(spec, d.data.train.sampleShape);
    if (spec.inputDim == 0)
        spec.inputDim = d.data.train.features();
    else if (spec.inputDim != d.data.train.features())
        throw ConfigError({"model.input_dim: is " + std::to_string(spec.inputDim) + " but the data has " +
                           std::to_string(d.data.train.features()) + " features (use 0 to take it from the data)"});
    if (d.project.data.standardize && d.data.featureMean.size() > 0 && !spec.normalization)
        spec.normalization = standardizationLayer(d.data.featureMean, d.data.featureStd);
    checkOutputWidth(spec, t.compile.loss, d.data.train.numClasses);
    // Now that the data and the layers are known (a data file, model.from_file): the estimate
    // validateProject made from the project alone, again with the real sizes.
    {
        const Dataset& train = d.data.train;
        const double rows = double(train.x.rows()) + double(d.data.validation.x.rows());
        const MemoryEstimate memory = estimateMemory(spec, t.compile.optimizer, rows, double(train.x.cols()),
                                                     double(std::max<Eigen::Index>(train.y.cols(), 1)), d.project.data.batchSize);
        if (const auto problem = memoryProblem(memory, memoryLimit()))
            throw ConfigError({*problem});
    }
    allocating("building the model", [&] {
        d.model = std::make_unique<Model>(spec, t.compile);
        Rng initRng(seeds.init);
        d.model->initialize(initRng);
    });
    if (startFile)
        for (const std::string& warning : startFrom(*startFile, *d.model))
            d.message("Warning: " + warning);

    TrainerConfig trainerConfig;
    trainerConfig.epochs = t.epochs;
    trainerConfig.batchSize = d.project.data.batchSize;
    trainerConfig.shuffle = d.project.data.shuffle;
    trainerConfig.seed = seeds.trainer;
    const Dataset* validation = d.data.validation.empty() ? nullptr : &d.data.validation;
    d.trainer = std::make_unique<Trainer>(*d.model, d.data.train, validation, trainerConfig);

    d.info.epochs = t.epochs;
    d.info.stepsPerEpoch = d.trainer->stepsPerEpoch();
    d.info.trainSamples = d.data.train.size();
    d.info.validationSamples = d.data.validation.size();
    d.info.parameterCount = d.model->network().parameterCount();
    d.info.logKeys = {"loss"};
    for (const auto& metric : t.compile.metrics)
        d.info.logKeys.push_back(metric);
    if (validation) {
        const std::size_t n = d.info.logKeys.size();
        for (std::size_t i = 0; i < n; ++i)
            d.info.logKeys.push_back("val_" + d.info.logKeys[i]);
    }
    d.addCallbacks();
}

ProjectRun::~ProjectRun() = default;

void ProjectRun::setObserver(RunObserver* observer)
{
    m_impl->observer = observer;
    if (observer) {
        for (const auto& text : m_impl->earlyMessages)
            observer->message(text);
        m_impl->earlyMessages.clear();
    }
}
const RunInfo& ProjectRun::info() const { return m_impl->info; }
Trainer& ProjectRun::trainer() { return *m_impl->trainer; }
Model& ProjectRun::model() { return *m_impl->model; }
const DataSplit& ProjectRun::data() const { return m_impl->data; }

TrainResult ProjectRun::run()
{
    Impl& d = *m_impl;
    if (d.ran)
        throw std::logic_error("ProjectRun::run() called twice");
    d.ran = true;
    {
        // Not the library's "filesystem error: cannot create directories: ... [path]".
        std::error_code ec;
        std::filesystem::create_directories(d.info.outputDir, ec);
        if (ec || !std::filesystem::is_directory(d.info.outputDir))
            throw IoError(d.info.outputDir.string(),
                          "cannot create the output folder: " +
                              (ec ? ec.message() : std::string("a file of that name is in the way")));
    }
    if (d.observer)
        d.observer->trainBegin(d.info);
    TrainResult result = allocating("training", [&] { return d.trainer->fit(); });
    // A failed checkpoint write stops training (unless continue_on_error): that is an error of
    // the run, not a callback's ordinary stop, so the CLI exits 1 and says why (HARDEN).
    if (result.reason == StopReason::Callback)
        for (const auto& checkpoint : d.checkpoints)
            if (!checkpoint->config().continueOnError && !checkpoint->lastError().empty()) {
                result.reason = StopReason::Error;
                result.error = checkpoint->lastError();
                break;
            }
    if (result.reason == StopReason::Callback && d.earlyStopping && d.earlyStopping->stoppedEpoch() > 0)
        result.reason = StopReason::EarlyStopping;
    if (d.observer)
        d.observer->trainEnd(result);
    return result;
}

} // namespace cklab
