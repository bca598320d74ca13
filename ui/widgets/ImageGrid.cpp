#include "ui/widgets/ImageGrid.h"

#include <QGridLayout>
#include <QLabel>
#include <QPixmap>
#include <QResizeEvent>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace cklab::ui {

namespace {

constexpr int kSpacing = 6;

// Either the row is in [0, 1] (scaled data) or raw bytes: one rule for both, per image.
unsigned char toByte(float v, float scale)
{
    if (!std::isfinite(v))
        return 0;
    return static_cast<unsigned char>(std::clamp(std::lround(v * scale), 0L, 255L));
}

} // namespace

ImageGrid::ImageGrid(QWidget* parent)
    : QScrollArea(parent)
{
    setObjectName("imageGrid");
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    m_content = new QWidget;
    auto* outer = new QVBoxLayout(m_content);
    outer->setContentsMargins(0, 0, 0, 0);
    m_message = new QLabel;
    m_message->setObjectName("imageGridMessage");
    m_message->setWordWrap(true);
    m_message->hide();
    outer->addWidget(m_message);
    m_layout = new QGridLayout;
    m_layout->setSpacing(kSpacing);
    m_layout->setContentsMargins(0, 0, 0, 0);
    outer->addLayout(m_layout);
    outer->addStretch(1);
    setWidget(m_content);
}

QImage ImageGrid::toImage(const float* pixels, long long size, const std::vector<int>& shape)
{
    if (shape.size() != 2 && shape.size() != 3)
        return {};
    const int h = shape[0], w = shape[1];
    const int c = shape.size() == 3 ? shape[2] : 1;
    if (h <= 0 || w <= 0 || (c != 1 && c != 3) || static_cast<long long>(h) * w * c != size)
        return {};
    float peak = 0.0f;
    for (long long i = 0; i < size; ++i)
        if (std::isfinite(pixels[i]))
            peak = std::max(peak, pixels[i]);
    const float scale = peak > 1.0f ? 1.0f : 255.0f;
    QImage image(w, h, c == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
    for (int y = 0; y < h; ++y) {
        uchar* line = image.scanLine(y);
        const float* src = pixels + static_cast<long long>(y) * w * c;
        for (int x = 0; x < w * c; ++x)
            line[x] = toByte(src[x], scale);
    }
    return image;
}

void ImageGrid::setImages(const Matrix& pixels, const std::vector<int>& shape, const QStringList& captions)
{
    m_images.clear();
    m_captions.clear();
    const long long rows = std::min<long long>(pixels.rows(), m_maxImages);
    for (long long r = 0; r < rows; ++r) {
        QImage image = toImage(pixels.row(r).data(), pixels.cols(), shape);
        if (image.isNull()) {
            m_images.clear();
            QStringList dims;
            for (int d : shape)
                dims << QString::number(d);
            m_message->setText(tr("These samples are not images: %1 values per sample, shape [%2]. "
                                  "Images have the shape [height, width] or [height, width, 1 or 3].")
                                   .arg(pixels.cols())
                                   .arg(dims.join(", ")));
            m_message->show();
            rebuild();
            return;
        }
        m_images.push_back(std::move(image));
        m_captions << captions.value(static_cast<int>(r));
    }
    m_message->hide();
    rebuild();
}

void ImageGrid::clear()
{
    m_images.clear();
    m_captions.clear();
    m_message->hide();
    rebuild();
}

QString ImageGrid::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void ImageGrid::setThumbnailSize(int pixels)
{
    m_thumbnail = std::max(16, pixels);
    rebuild();
}

int ImageGrid::columnsThatFit() const
{
    const int width = viewport()->width();
    return std::max(1, (width + kSpacing) / (m_thumbnail + kSpacing));
}

void ImageGrid::resizeEvent(QResizeEvent* event)
{
    QScrollArea::resizeEvent(event);
    if (columnsThatFit() != m_columns)
        rebuild();
}

void ImageGrid::rebuild()
{
    while (QLayoutItem* item = m_layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_layout->setColumnStretch(m_columns, 0);
    m_columns = columnsThatFit();
    for (int i = 0; i < imageCount(); ++i) {
        auto* cell = new QWidget;
        auto* box = new QVBoxLayout(cell);
        box->setContentsMargins(0, 0, 0, 0);
        box->setSpacing(1);
        auto* picture = new QLabel;
        picture->setObjectName(QString("imageGridImage%1").arg(i));
        // Nearest-neighbour scaling: 28-pixel images stay crisp instead of blurred.
        picture->setPixmap(QPixmap::fromImage(m_images[static_cast<std::size_t>(i)].scaled(
            m_thumbnail, m_thumbnail, Qt::KeepAspectRatio, Qt::FastTransformation)));
        picture->setAlignment(Qt::AlignCenter);
        picture->setToolTip(m_captions.value(i));
        auto* text = new QLabel(m_captions.value(i));
        text->setObjectName(QString("imageGridCaption%1").arg(i));
        text->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
        text->setFixedWidth(m_thumbnail);
        QFont small = text->font();
        small.setPointSizeF(small.pointSizeF() * 0.85);
        text->setFont(small);
        text->setToolTip(m_captions.value(i));
        // Long class names ("Ankle boot") elide instead of widening the cell.
        text->setText(text->fontMetrics().elidedText(m_captions.value(i), Qt::ElideRight, m_thumbnail));
        box->addWidget(picture);
        box->addWidget(text);
        m_layout->addWidget(cell, i / m_columns, i % m_columns, Qt::AlignLeft | Qt::AlignTop);
    }
    m_layout->setColumnStretch(m_columns, 1);
}

} // namespace cklab::ui
