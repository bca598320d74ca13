#include "ui/forms/LayerCells.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QSpinBox>

namespace cklab::ui {

namespace {
using Kind = LayerSpec::Kind;

QString fromView(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<int>(s.size())); }

bool always(Kind) { return true; }
bool hasUnits(Kind k) { return k == Kind::Dense || k == Kind::Conv2D; }
bool isDropout(Kind k) { return k == Kind::Dropout; }

QStringList kindNames()
{
    QStringList names;
    for (Kind kind : layerKinds())
        names << fromView(layerClassName(kind));
    return names;
}

QStringList activationItems()
{
    QStringList names;
    for (const auto& name : activationNames())
        names << QString::fromStdString(name);
    return names;
}

int& unitsOf(LayerSpec& l) { return l.kind == Kind::Conv2D ? l.filters : l.units; }
} // namespace

const std::vector<Kind>& layerKinds()
{
    // Dense and Dropout first, as before the image layers.
    static const std::vector<Kind> kinds = {Kind::Dense,   Kind::Dropout, Kind::Conv2D,
                                            Kind::MaxPooling2D, Kind::AveragePooling2D,
                                            Kind::GlobalAveragePooling2D, Kind::Flatten, Kind::Reshape,
                                            Kind::BatchNormalization};
    return kinds;
}

const std::vector<LayerColumn>& layerColumns()
{
    // clang-format off
    static const std::vector<LayerColumn> columns = {
        {.header = QT_TRANSLATE_NOOP("ModelForm", "Type"), .name = "layerType", .key = "type", .conv2dKey = nullptr,
         .editor = CellEditor::Choice, .applies = always,
         .get = [](const LayerSpec& l) { return QVariant(fromView(layerClassName(l.kind))); }, .set = nullptr,
         .tip = QT_TRANSLATE_NOOP("ModelForm", "Dense: fully connected. Dropout: drops a fraction of its inputs while training. Conv2D: "
                        "2-D convolution over an image. MaxPooling2D / AveragePooling2D: the largest / mean value of "
                        "each window. GlobalAveragePooling2D: the mean of each channel. Flatten: an image as one row. "
                        "Reshape: a new per-sample shape. BatchNormalization: normalises with batch statistics in "
                        "training, moving statistics otherwise."),
         .items = kindNames},
        {.header = QT_TRANSLATE_NOOP("ModelForm", "Units"), .name = "layerUnits", .key = "units", .conv2dKey = "filters",
         .editor = CellEditor::Integer, .applies = hasUnits,
         .get = [](const LayerSpec& l) { return QVariant(l.kind == Kind::Conv2D ? l.filters : l.units); },
         .set = [](LayerSpec& l, const QVariant& v) { unitsOf(l) = v.toInt(); },
         .tip = QT_TRANSLATE_NOOP("ModelForm", "Dense: units, the output width. Conv2D: filters, the output channels (a positive integer)."),
         .headerTip = QT_TRANSLATE_NOOP("ModelForm", "Dense: units (output width). Conv2D: filters."),
         .min = 0, .max = 1000000},
        {.header = QT_TRANSLATE_NOOP("ModelForm", "Activation"), .name = "layerActivation", .key = "activation",
         .conv2dKey = nullptr, .editor = CellEditor::Choice, .applies = hasUnits,
         .get = [](const LayerSpec& l) { return QVariant(fromView(activationName(l.activation))); },
         .set = [](LayerSpec& l, const QVariant& v) {
             l.activation = activationFromName(v.toString().toStdString()).value_or(Activation::Linear); },
         .tip = QT_TRANSLATE_NOOP("ModelForm", "Activation applied to the layer's output (Keras name)."),
         .stretch = true, .items = activationItems},
        {.header = QT_TRANSLATE_NOOP("ModelForm", "Bias"), .name = "layerBias", .key = "use_bias", .conv2dKey = nullptr,
         .editor = CellEditor::Check, .applies = hasUnits,
         .get = [](const LayerSpec& l) { return QVariant(l.useBias); },
         .set = [](LayerSpec& l, const QVariant& v) { l.useBias = v.toBool(); },
         .tip = QT_TRANSLATE_NOOP("ModelForm", "use_bias: add a trainable bias vector.")},
        {.header = QT_TRANSLATE_NOOP("ModelForm", "Rate"), .name = "layerRate", .key = "rate", .conv2dKey = nullptr,
         .editor = CellEditor::Decimal, .applies = isDropout,
         .get = [](const LayerSpec& l) { return QVariant(static_cast<double>(l.rate)); },
         .set = [](LayerSpec& l, const QVariant& v) { l.rate = static_cast<float>(v.toDouble()); },
         .tip = QT_TRANSLATE_NOOP("ModelForm", "Dropout rate: fraction of inputs set to zero while training, in [0, 1)."),
         .min = 0.0, .max = 1.0, .step = 0.05, .decimals = 3},
    };
    // clang-format on
    return columns;
}

QWidget* makeLayerCell(const LayerColumn& column, int row, const LayerSpec& layer)
{
    QWidget* cell = nullptr;
    switch (column.editor) {
    case CellEditor::Choice: {
        auto* combo = new QComboBox;
        combo->addItems(column.items());
        cell = combo;
        break;
    }
    case CellEditor::Integer: {
        auto* spin = new QSpinBox;
        spin->setRange(static_cast<int>(column.min), static_cast<int>(column.max));
        cell = spin;
        break;
    }
    case CellEditor::Decimal: {
        auto* spin = new QDoubleSpinBox;
        spin->setRange(column.min, column.max);
        spin->setDecimals(column.decimals);
        spin->setSingleStep(column.step);
        cell = spin;
        break;
    }
    case CellEditor::Check: cell = new QCheckBox; break;
    }
    cell->setObjectName(QLatin1String(column.name) + QStringLiteral("_%1").arg(row));
    cell->setToolTip(QCoreApplication::translate("ModelForm", column.tip));
    showLayerValue(column, cell, layer);
    return cell;
}

void showLayerValue(const LayerColumn& column, QWidget* cell, const LayerSpec& layer)
{
    const QVariant value = column.get(layer);
    switch (column.editor) {
    case CellEditor::Choice: static_cast<QComboBox*>(cell)->setCurrentText(value.toString()); break;
    case CellEditor::Integer: static_cast<QSpinBox*>(cell)->setValue(value.toInt()); break;
    case CellEditor::Decimal: static_cast<QDoubleSpinBox*>(cell)->setValue(value.toDouble()); break;
    case CellEditor::Check: static_cast<QCheckBox*>(cell)->setChecked(value.toBool()); break;
    }
}

QVariant cellValue(const LayerColumn& column, const QWidget* cell)
{
    switch (column.editor) {
    case CellEditor::Choice: return static_cast<const QComboBox*>(cell)->currentText();
    case CellEditor::Integer: return static_cast<const QSpinBox*>(cell)->value();
    case CellEditor::Decimal: return static_cast<const QDoubleSpinBox*>(cell)->value();
    case CellEditor::Check: return static_cast<const QCheckBox*>(cell)->isChecked();
    }
    return {};
}

void connectLayerCell(const LayerColumn& column, QWidget* cell, QObject* context, const std::function<void()>& onEdit)
{
    switch (column.editor) {
    case CellEditor::Choice:
        QObject::connect(static_cast<QComboBox*>(cell), &QComboBox::currentIndexChanged, context, onEdit);
        break;
    case CellEditor::Integer:
        QObject::connect(static_cast<QSpinBox*>(cell), &QSpinBox::valueChanged, context, onEdit);
        break;
    case CellEditor::Decimal:
        QObject::connect(static_cast<QDoubleSpinBox*>(cell), &QDoubleSpinBox::valueChanged, context, onEdit);
        break;
    case CellEditor::Check: QObject::connect(static_cast<QCheckBox*>(cell), &QCheckBox::toggled, context, onEdit); break;
    }
}

const char* layerKey(const LayerColumn& column, Kind kind)
{
    return kind == Kind::Conv2D && column.conv2dKey ? column.conv2dKey : column.key;
}

} // namespace cklab::ui
