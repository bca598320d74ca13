#include "ui/forms/DataForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QtConcurrent/QtConcurrentRun>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/data/DataLoader.h"
#include "core/data/FashionMnist.h"
#include "core/project/ProjectValidation.h"
#include "ui/forms/ErrorLabel.h"
#include "ui/forms/FieldProblems.h"
#include "ui/forms/FormRows.h"
#include "ui/main/DialogProvider.h"
#include "ui/widgets/ImageGrid.h"

namespace cklab::ui {

using cklab::DataConfig;

namespace {
const QStringList kSources{QStringLiteral("generator"), QStringLiteral("csv"),  QStringLiteral("hdf5"),
                           QStringLiteral("idx"),       QStringLiteral("numpy"), QStringLiteral("iris"),
                           QStringLiteral("fashion_mnist")};
const QStringList kGenerators{QStringLiteral("uniform"), QStringLiteral("blobs"), QStringLiteral("moons"),
                              QStringLiteral("circles"), QStringLiteral("spirals"), QStringLiteral("xor")};
constexpr int kPreviewRows = 8;
constexpr int kPreviewImages = 32;

/// Selects `value` in a combo box of `known` entries. A value the form does not know is added as
/// an extra entry and selected: the project keeps it (and validation says why it is wrong)
/// instead of silently becoming the first entry. Earlier extra entries are dropped.
void selectOrKeep(QComboBox* combo, const QStringList& known, const QString& value)
{
    while (combo->count() > known.size())
        combo->removeItem(combo->count() - 1);
    int index = static_cast<int>(known.indexOf(value));
    if (index < 0) {
        combo->addItem(value);
        combo->setItemData(combo->count() - 1, QObject::tr("Not a known value: choose one of the list"),
                           Qt::ToolTipRole);
        index = combo->count() - 1;
    }
    combo->setCurrentIndex(index);
}

QString fashionNote()
{
    const QString dir = QString::fromStdString(cklab::fashionMnistDir().string());
    const QString about = QObject::tr("Fashion-MNIST (Zalando, 2017): 60 000 training images and the 10 000 test "
                                      "images as validation data, 28 × 28 grey, 10 classes (T-shirt/top … Ankle boot).");
    if (QFileInfo(dir).isDir())
        return about + QObject::tr(" Read from %1.").arg(dir);
    return about + QObject::tr("\nNot installed here: %1 does not exist. Install the Debian package %2 "
                               "(sudo apt-get install %2).")
                       .arg(dir, QLatin1String(cklab::kFashionMnistPackage));
}
} // namespace

DataForm::DataForm(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("dataForm"));
    build();
    m_previewTimer = new QTimer(this);
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(250);
    connect(m_previewTimer, &QTimer::timeout, this, &DataForm::updatePreview);
    // Owned by the form: destroying the form drops a pending result; the task itself only holds
    // copies of the configuration.
    m_previewWatcher = new QFutureWatcher<DataFormPreview>(this);
    connect(m_previewWatcher, &QFutureWatcher<DataFormPreview>::finished, this,
            [this] { showPreview(m_previewWatcher->result()); });
    setConfig(DataConfig{});
}

QWidget* DataForm::fileRow(QLineEdit** edit, const char* name, const char* key, const QString& tip,
                           const QString& placeholder)
{
    *edit = new QLineEdit(this);
    (*edit)->setObjectName(QLatin1String(name));
    (*edit)->setToolTip(tip);
    (*edit)->setPlaceholderText(placeholder);
    auto* row = new QWidget(this);
    auto* h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    h->addWidget(*edit, 1);
    auto* button = new QToolButton(row);
    button->setObjectName(QLatin1String(name) + QStringLiteral("Browse"));
    button->setText(QStringLiteral("…"));
    button->setToolTip(tr("Choose a file"));
    h->addWidget(button);
    QLineEdit* target = *edit;
    connect(button, &QToolButton::clicked, this, [this, target] { browse(target); });
    connect(target, &QLineEdit::textChanged, this, [this, key] { onEdited(QLatin1String(key)); });
    return row;
}

void DataForm::build()
{
    auto* layout = new QVBoxLayout(this);
    m_form = new QFormLayout;
    layout->addLayout(m_form);
    FormRows rows(m_form, [this](const QString& key) { onEdited(key); });

    m_source = rows.choice(tr("Source"), "dataSource", "data.source", kSources,
                           tr("Where the samples come from: a synthetic generator, a CSV, HDF5, IDX (MNIST format) "
                              "or NumPy (.npy/.npz) file, the shipped Iris data set, or Fashion-MNIST."));
    m_sourceNote = new QLabel(this);
    m_sourceNote->setObjectName(QStringLiteral("dataSourceNote"));
    m_sourceNote->setWordWrap(true);
    m_form->addRow(QString(), m_sourceNote);

    m_generator = rows.choice(tr("Generator"), "dataGenerator", "data.generator", kGenerators,
                              tr("Synthetic data set: uniform (random labels), blobs, moons, circles, spirals or xor."));
    m_samples = rows.integer(tr("Samples"), "dataSamples", "data.samples", 0, 10000000, tr("Number of generated samples."));
    m_genFeatures = rows.integer(tr("Features"), "dataFeatures", "data.features", 0, 100000,
                                 tr("Features per sample (uniform and blobs; the others are 2-D)."));
    m_classes = rows.integer(tr("Classes"), "dataClasses", "data.classes", 0, 100000,
                             tr("Number of classes (uniform, blobs and spirals)."));
    m_noise = rows.decimal(tr("Noise"), "dataNoise", "data.noise", 0.0, 100.0, 3, 0.05,
                           tr("Standard deviation of the Gaussian noise added to the generated points."));

    m_pathRow = fileRow(&m_path, "dataPath", "data.path",
                        tr("Data file (CSV, HDF5, IDX images, .npy samples or a .npz archive); a relative path is "
                           "relative to the project file's folder."), QString());
    m_form->addRow(tr("File"), m_pathRow);
    m_labelsPathRow = fileRow(&m_labelsPath, "dataLabelsPath", "data.labels_path",
                              tr("The labels of the file above: an IDX *-idx1-ubyte file, or a .npy of class indices."),
                              QString());
    m_form->addRow(tr("Labels file"), m_labelsPathRow);
    m_labelColumn = rows.text(tr("Label column"), "dataLabelColumn", "data.label_column",
                              tr("CSV column holding the labels: a header name or a 0-based index. Empty: the last column."));
    m_labelColumn->setPlaceholderText(tr("last column"));
    m_xDataset = rows.text(tr("X dataset"), "dataXDataset", "data.x_dataset",
                           tr("HDF5 dataset holding the features [n, d] or images (n, H, W[, C])."));
    m_yDataset = rows.text(tr("y dataset"), "dataYDataset", "data.y_dataset",
                           tr("HDF5 dataset holding the labels [n] or targets [n, k]."));
    m_xKey = rows.text(tr("x array"), "dataXKey", "data.x_key",
                       tr("The archive's array of training samples (the name given to np.savez)."));
    m_yKey = rows.text(tr("y array"), "dataYKey", "data.y_key", tr("The archive's array of training labels."));
    m_validationXKey = rows.text(tr("Validation x array"), "dataValidationXKey", "data.validation_x_key",
                                 tr("The archive's array of validation samples. Empty (with the y array): no "
                                    "validation arrays; the validation split applies."));
    m_validationXKey->setPlaceholderText(tr("none"));
    m_validationYKey = rows.text(tr("Validation y array"), "dataValidationYKey", "data.validation_y_key",
                                 tr("The archive's array of validation labels."));
    m_validationYKey->setPlaceholderText(tr("none"));
    m_validationPathRow = fileRow(&m_validationPath, "dataValidationPath", "data.validation_path",
                                  tr("Optional separate validation file in the same format. Empty: use the "
                                     "validation split."), tr("none"));
    m_form->addRow(tr("Validation file"), m_validationPathRow);
    m_validationLabelsPathRow = fileRow(&m_validationLabelsPath, "dataValidationLabelsPath", "data.validation_labels_path",
                                        tr("The labels of the validation file (IDX or .npy)."), tr("none"));
    m_form->addRow(tr("Validation labels"), m_validationLabelsPathRow);
    m_limit = rows.integer(tr("Limit"), "dataLimit", "data.limit", 0, 100000000,
                           tr("Train on the first N training samples only, for a quick run (0 = all). The "
                              "validation data stays whole."));
    m_limit->setSpecialValueText(tr("all samples"));
    m_scale = rows.check(tr("Scale 8-bit images to [0, 1]"), "dataScale", "data.scale",
                         tr("Divide uint8 images (0–255) by 255."));

    m_validationSplit = rows.decimal(tr("Validation split"), "dataValidationSplit", "data.validation_split", 0.0, 1.0,
                                     3, 0.05, tr("Fraction in [0, 1) held out from the end of the data for validation "
                                                 "(as Keras' validation_split)."));
    auto* batchRow = new QWidget(this);
    auto* bh = new QHBoxLayout(batchRow);
    bh->setContentsMargins(0, 0, 0, 0);
    m_batchSize = new QSpinBox(batchRow);
    m_batchSize->setRange(1, 10000000);
    m_batchSize->setObjectName(QStringLiteral("dataBatchSize"));
    m_batchSize->setToolTip(tr("Samples per training step."));
    m_fullBatch = new QCheckBox(tr("Full batch"), batchRow);
    m_fullBatch->setObjectName(QStringLiteral("dataFullBatch"));
    m_fullBatch->setToolTip(tr("One step per epoch over all training samples (batch_size 0)."));
    bh->addWidget(m_batchSize, 1);
    bh->addWidget(m_fullBatch);
    rows.add(tr("Batch size"), batchRow);
    m_shuffle = rows.check(tr("Shuffle every epoch"), "dataShuffle", "data.shuffle",
                           tr("Shuffle the training samples before every epoch (seeded)."));
    m_standardize = rows.check(tr("Standardise features"), "dataStandardize", "data.standardize",
                               tr("z-score every feature with the mean and standard deviation of the training part."));
    m_seed = rows.text(tr("Seed"), "dataSeed", "training.seed",
                       tr("Seed of the run: generated data, shuffling, initial weights and dropout."));
    m_seed->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,19}")), m_seed));

    m_errors = new ErrorLabel(this);
    m_errors->setObjectName(QStringLiteral("dataErrorsLabel"));
    layout->addWidget(m_errors);

    auto* previewTitle = new QLabel(tr("Preview"), this);
    QFont bold = previewTitle->font();
    bold.setBold(true);
    previewTitle->setFont(bold);
    layout->addWidget(previewTitle);
    m_preview = new QTableWidget(this);
    m_preview->setObjectName(QStringLiteral("dataPreviewTable"));
    m_preview->setToolTip(tr("The first rows of the data as the run will load them (before standardisation)."));
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->verticalHeader()->setVisible(false);
    m_preview->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_preview->setMinimumHeight(120);
    layout->addWidget(m_preview, 1);
    m_images = new ImageGrid(this);
    m_images->setObjectName(QStringLiteral("dataPreviewImages"));
    m_images->setToolTip(tr("The first training images as the run will load them, with their class names."));
    m_images->setMaxImages(kPreviewImages);
    m_images->setMinimumHeight(160);
    m_images->setVisible(false);
    layout->addWidget(m_images, 1);
    m_classCounts = new QLabel(this);
    m_classCounts->setObjectName(QStringLiteral("dataClassCounts"));
    m_classCounts->setWordWrap(true);
    m_classCounts->setToolTip(tr("Samples per class in the whole data set."));
    layout->addWidget(m_classCounts);

    connect(m_batchSize, &QSpinBox::valueChanged, this, [this] { onEdited(QStringLiteral("data.batch_size")); });
    connect(m_fullBatch, &QCheckBox::toggled, this, [this](bool full) {
        m_batchSize->setEnabled(!full);
        onEdited(QStringLiteral("data.batch_size"));
    });
}

void DataForm::setConfig(const DataConfig& c)
{
    m_loading = true;
    selectOrKeep(m_source, kSources, QString::fromStdString(c.source));
    selectOrKeep(m_generator, kGenerators, QString::fromStdString(c.generator));
    m_samples->setValue(c.samples);
    m_genFeatures->setValue(c.features);
    m_classes->setValue(c.classes);
    m_noise->setValue(c.noise);
    m_path->setText(QString::fromStdString(c.path));
    m_labelsPath->setText(QString::fromStdString(c.labelsPath));
    m_labelColumn->setText(QString::fromStdString(c.labelColumn));
    m_xDataset->setText(QString::fromStdString(c.xDataset));
    m_yDataset->setText(QString::fromStdString(c.yDataset));
    m_xKey->setText(QString::fromStdString(c.xKey));
    m_yKey->setText(QString::fromStdString(c.yKey));
    m_validationXKey->setText(QString::fromStdString(c.validationXKey));
    m_validationYKey->setText(QString::fromStdString(c.validationYKey));
    m_validationPath->setText(QString::fromStdString(c.validationPath));
    m_validationLabelsPath->setText(QString::fromStdString(c.validationLabelsPath));
    m_limit->setValue(c.limit);
    m_scale->setChecked(c.scale);
    m_validationSplit->setValue(c.validationSplit);
    m_fullBatch->setChecked(c.batchSize == 0);
    m_batchSize->setEnabled(c.batchSize != 0);
    if (c.batchSize != 0)
        m_batchSize->setValue(c.batchSize);
    m_shuffle->setChecked(c.shuffle);
    m_standardize->setChecked(c.standardize);
    m_loading = false;
    m_loadProblem.clear();
    updateRowVisibility();
    refresh();
    m_previewTimer->start();
}

DataConfig DataForm::config() const
{
    DataConfig c;
    c.source = m_source->currentText().toStdString();
    c.generator = m_generator->currentText().toStdString();
    c.samples = m_samples->value();
    c.features = m_genFeatures->value();
    c.classes = m_classes->value();
    c.noise = static_cast<float>(m_noise->value());
    c.path = m_path->text().toStdString();
    c.labelsPath = m_labelsPath->text().toStdString();
    c.labelColumn = m_labelColumn->text().toStdString();
    c.xDataset = m_xDataset->text().toStdString();
    c.yDataset = m_yDataset->text().toStdString();
    c.xKey = m_xKey->text().toStdString();
    c.yKey = m_yKey->text().toStdString();
    c.validationXKey = m_validationXKey->text().toStdString();
    c.validationYKey = m_validationYKey->text().toStdString();
    c.validationPath = m_validationPath->text().toStdString();
    c.validationLabelsPath = m_validationLabelsPath->text().toStdString();
    c.limit = m_limit->value();
    c.scale = m_scale->isChecked();
    c.validationSplit = m_validationSplit->value();
    c.batchSize = m_fullBatch->isChecked() ? 0 : m_batchSize->value();
    c.shuffle = m_shuffle->isChecked();
    c.standardize = m_standardize->isChecked();
    return c;
}

void DataForm::setSeed(std::uint64_t seed)
{
    m_loading = true;
    m_seed->setText(QString::number(seed));
    m_loading = false;
    m_previewTimer->start();
}

std::uint64_t DataForm::seed() const
{
    return m_seed->text().toULongLong();
}

void DataForm::setBaseDir(const QString& dir)
{
    m_baseDir = dir;
    m_loadProblem.clear();
    refresh();
    m_previewTimer->start();
}

QStringList DataForm::problems() const
{
    return m_errors->problems();
}

bool DataForm::hasValidation() const
{
    return cklab::hasValidationData(config());
}

void DataForm::updateRowVisibility()
{
    const DataConfig c = config();
    const QString source = QString::fromStdString(c.source);
    const QString gen = m_generator->currentText();
    const bool generator = source == QLatin1String("generator");
    const bool csv = source == QLatin1String("csv");
    const bool hdf5 = source == QLatin1String("hdf5");
    const bool idx = source == QLatin1String("idx");
    const bool numpy = source == QLatin1String("numpy");
    const bool fashion = source == QLatin1String("fashion_mnist");
    const bool archive = c.numpyArchive();
    const bool labelFiles = idx || (numpy && !archive);
    m_form->setRowVisible(m_generator, generator);
    m_form->setRowVisible(m_samples, generator);
    m_form->setRowVisible(m_genFeatures, generator && (gen == QLatin1String("uniform") || gen == QLatin1String("blobs")));
    m_form->setRowVisible(m_classes, generator && (gen == QLatin1String("uniform") || gen == QLatin1String("blobs") ||
                                                   gen == QLatin1String("spirals")));
    m_form->setRowVisible(m_noise, generator);
    m_form->setRowVisible(m_pathRow, csv || hdf5 || idx || numpy);
    m_form->setRowVisible(m_labelsPathRow, labelFiles);
    m_form->setRowVisible(m_labelColumn, csv);
    m_form->setRowVisible(m_xDataset, hdf5);
    m_form->setRowVisible(m_yDataset, hdf5);
    for (QLineEdit* key : {m_xKey, m_yKey, m_validationXKey, m_validationYKey})
        m_form->setRowVisible(key, archive);
    m_form->setRowVisible(m_validationPathRow, csv || hdf5 || labelFiles);
    m_form->setRowVisible(m_validationLabelsPathRow, labelFiles);
    m_form->setRowVisible(m_limit, idx || numpy || hdf5 || fashion);
    m_form->setRowVisible(m_scale, idx || numpy || hdf5 || fashion);
    // Fashion-MNIST's test set is its validation data: the split stays visible only to be fixed.
    m_form->setRowVisible(m_validationSplit, !fashion || c.validationSplit != 0.0);
    m_sourceNote->setText(fashion ? fashionNote() : QString());
    m_form->setRowVisible(m_sourceNote, fashion);
}

void DataForm::browse(QLineEdit* target)
{
    const QString source = m_source->currentText();
    QString filter = tr("CSV files (*.csv *.txt);;All files (*)");
    if (source == QLatin1String("hdf5"))
        filter = tr("HDF5 files (*.h5 *.hdf5);;All files (*)");
    else if (source == QLatin1String("idx"))
        filter = tr("IDX files (*-ubyte *-ubyte.gz *.idx *.gz);;All files (*)");
    else if (source == QLatin1String("numpy"))
        filter = tr("NumPy files (*.npy *.npz);;All files (*)");
    QString start = target->text();
    if (QFileInfo(start).isRelative() && !m_baseDir.isEmpty())
        start = QDir(m_baseDir).filePath(start);
    const QString chosen = DialogProvider::instance().openFileName(this, tr("Choose a data file"), start, filter);
    if (chosen.isEmpty())
        return;
    // Keep paths next to the project relative, so that the project folder can move.
    QString path = chosen;
    if (!m_baseDir.isEmpty()) {
        const QString rel = QDir(m_baseDir).relativeFilePath(chosen);
        if (!rel.startsWith(QLatin1String("..")))
            path = rel;
    }
    target->setText(path);
}

void DataForm::onEdited(const QString& field)
{
    if (m_loading)
        return;
    m_loadProblem.clear(); // the preview of this configuration says again, when it is loaded
    // The source, the generator, a path (.npy or .npz) and the split decide which rows apply.
    updateRowVisibility();
    refresh();
    m_previewTimer->start();
    emit edited(field);
}

void DataForm::refresh()
{
    // Everything the run would find wrong with the data before training is found here, so that
    // Train stays disabled: the settings, the files on disk, and what the loader said of them.
    const cklab::DataConfig c = config();
    auto problems = c.validate();
    const auto files = cklab::checkDataFiles(c, m_baseDir.toStdString());
    problems.insert(problems.end(), files.begin(), files.end());
    if (problems.empty() && !m_loadProblem.isEmpty())
        problems.push_back(m_loadProblem.toStdString());
    m_errors->setProblems(problems);
    markFields(problems);
    const bool valid = problems.empty();
    if (valid != m_valid) {
        m_valid = valid;
        emit validityChanged(valid);
    }
    const bool hasVal = hasValidation();
    if (hasVal != m_hasValidation) {
        m_hasValidation = hasVal;
        emit validationChanged(hasVal);
    }
}

void DataForm::markFields(const std::vector<std::string>& problems)
{
    // The field a message names gets the mark: "data.limit: ..." -> the limit box.
    const std::pair<const char*, QWidget*> fields[] = {
        {"data.source", m_source},           {"data.generator", m_generator},
        {"data.samples", m_samples},         {"data.features", m_genFeatures},
        {"data.classes", m_classes},         {"data.noise", m_noise},
        {"data.path", m_path},               {"data.labels_path", m_labelsPath},
        {"data.label_column", m_labelColumn}, {"data.x_dataset", m_xDataset},
        {"data.y_dataset", m_yDataset},      {"data.x_key", m_xKey},
        {"data.y_key", m_yKey},              {"data.validation_x_key", m_validationXKey},
        {"data.validation_y_key", m_validationYKey}, {"data.validation_path", m_validationPath},
        {"data.validation_labels_path", m_validationLabelsPath}, {"data.limit", m_limit},
        {"data.scale", m_scale},             {"data.validation_split", m_validationSplit},
        {"data.batch_size", m_batchSize}};
    for (const auto& [key, widget] : fields) {
        const std::string prefix = std::string(key) + ":";
        QString problem;
        for (const auto& p : problems)
            if (problem.isEmpty() && p.rfind(prefix, 0) == 0)
                problem = readableProblem(QString::fromStdString(p));
        markField(widget, problem);
    }
}

void DataForm::recheck()
{
    refresh();
}

void DataForm::setFeatures(int features)
{
    if (features == m_features)
        return;
    m_features = features;
    emit featureCountChanged(features);
}

void DataForm::updatePreview()
{
    m_previewTimer->stop();
    m_classCounts->setText(tr("Loading preview…"));
    // setFuture() stops reporting the previous request, so a slow earlier load never overwrites
    // the preview of a later edit.
    m_previewWatcher->setFuture(
        QtConcurrent::run(&DataFormPreview::compute, config(), m_baseDir, seed(), kPreviewRows, kPreviewImages));
}

void DataForm::showPreview(const DataFormPreview& preview)
{
    const bool images = !preview.sampleShape.empty();
    m_preview->clear();
    m_preview->setColumnCount(images ? 0 : static_cast<int>(preview.header.size()));
    m_preview->setHorizontalHeaderLabels(preview.header);
    m_preview->setRowCount(images ? 0 : static_cast<int>(preview.rows.size()));
    for (int r = 0; !images && r < static_cast<int>(preview.rows.size()); ++r)
        for (int c = 0; c < preview.rows[static_cast<size_t>(r)].size(); ++c)
            m_preview->setItem(r, c, new QTableWidgetItem(preview.rows[static_cast<size_t>(r)][c]));
    if (images)
        m_images->setImages(preview.images, preview.sampleShape, preview.captions);
    else
        m_images->clear();
    m_preview->setVisible(!images);
    m_images->setVisible(images);
    m_classCounts->setText(preview.error.isEmpty() ? preview.summary : preview.error);
    // What the loader said of the files (or of the installed package) keeps Train disabled.
    const QString source = m_source->currentText();
    const bool fileSource = source == QLatin1String("csv") || source == QLatin1String("hdf5") ||
                            source == QLatin1String("idx") || source == QLatin1String("numpy");
    const bool fashion = source == QLatin1String("fashion_mnist");
    m_loadProblem = preview.cause.isEmpty() ? QString()
                    : fileSource            ? tr("data.path: %1").arg(preview.cause)
                    : fashion               ? tr("data.source: %1").arg(preview.cause)
                                            : QString();
    m_sampleShape = preview.sampleShape;
    refresh();
    setFeatures(preview.features);
    emit previewUpdated();
}

} // namespace cklab::ui
