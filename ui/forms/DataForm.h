#pragma once
/// Editor of the data source (generator, CSV, HDF5, IDX, NumPy, shipped Iris, Fashion-MNIST),
/// split, batching and seed, with a preview: the first rows as a table, or for image data a grid
/// of the first images with their class names, and the class counts. The preview loads the data
/// on a pool thread (a large file must not freeze the window); only the latest request's result
/// is shown. Every problem the core finds is listed and marks the field it names.
#include <QFutureWatcher>
#include <QWidget>
#include <cstdint>
#include <vector>

#include "core/data/DataConfig.h"
#include "ui/forms/DataFormPreview.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QFormLayout;
class QTableWidget;
class QTimer;

namespace cklab::ui {

class ErrorLabel;
class ImageGrid;

class DataForm : public QWidget {
    Q_OBJECT
public:
    explicit DataForm(QWidget* parent = nullptr);

    /// A source or generator the form does not offer is kept as it is (shown as an extra entry,
    /// and reported invalid), never replaced by another one.
    void setConfig(const cklab::DataConfig& config);
    cklab::DataConfig config() const;
    /// The run's seed (training.seed in the project): data order, initial weights, dropout.
    void setSeed(std::uint64_t seed);
    std::uint64_t seed() const;
    /// Folder relative data paths resolve against (the project file's folder).
    void setBaseDir(const QString& dir);

    bool isValid() const { return m_valid; }
    QStringList problems() const;
    /// Features per sample of the previewed data; 0 when unknown.
    int featureCount() const { return m_features; }
    /// Shape of one previewed sample ([H, W, C] for images, empty for tables or when unknown).
    const std::vector<int>& sampleShape() const { return m_sampleShape; }
    /// True when the run will have validation data (split > 0, a validation file, Fashion-MNIST's
    /// test set, a .npz archive's validation arrays).
    bool hasValidation() const;

public slots:
    /// Checks again what can change behind the form's back (the data files on disk).
    void recheck();
    /// Starts recomputing the preview now (normally debounced after edits); previewUpdated()
    /// follows when the data has been read.
    void updatePreview();

signals:
    void edited(const QString& field);
    void validityChanged(bool valid);
    /// The previewed data has `features` columns (0 = could not be loaded).
    void featureCountChanged(int features);
    /// Whether the run will log val_* keys changed.
    void validationChanged(bool hasValidation);
    /// The preview (table or images) and class counts show the current configuration's data.
    void previewUpdated();

private:
    void build();
    QWidget* fileRow(QLineEdit** edit, const char* name, const char* key, const QString& tip, const QString& placeholder);
    void browse(QLineEdit* target);
    void updateRowVisibility();
    void onEdited(const QString& field);
    void refresh();
    void markFields(const std::vector<std::string>& problems);
    void setFeatures(int features);
    void showPreview(const DataFormPreview& preview);

    QComboBox* m_source = nullptr;
    QFormLayout* m_form = nullptr;
    QLabel* m_sourceNote = nullptr;
    QComboBox* m_generator = nullptr;
    QSpinBox* m_samples = nullptr;
    QSpinBox* m_genFeatures = nullptr;
    QSpinBox* m_classes = nullptr;
    QDoubleSpinBox* m_noise = nullptr;
    QLineEdit* m_path = nullptr;
    QWidget* m_pathRow = nullptr;
    QLineEdit* m_labelsPath = nullptr;
    QWidget* m_labelsPathRow = nullptr;
    QLineEdit* m_labelColumn = nullptr;
    QLineEdit* m_xDataset = nullptr;
    QLineEdit* m_yDataset = nullptr;
    QLineEdit* m_xKey = nullptr;
    QLineEdit* m_yKey = nullptr;
    QLineEdit* m_validationXKey = nullptr;
    QLineEdit* m_validationYKey = nullptr;
    QLineEdit* m_validationPath = nullptr;
    QWidget* m_validationPathRow = nullptr;
    QLineEdit* m_validationLabelsPath = nullptr;
    QWidget* m_validationLabelsPathRow = nullptr;
    QSpinBox* m_limit = nullptr;
    QCheckBox* m_scale = nullptr;
    QDoubleSpinBox* m_validationSplit = nullptr;
    QSpinBox* m_batchSize = nullptr;
    QCheckBox* m_fullBatch = nullptr;
    QCheckBox* m_shuffle = nullptr;
    QCheckBox* m_standardize = nullptr;
    QLineEdit* m_seed = nullptr;
    QTableWidget* m_preview = nullptr;
    ImageGrid* m_images = nullptr;
    QLabel* m_classCounts = nullptr;
    ErrorLabel* m_errors = nullptr;
    QTimer* m_previewTimer = nullptr;
    QFutureWatcher<DataFormPreview>* m_previewWatcher = nullptr;
    QString m_baseDir;
    QString m_loadProblem;   ///< what the loader said of the current files (from the preview)
    std::vector<int> m_sampleShape;
    int m_features = 0;
    bool m_valid = true;
    bool m_hasValidation = false;
    bool m_loading = false;
};

} // namespace cklab::ui
