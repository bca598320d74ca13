// The thumbnail grid of the data preview and the Evaluate dialog: each sample's channels-last
// pixels become the right image (grey and RGB, [0, 1] and 0..255), captions stay with their
// images, samples that are not images say so, and the grid re-flows when the widget is resized.
#include <QLabel>
#include <QtTest>

#include "ui/widgets/ImageGrid.h"

using cklab::ui::ImageGrid;
using cklab::Matrix;

class TestImageGrid : public QObject {
    Q_OBJECT
private slots:
    void greyPixelsKeepTheirPlace();
    void rgbIsChannelsLast();
    void rawBytesAreNotScaledTwice();
    void captionsFollowTheirImages();
    void samplesThatAreNotImagesSaySo();
    void gridReflowsOnResize();
    void aNewSetReplacesTheOldOne();
};

void TestImageGrid::greyPixelsKeepTheirPlace()
{
    // 2 x 3 image, row-major: value at (y, x) = (y * 3 + x) / 5.
    Matrix pixels(1, 6);
    for (int i = 0; i < 6; ++i)
        pixels(0, i) = static_cast<float>(i) / 5.0f;
    const QImage image = ImageGrid::toImage(pixels.row(0).data(), 6, {2, 3, 1});
    QCOMPARE(image.width(), 3);
    QCOMPARE(image.height(), 2);
    QCOMPARE(image.format(), QImage::Format_Grayscale8);
    QCOMPARE(qGray(image.pixel(0, 0)), 0);
    QCOMPARE(qGray(image.pixel(2, 0)), 102);  // 2/5 * 255
    QCOMPARE(qGray(image.pixel(0, 1)), 153);  // 3/5
    QCOMPARE(qGray(image.pixel(2, 1)), 255);  // 5/5
    // [H, W] without a channel axis is the same image.
    QCOMPARE(ImageGrid::toImage(pixels.row(0).data(), 6, {2, 3}), image);
}

void TestImageGrid::rgbIsChannelsLast()
{
    // 1 x 2 RGB: pixel 0 pure red, pixel 1 pure blue, stored r, g, b per pixel.
    Matrix pixels(1, 6);
    pixels << 1, 0, 0, 0, 0, 1;
    const QImage image = ImageGrid::toImage(pixels.row(0).data(), 6, {1, 2, 3});
    QCOMPARE(image.size(), QSize(2, 1));
    QCOMPARE(image.pixel(0, 0), qRgb(255, 0, 0));
    QCOMPARE(image.pixel(1, 0), qRgb(0, 0, 255));
}

void TestImageGrid::rawBytesAreNotScaledTwice()
{
    Matrix pixels(1, 4);
    pixels << 0, 17, 128, 255;
    const QImage image = ImageGrid::toImage(pixels.row(0).data(), 4, {2, 2, 1});
    QCOMPARE(qGray(image.pixel(1, 0)), 17);
    QCOMPARE(qGray(image.pixel(0, 1)), 128);
    QCOMPARE(qGray(image.pixel(1, 1)), 255);
}

void TestImageGrid::captionsFollowTheirImages()
{
    ImageGrid grid;
    grid.resize(400, 300);
    Matrix pixels = Matrix::Zero(3, 4);
    pixels(1, 0) = 1.0f; // only image 1 has a white top-left pixel
    grid.setImages(pixels, {2, 2, 1}, {"T-shirt/top", "Trouser", "Ankle boot"});
    QCOMPARE(grid.imageCount(), 3);
    QCOMPARE(grid.caption(1), QString("Trouser"));
    QCOMPARE(qGray(grid.image(1).pixel(0, 0)), 255);
    QCOMPARE(qGray(grid.image(0).pixel(0, 0)), 0);
    auto* picture = grid.findChild<QLabel*>("imageGridImage2");
    QVERIFY(picture);
    QCOMPARE(picture->toolTip(), QString("Ankle boot"));
    QCOMPARE(picture->pixmap().width(), grid.thumbnailSize());
    QVERIFY(grid.message().isEmpty());
}

void TestImageGrid::samplesThatAreNotImagesSaySo()
{
    ImageGrid grid;
    grid.setImages(Matrix::Zero(2, 5), {2, 2, 1}, {});
    QCOMPARE(grid.imageCount(), 0);
    QVERIFY2(grid.message().contains("5 values per sample"), qPrintable(grid.message()));
    QVERIFY(grid.message().contains("[2, 2, 1]"));
    // Four channels are not a picture we draw.
    grid.setImages(Matrix::Zero(1, 16), {2, 2, 4}, {});
    QCOMPARE(grid.imageCount(), 0);
    QVERIFY(!grid.message().isEmpty());
}

void TestImageGrid::gridReflowsOnResize()
{
    ImageGrid grid;
    grid.setThumbnailSize(40);
    grid.resize(200, 400);
    grid.show();
    QVERIFY(QTest::qWaitForWindowExposed(&grid));
    grid.setImages(Matrix::Zero(12, 4), {2, 2, 1}, {});
    auto columnOf = [&](int i) {
        auto* picture = grid.findChild<QLabel*>(QString("imageGridImage%1").arg(i));
        return picture ? picture->parentWidget()->x() : -1;
    };
    auto rowsUsed = [&] {
        QSet<int> ys;
        for (int i = 0; i < grid.imageCount(); ++i)
            ys << grid.findChild<QLabel*>(QString("imageGridImage%1").arg(i))->parentWidget()->y();
        return ys.size();
    };
    QTRY_VERIFY(columnOf(1) > columnOf(0));
    const int narrowRows = rowsUsed();
    grid.resize(700, 400);
    QTRY_VERIFY(rowsUsed() < narrowRows);
    QCOMPARE(rowsUsed(), 1); // 12 x (40 + 6) fits into 700 px
}

void TestImageGrid::aNewSetReplacesTheOldOne()
{
    ImageGrid grid;
    grid.setImages(Matrix::Zero(5, 4), {2, 2, 1}, {"a", "b", "c", "d", "e"});
    grid.setImages(Matrix::Zero(2, 9), {3, 3, 1}, {"x", "y"});
    QCOMPARE(grid.imageCount(), 2);
    QCOMPARE(grid.image(0).size(), QSize(3, 3));
    QVERIFY(!grid.findChild<QLabel*>("imageGridImage2"));
    grid.setMaxImages(1);
    grid.setImages(Matrix::Zero(2, 9), {3, 3, 1}, {"x", "y"});
    QCOMPARE(grid.imageCount(), 1);
    grid.clear();
    QCOMPARE(grid.imageCount(), 0);
}

QTEST_MAIN(TestImageGrid)
#include "TestImageGrid.moc"

using namespace cklab::ui;
