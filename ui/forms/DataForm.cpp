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
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QtConcurrent/QtConcurrentRun>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/data/DataLoader.h"
#include "core/project/ProjectValidation.h"
#include "ui/forms/ErrorLabel.h"
#include "ui/main/DialogProvider.h"

using cklab::DataConfig;

namespace {
const QStringList kSources{QStringLiteral("generator"), QStringLiteral("csv"), QStringLiteral("hdf5"),
                           QStringLiteral("iris")};
const QStringList kGenerators{QStringLiteral("uniform"), QStringLiteral("blobs"), QStringLiteral("moons"),
                              QStringLiteral("circles"), QStringLiteral("spirals"), QStringLiteral("xor")};

QWidget* withBrowseButton(QLineEdit* edit, const QString& buttonName, QToolButton** button)
{
    auto* row = new QWidget;
    auto* h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    h->addWidget(edit, 1);
    *button = new QToolButton(row);
    (*button)->setObjectName(buttonName);
    (*button)->setText(QStringLiteral("…"));
    (*button)->setToolTip(QObject::tr("Choose a file"));
    h->addWidget(*button);
    return row;
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
    m_previewWatcher = new QFutureWatcher<DataPreview>(this);
    connect(m_previewWatcher, &QFutureWatcher<DataPreview>::finished, this,
            [this] { showPreview(m_previewWatcher->result()); });
    setConfig(DataConfig{});
}

void DataForm::build()
{
    auto* layout = new QVBoxLayout(this);
    m_form = new QFormLayout;
    layout->addLayout(m_form);

    auto named = [](QWidget* w, const char* name, const QString& tip) {
        w->setObjectName(QLatin1String(name));
        w->setToolTip(tip);
    };

    m_source = new QComboBox(this);
    m_source->addItems(kSources);
    named(m_source, "dataSource", tr("Where the samples come from: a synthetic generator, a CSV file, an HDF5 file "
                                     "or the shipped Iris data set."));
    m_form->addRow(tr("Source"), m_source);

    m_generator = new QComboBox(this);
    m_generator->addItems(kGenerators);
    named(m_generator, "dataGenerator", tr("Synthetic data set: uniform (random labels), blobs, moons, circles, "
                                           "spirals or xor."));
    m_form->addRow(tr("Generator"), m_generator);
    m_samples = new QSpinBox(this);
    m_samples->setRange(0, 10000000);
    named(m_samples, "dataSamples", tr("Number of generated samples."));
    m_form->addRow(tr("Samples"), m_samples);
    m_genFeatures = new QSpinBox(this);
    m_genFeatures->setRange(0, 100000);
    named(m_genFeatures, "dataFeatures", tr("Features per sample (uniform and blobs; the others are 2-D)."));
    m_form->addRow(tr("Features"), m_genFeatures);
    m_classes = new QSpinBox(this);
    m_classes->setRange(0, 100000);
    named(m_classes, "dataClasses", tr("Number of classes (uniform, blobs and spirals)."));
    m_form->addRow(tr("Classes"), m_classes);
    m_noise = new QDoubleSpinBox(this);
    m_noise->setRange(0.0, 100.0);
    m_noise->setDecimals(3);
    m_noise->setSingleStep(0.05);
    named(m_noise, "dataNoise", tr("Standard deviation of the Gaussian noise added to the generated points."));
    m_form->addRow(tr("Noise"), m_noise);

    QToolButton* browsePath = nullptr;
    m_path = new QLineEdit(this);
    named(m_path, "dataPath", tr("Data file; a relative path is relative to the project file's folder."));
    m_pathRow = withBrowseButton(m_path, QStringLiteral("dataPathBrowse"), &browsePath);
    m_form->addRow(tr("File"), m_pathRow);
    m_labelColumn = new QLineEdit(this);
    m_labelColumn->setPlaceholderText(tr("last column"));
    named(m_labelColumn, "dataLabelColumn", tr("CSV column holding the labels: a header name or a 0-based index. "
                                               "Empty: the last column."));
    m_form->addRow(tr("Label column"), m_labelColumn);
    m_xDataset = new QLineEdit(this);
    named(m_xDataset, "dataXDataset", tr("HDF5 dataset holding the features [n, d]."));
    m_form->addRow(tr("X dataset"), m_xDataset);
    m_yDataset = new QLineEdit(this);
    named(m_yDataset, "dataYDataset", tr("HDF5 dataset holding the labels [n] or targets [n, k]."));
    m_form->addRow(tr("y dataset"), m_yDataset);
    QToolButton* browseValidation = nullptr;
    m_validationPath = new QLineEdit(this);
    m_validationPath->setPlaceholderText(tr("none"));
    named(m_validationPath, "dataValidationPath", tr("Optional separate validation file in the same format. "
                                                     "Empty: use the validation split."));
    m_validationPathRow = withBrowseButton(m_validationPath, QStringLiteral("dataValidationPathBrowse"), &browseValidation);
    m_form->addRow(tr("Validation file"), m_validationPathRow);

    m_validationSplit = new QDoubleSpinBox(this);
    m_validationSplit->setRange(0.0, 1.0);
    m_validationSplit->setDecimals(3);
    m_validationSplit->setSingleStep(0.05);
    named(m_validationSplit, "dataValidationSplit", tr("Fraction in [0, 1) held out from the end of the data for "
                                                       "validation (as Keras' validation_split)."));
    m_form->addRow(tr("Validation split"), m_validationSplit);

    auto* batchRow = new QWidget(this);
    auto* bh = new QHBoxLayout(batchRow);
    bh->setContentsMargins(0, 0, 0, 0);
    m_batchSize = new QSpinBox(batchRow);
    m_batchSize->setRange(1, 10000000);
    named(m_batchSize, "dataBatchSize", tr("Samples per training step."));
    m_fullBatch = new QCheckBox(tr("Full batch"), batchRow);
    named(m_fullBatch, "dataFullBatch", tr("One step per epoch over all training samples (batch_size 0)."));
    bh->addWidget(m_batchSize, 1);
    bh->addWidget(m_fullBatch);
    m_form->addRow(tr("Batch size"), batchRow);

    m_shuffle = new QCheckBox(tr("Shuffle every epoch"), this);
    named(m_shuffle, "dataShuffle", tr("Shuffle the training samples before every epoch (seeded)."));
    m_form->addRow(QString(), m_shuffle);
    m_standardize = new QCheckBox(tr("Standardise features"), this);
    named(m_standardize, "dataStandardize", tr("z-score every feature with the mean and standard deviation of the "
                                               "training part."));
    m_form->addRow(QString(), m_standardize);
    m_seed = new QLineEdit(this);
    m_seed->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,19}")), m_seed));
    named(m_seed, "dataSeed", tr("Seed of the run: generated data, shuffling, initial weights and dropout."));
    m_form->addRow(tr("Seed"), m_seed);

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
    m_classCounts = new QLabel(this);
    m_classCounts->setObjectName(QStringLiteral("dataClassCounts"));
    m_classCounts->setWordWrap(true);
    m_classCounts->setToolTip(tr("Samples per class in the whole data set."));
    layout->addWidget(m_classCounts);

    connect(m_source, &QComboBox::currentIndexChanged, this, [this] {
        updateRowVisibility();
        onEdited(QStringLiteral("data.source"));
    });
    connect(m_generator, &QComboBox::currentIndexChanged, this, [this] {
        updateRowVisibility();
        onEdited(QStringLiteral("data.generator"));
    });
    connect(m_samples, &QSpinBox::valueChanged, this, [this] { onEdited(QStringLiteral("data.samples")); });
    connect(m_genFeatures, &QSpinBox::valueChanged, this, [this] { onEdited(QStringLiteral("data.features")); });
    connect(m_classes, &QSpinBox::valueChanged, this, [this] { onEdited(QStringLiteral("data.classes")); });
    connect(m_noise, &QDoubleSpinBox::valueChanged, this, [this] { onEdited(QStringLiteral("data.noise")); });
    connect(m_path, &QLineEdit::textChanged, this, [this] { onEdited(QStringLiteral("data.path")); });
    connect(m_labelColumn, &QLineEdit::textChanged, this, [this] { onEdited(QStringLiteral("data.label_column")); });
    connect(m_xDataset, &QLineEdit::textChanged, this, [this] { onEdited(QStringLiteral("data.x_dataset")); });
    connect(m_yDataset, &QLineEdit::textChanged, this, [this] { onEdited(QStringLiteral("data.y_dataset")); });
    connect(m_validationPath, &QLineEdit::textChanged, this, [this] { onEdited(QStringLiteral("data.validation_path")); });
    connect(m_validationSplit, &QDoubleSpinBox::valueChanged, this,
            [this] { onEdited(QStringLiteral("data.validation_split")); });
    connect(m_batchSize, &QSpinBox::valueChanged, this, [this] { onEdited(QStringLiteral("data.batch_size")); });
    connect(m_fullBatch, &QCheckBox::toggled, this, [this](bool full) {
        m_batchSize->setEnabled(!full);
        onEdited(QStringLiteral("data.batch_size"));
    });
    connect(m_shuffle, &QCheckBox::toggled, this, [this] { onEdited(QStringLiteral("data.shuffle")); });
    connect(m_standardize, &QCheckBox::toggled, this, [this] { onEdited(QStringLiteral("data.standardize")); });
    connect(m_seed, &QLineEdit::textChanged, this, [this] { onEdited(QStringLiteral("training.seed")); });
    connect(browsePath, &QToolButton::clicked, this, [this] { browse(m_path); });
    connect(browseValidation, &QToolButton::clicked, this, [this] { browse(m_validationPath); });
}

void DataForm::setConfig(const DataConfig& c)
{
    m_loading = true;
    m_source->setCurrentIndex(std::max(0, static_cast<int>(kSources.indexOf(QString::fromStdString(c.source)))));
    m_generator->setCurrentIndex(std::max(0, static_cast<int>(kGenerators.indexOf(QString::fromStdString(c.generator)))));
    m_samples->setValue(c.samples);
    m_genFeatures->setValue(c.features);
    m_classes->setValue(c.classes);
    m_noise->setValue(c.noise);
    m_path->setText(QString::fromStdString(c.path));
    m_labelColumn->setText(QString::fromStdString(c.labelColumn));
    m_xDataset->setText(QString::fromStdString(c.xDataset));
    m_yDataset->setText(QString::fromStdString(c.yDataset));
    m_validationPath->setText(QString::fromStdString(c.validationPath));
    m_validationSplit->setValue(c.validationSplit);
    m_fullBatch->setChecked(c.batchSize == 0);
    m_batchSize->setEnabled(c.batchSize != 0);
    if (c.batchSize != 0)
        m_batchSize->setValue(c.batchSize);
    m_shuffle->setChecked(c.shuffle);
    m_standardize->setChecked(c.standardize);
    m_loading = false;
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
    c.labelColumn = m_labelColumn->text().toStdString();
    c.xDataset = m_xDataset->text().toStdString();
    c.yDataset = m_yDataset->text().toStdString();
    c.validationPath = m_validationPath->text().toStdString();
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
    const QString source = m_source->currentText();
    const QString gen = m_generator->currentText();
    const bool generator = source == QLatin1String("generator");
    const bool csv = source == QLatin1String("csv");
    const bool hdf5 = source == QLatin1String("hdf5");
    m_form->setRowVisible(m_generator, generator);
    m_form->setRowVisible(m_samples, generator);
    m_form->setRowVisible(m_genFeatures, generator && (gen == QLatin1String("uniform") || gen == QLatin1String("blobs")));
    m_form->setRowVisible(m_classes, generator && (gen == QLatin1String("uniform") || gen == QLatin1String("blobs") ||
                                                   gen == QLatin1String("spirals")));
    m_form->setRowVisible(m_noise, generator);
    m_form->setRowVisible(m_pathRow, csv || hdf5);
    m_form->setRowVisible(m_labelColumn, csv);
    m_form->setRowVisible(m_xDataset, hdf5);
    m_form->setRowVisible(m_yDataset, hdf5);
    m_form->setRowVisible(m_validationPathRow, csv || hdf5);
}

void DataForm::browse(QLineEdit* target)
{
    const bool hdf5 = m_source->currentText() == QLatin1String("hdf5");
    const QString filter = hdf5 ? tr("HDF5 files (*.h5 *.hdf5);;All files (*)") : tr("CSV files (*.csv *.txt);;All files (*)");
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
    m_previewWatcher->setFuture(QtConcurrent::run(&DataPreview::compute, config(), m_baseDir, seed(), 8));
}

void DataForm::showPreview(const DataPreview& preview)
{
    m_preview->clear();
    m_preview->setColumnCount(preview.header.size());
    m_preview->setHorizontalHeaderLabels(preview.header);
    m_preview->setRowCount(static_cast<int>(preview.rows.size()));
    for (int r = 0; r < static_cast<int>(preview.rows.size()); ++r)
        for (int c = 0; c < preview.rows[static_cast<size_t>(r)].size(); ++c)
            m_preview->setItem(r, c, new QTableWidgetItem(preview.rows[static_cast<size_t>(r)][c]));
    m_classCounts->setText(preview.error.isEmpty() ? preview.summary : preview.error);
    const QString source = m_source->currentText();
    const bool fileSource = source == QLatin1String("csv") || source == QLatin1String("hdf5");
    m_loadProblem = fileSource && !preview.cause.isEmpty() ? tr("data.path: %1").arg(preview.cause) : QString();
    refresh();
    setFeatures(preview.features);
    emit previewUpdated();
}
