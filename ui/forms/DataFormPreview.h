#pragma once
/// What the data form shows of a DataConfig: the first rows (or, for image data, the first
/// images with their class names) and the class counts, computed with the core's loaders (the
/// same code the run uses). Pure: DataForm runs it on a pool thread.
#include <QString>
#include <QStringList>
#include <cstdint>
#include <vector>

#include "core/data/DataConfig.h"

namespace cklab::ui {

struct DataFormPreview {
    QStringList header;                 ///< feature names, then "label" (tables only)
    std::vector<QStringList> rows;      ///< first rows, same columns as header (tables only)
    cklab::Matrix images;               ///< image data: the first images, one row each (channels last)
    std::vector<int> sampleShape;       ///< [H, W, C] for image data; empty for tables
    QStringList captions;               ///< image data: the class name of each image
    int features = 0;                   ///< 0 when the data could not be loaded
    long long samples = 0;
    QString summary;                    ///< "150 samples, 4 features · setosa: 50, ..."
    QString error;                      ///< why the data could not be loaded ("No preview: ...")
    QString cause;                      ///< the loader's own message, when it threw

    /// `baseDir`: folder that relative paths resolve against; `seed`: the run's seed (generators).
    /// Never throws.
    static DataFormPreview compute(const cklab::DataConfig& config, const QString& baseDir, std::uint64_t seed, int maxRows,
                               int maxImages = 32);
};

} // namespace cklab::ui
