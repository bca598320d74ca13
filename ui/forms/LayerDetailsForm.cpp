#include "ui/forms/LayerDetailsForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

#include "ui/forms/FieldProblems.h"
#include "ui/forms/FormRows.h"
#include "ui/forms/SciSpinBox.h"

namespace cklab::ui {

namespace {

using Kind = LayerSpec::Kind;

bool isConvOrPool(Kind k)
{
    return k == Kind::Conv2D || k == Kind::MaxPooling2D || k == Kind::AveragePooling2D;
}

bool isPool(Kind k)
{
    return k == Kind::MaxPooling2D || k == Kind::AveragePooling2D;
}

} // namespace

LayerDetailsForm::LayerDetailsForm(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("layerDetailsForm"));
    m_form = new QFormLayout(this);
    m_form->setContentsMargins(0, 0, 0, 0);
    const FormRows::Edited edited = [this](const QString& key) {
        if (!m_loading && m_row >= 0)
            emit this->edited(QStringLiteral("layers[%1].%2").arg(m_row).arg(key));
    };
    FormRows rows(m_form, edited);
    m_name = rows.text(tr("Layer name"), "layerName", "name",
                       tr("name: the layer's name in Keras files; empty = Keras' default (dense, conv2d_1, ...). "
                          "No '/', unique in the model."));
    m_name->setPlaceholderText(tr("default"));
    m_kernelRow = pair("layerKernelH", "layerKernelW", "kernel_size", 1, m_kernelH, m_kernelW,
                       tr("kernel_size: height and width of the convolution window."));
    rows.add(tr("Kernel size"), m_kernelRow);
    m_poolRow = pair("layerPoolH", "layerPoolW", "pool_size", 1, m_poolH, m_poolW,
                     tr("pool_size: height and width of the pooling window."));
    rows.add(tr("Pool size"), m_poolRow);
    m_strideRow = pair("layerStridesH", "layerStridesW", "strides", 0, m_strideH, m_strideW,
                       tr("strides: step of the window down and across. Default: 1 for Conv2D, the pool size for "
                          "pooling (Keras' strides=None)."));
    m_strideH->setSpecialValueText(tr("default"));
    m_strideW->setSpecialValueText(tr("default"));
    rows.add(tr("Strides"), m_strideRow);
    m_padding = rows.choice(tr("Padding"), "layerPadding", "padding", {QStringLiteral("valid"), QStringLiteral("same")},
                            tr("padding: valid = no padding (the output shrinks); same = zero padding so that the "
                               "output is input / strides, rounded up (extra row and column at the bottom/right)."));
    m_targetShape = rows.text(tr("Target shape"), "layerTargetShape", "target_shape",
                              tr("target_shape: the new per-sample shape, e.g. 7, 7, 16; one -1 is inferred."));
    m_targetShape->setPlaceholderText(QStringLiteral("7, 7, 16"));
    m_momentum = rows.decimal(tr("Momentum"), "layerMomentum", "momentum", 0.0, 1.0, 4, 0.01,
                              tr("momentum of the moving mean and variance (Keras default 0.99)."));
    m_epsilon = rows.scientific(tr("Epsilon"), "layerEpsilon", "epsilon",
                                tr("epsilon added to the variance (Keras default 0.001)."));
    m_center = rows.check(tr("Center (beta)"), "layerCenter", "center", tr("center: learn an offset beta."));
    m_scale = rows.check(tr("Scale (gamma)"), "layerScale", "scale", tr("scale: learn a factor gamma."));
    setLayer(-1, LayerSpec{});
}

QWidget* LayerDetailsForm::pair(const char* firstName, const char* secondName, const char* key, int min,
                                QSpinBox*& first, QSpinBox*& second, const QString& tip)
{
    auto* row = new QWidget;
    auto* h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    auto make = [&](const char* name) {
        auto* spin = new QSpinBox(row);
        spin->setObjectName(QLatin1String(name));
        spin->setRange(min, 4096);
        spin->setToolTip(tip);
        connect(spin, &QSpinBox::valueChanged, this, [this, key] {
            if (!m_loading && m_row >= 0)
                emit edited(QStringLiteral("layers[%1].%2").arg(m_row).arg(QLatin1String(key)));
        });
        return spin;
    };
    first = make(firstName);
    second = make(secondName);
    h->addWidget(first, 1);
    h->addWidget(new QLabel(QStringLiteral("×"), row));
    h->addWidget(second, 1);
    return row;
}

void LayerDetailsForm::setLayer(int row, const LayerSpec& layer)
{
    m_loading = true;
    m_row = row;
    m_kind = layer.kind;
    m_name->setText(QString::fromStdString(layer.name));
    m_kernelH->setValue(layer.kernelSize[0]);
    m_kernelW->setValue(layer.kernelSize[1]);
    m_poolH->setValue(layer.poolSize[0]);
    m_poolW->setValue(layer.poolSize[1]);
    m_strideH->setValue(layer.strides[0]);
    m_strideW->setValue(layer.strides[1]);
    m_padding->setCurrentIndex(layer.padding == Padding::Same ? 1 : 0);
    m_targetShape->setText(shapeText(layer.targetShape));
    m_momentum->setValue(layer.momentum);
    m_epsilon->setValue(layer.epsilon);
    m_center->setChecked(layer.center);
    m_scale->setChecked(layer.scale);
    m_loading = false;
    setEnabled(row >= 0);
    showRowsOf(layer.kind);
}

void LayerDetailsForm::showRowsOf(Kind kind)
{
    const bool any = m_row >= 0;
    m_form->setRowVisible(m_name, any);
    m_form->setRowVisible(m_kernelRow, any && kind == Kind::Conv2D);
    m_form->setRowVisible(m_poolRow, any && isPool(kind));
    m_form->setRowVisible(m_strideRow, any && isConvOrPool(kind));
    m_form->setRowVisible(m_padding, any && isConvOrPool(kind));
    m_form->setRowVisible(m_targetShape, any && kind == Kind::Reshape);
    const bool bn = any && kind == Kind::BatchNormalization;
    m_form->setRowVisible(m_momentum, bn);
    m_form->setRowVisible(m_epsilon, bn);
    m_form->setRowVisible(m_center, bn);
    m_form->setRowVisible(m_scale, bn);
}

bool LayerDetailsForm::hasKindSettings() const
{
    return m_row >= 0 && (isConvOrPool(m_kind) || m_kind == Kind::Reshape || m_kind == Kind::BatchNormalization);
}

LayerSpec LayerDetailsForm::applyTo(LayerSpec layer) const
{
    layer.name = m_name->text().toStdString();
    switch (layer.kind) {
    case Kind::Conv2D:
        layer.kernelSize = {m_kernelH->value(), m_kernelW->value()};
        [[fallthrough]];
    case Kind::MaxPooling2D:
    case Kind::AveragePooling2D:
        if (isPool(layer.kind))
            layer.poolSize = {m_poolH->value(), m_poolW->value()};
        layer.strides = {m_strideH->value(), m_strideW->value()};
        layer.padding = m_padding->currentIndex() == 1 ? Padding::Same : Padding::Valid;
        break;
    case Kind::Reshape: {
        std::vector<int> shape;
        // Text that is not a list of integers becomes a shape the core refuses with its message.
        layer.targetShape = parseShape(m_targetShape->text(), shape) ? shape : std::vector<int>{0};
        break;
    }
    case Kind::BatchNormalization:
        layer.momentum = static_cast<float>(m_momentum->value());
        layer.epsilon = static_cast<float>(m_epsilon->value());
        layer.center = m_center->isChecked();
        layer.scale = m_scale->isChecked();
        break;
    default:
        break;
    }
    return layer;
}

void LayerDetailsForm::markProblems(const std::vector<std::string>& problems)
{
    const std::pair<const char*, QWidget*> fields[] = {
        {"name", m_name},         {"kernel_size", m_kernelRow}, {"pool_size", m_poolRow},
        {"strides", m_strideRow}, {"padding", m_padding},       {"target_shape", m_targetShape},
        {"momentum", m_momentum}, {"epsilon", m_epsilon}};
    for (const auto& [field, widget] : fields) {
        QString problem;
        if (m_row >= 0) {
            const std::string prefix = "model.layers[" + std::to_string(m_row) + "]." + field + ":";
            for (const auto& p : problems)
                if (p.rfind(prefix, 0) == 0)
                    problem = readableProblem(QString::fromStdString(p));
        }
        markField(widget, problem);
    }
}

bool LayerDetailsForm::parseShape(const QString& text, std::vector<int>& shape)
{
    shape.clear();
    QString t = text.trimmed();
    if (t.startsWith(QLatin1Char('(')) || t.startsWith(QLatin1Char('[')))
        t = t.mid(1);
    if (t.endsWith(QLatin1Char(')')) || t.endsWith(QLatin1Char(']')))
        t.chop(1);
    if (t.trimmed().isEmpty())
        return false;
    for (const QString& part : t.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int v = part.trimmed().toInt(&ok);
        if (!ok)
            return false;
        shape.push_back(v);
    }
    return !shape.empty();
}

QString LayerDetailsForm::shapeText(const std::vector<int>& shape)
{
    QStringList parts;
    for (int d : shape)
        parts << QString::number(d);
    return parts.join(QStringLiteral(", "));
}

} // namespace cklab::ui
