#pragma once
/// A grid of small images with a caption under each: the data preview's thumbnails and the
/// Evaluate dialog's misclassified examples. Pixels come as the rows of a core Matrix in
/// channels-last order ([n, H * W * C], C = 1 grey or 3 RGB; see core/data/Dataset.h).
/// Values in [0, 1] are shown as they are; anything above 1 is taken as 0..255.
#include <QImage>
#include <QScrollArea>
#include <QStringList>
#include <vector>

#include "core/nn/Tensor.h"

class QGridLayout;
class QLabel;

namespace cklab::ui {

class ImageGrid : public QScrollArea {
    Q_OBJECT
public:
    explicit ImageGrid(QWidget* parent = nullptr);

    /// Shows row i of `pixels` as an image of `shape` ([H, W, C] or [H, W]) with captions[i]
    /// under it (missing captions are empty). An unusable shape or size shows `message()`
    /// instead of images. At most `maxImages()` rows are shown.
    void setImages(const Matrix& pixels, const std::vector<int>& shape, const QStringList& captions);
    void clear();

    int imageCount() const { return static_cast<int>(m_images.size()); }
    /// The i-th image at its natural size (for tests and tooltips).
    QImage image(int i) const { return m_images.at(static_cast<std::size_t>(i)); }
    QString caption(int i) const { return m_captions.value(i); }
    QString message() const;

    void setThumbnailSize(int pixels);
    int thumbnailSize() const { return m_thumbnail; }
    void setMaxImages(int count) { m_maxImages = count; }
    int maxImages() const { return m_maxImages; }

    /// One row of pixels as a QImage (8-bit grey or RGB); null when the shape does not fit.
    static QImage toImage(const float* pixels, long long size, const std::vector<int>& shape);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuild();
    int columnsThatFit() const;

    std::vector<QImage> m_images;
    QStringList m_captions;
    QWidget* m_content = nullptr;
    QGridLayout* m_layout = nullptr;
    QLabel* m_message = nullptr;
    int m_thumbnail = 56;
    int m_maxImages = 64;
    int m_columns = 0;
};

} // namespace cklab::ui
