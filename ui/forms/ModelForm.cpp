#include "ui/forms/ModelForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/forms/ErrorLabel.h"
#include "ui/forms/FieldProblems.h"
#include "ui/forms/StartFromFileField.h"

using cklab::LayerSpec;
using cklab::ModelSpec;

namespace {
enum Column { ColType, ColUnits, ColActivation, ColBias, ColRate, ColCount };

template <class W>
W* cell(const QTableWidget* table, int row, int col)
{
    return qobject_cast<W*>(table->cellWidget(row, col));
}
} // namespace

ModelForm::ModelForm(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("modelForm"));
    auto* layout = new QVBoxLayout(this);

    auto* form = new QFormLayout;
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("modelName"));
    m_name->setToolTip(tr("Name of the model, written into .keras model files (Keras: model.name)."));
    form->addRow(tr("Name"), m_name);
    m_inputLabel = new QLabel(this);
    m_inputLabel->setObjectName(QStringLiteral("inputSizeLabel"));
    m_inputLabel->setToolTip(tr("Features per sample, taken from the data (Data tab)."));
    form->addRow(tr("Input size"), m_inputLabel);
    form->addRow(tr("Start from file"), m_fromFile = new StartFromFileField(this));
    layout->addLayout(form);

    m_table = new QTableWidget(0, ColCount, this);
    m_table->setObjectName(QStringLiteral("layerTable"));
    m_table->setToolTip(tr("Layers in order from input to output. The last Dense layer is the output."));
    m_table->setHorizontalHeaderLabels({tr("Type"), tr("Units"), tr("Activation"), tr("Bias"), tr("Rate")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ColActivation, QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layout->addWidget(m_table, 1);

    auto* buttons = new QHBoxLayout;
    auto makeButton = [&](const char* name, const QString& text, const QString& tip, void (ModelForm::*slot)()) {
        auto* b = new QPushButton(text, this);
        b->setObjectName(QLatin1String(name));
        b->setToolTip(tip);
        connect(b, &QPushButton::clicked, this, slot);
        buttons->addWidget(b);
        return b;
    };
    m_add = makeButton("addLayerButton", tr("Add"), tr("Add a Dense layer after the selected one."), &ModelForm::addLayer);
    m_remove = makeButton("removeLayerButton", tr("Remove"), tr("Remove the selected layer."), &ModelForm::removeLayer);
    m_up = makeButton("moveLayerUpButton", tr("Up"), tr("Move the selected layer towards the input."), &ModelForm::moveLayerUp);
    m_down = makeButton("moveLayerDownButton", tr("Down"), tr("Move the selected layer towards the output."), &ModelForm::moveLayerDown);
    buttons->addStretch();
    layout->addLayout(buttons);

    m_paramLabel = new QLabel(this);
    m_paramLabel->setObjectName(QStringLiteral("parameterCountLabel"));
    m_paramLabel->setToolTip(tr("Trainable parameters: kernels and biases of every Dense layer."));
    layout->addWidget(m_paramLabel);

    m_errors = new ErrorLabel(this);
    m_errors->setObjectName(QStringLiteral("modelErrorsLabel"));
    layout->addWidget(m_errors);

    connect(m_name, &QLineEdit::textEdited, this, [this] { onRowEdited(QStringLiteral("model.name")); });
    connect(m_table, &QTableWidget::currentCellChanged, this, [this] { refresh(); });
    connect(m_fromFile, &StartFromFileField::edited, this, [this] { onRowEdited(QStringLiteral("model.from_file")); });

    ModelSpec initial;
    initial.layers = {LayerSpec{LayerSpec::Kind::Dense, 16, cklab::Activation::Relu, true, 0.0f, {}},
                      LayerSpec{LayerSpec::Kind::Dense, 2, cklab::Activation::Softmax, true, 0.0f, {}}};
    setConfig(initial);
}

void ModelForm::setConfig(const ModelSpec& spec)
{
    m_loading = true;
    m_specInputDim = spec.inputDim;
    m_name->setText(QString::fromStdString(spec.name));
    m_fromFile->setPath(QString::fromStdString(spec.fromFile));
    // The view deletes replaced cell widgets later; make the old ones unfindable and mute now.
    for (int row = 0; row < m_table->rowCount(); ++row)
        for (int col = 0; col < ColCount; ++col)
            if (QWidget* w = m_table->cellWidget(row, col)) {
                w->blockSignals(true);
                w->setObjectName(QString());
            }
    m_table->setRowCount(0);
    m_table->setRowCount(static_cast<int>(spec.layers.size()));
    for (int row = 0; row < static_cast<int>(spec.layers.size()); ++row)
        setRowWidgets(row, spec.layers[static_cast<size_t>(row)]);
    m_loading = false;
    refresh();
}

ModelSpec ModelForm::config() const
{
    ModelSpec spec;
    spec.inputDim = m_specInputDim;
    spec.name = m_name->text().toStdString();
    spec.fromFile = m_fromFile->path().toStdString();
    if (m_fromFile->architecture())
        return spec; // the file's layers (shown in the field), not the table's
    for (int row = 0; row < m_table->rowCount(); ++row)
        spec.layers.push_back(layerAt(row));
    return spec;
}

void ModelForm::setDataInputDim(int features)
{
    if (features == m_dataInputDim)
        return;
    m_dataInputDim = features;
    refresh();
}

int ModelForm::effectiveInputDim() const
{
    return m_specInputDim > 0 ? m_specInputDim : m_dataInputDim;
}

long long ModelForm::parameterCount() const
{
    ModelSpec spec = m_fromFile->architecture().value_or(config());
    if (!m_fromFile->architecture())
        spec.inputDim = effectiveInputDim();
    return spec.parameterCount();
}

QStringList ModelForm::problems() const
{
    return m_errors->problems();
}

void ModelForm::markRows(const std::vector<std::string>& problems)
{
    // The field a message names gets the mark: model.layers[1].units -> the units of row 2.
    const std::pair<const char*, const char*> fields[] = {{"units", "layerUnits"}, {"rate", "layerRate"},
                                                          {"activation", "layerActivation"}, {"type", "layerType"}};
    for (int row = 0; row < m_table->rowCount(); ++row)
        for (const auto& [field, name] : fields) {
            const std::string prefix = "model.layers[" + std::to_string(row) + "]." + field + ":";
            QString problem;
            for (const auto& p : problems)
                if (p.rfind(prefix, 0) == 0)
                    problem = cklab::readableProblem(QString::fromStdString(p));
            cklab::markField(findChild<QWidget*>(QLatin1String(name) + QStringLiteral("_%1").arg(row)), problem);
        }
}

void ModelForm::setRowWidgets(int row, const LayerSpec& layer)
{
    const QString suffix = QStringLiteral("_%1").arg(row);
    const bool dense = layer.kind == LayerSpec::Kind::Dense;

    auto* type = new QComboBox;
    type->setObjectName(QStringLiteral("layerType") + suffix);
    type->addItems({QStringLiteral("Dense"), QStringLiteral("Dropout")});
    type->setCurrentIndex(dense ? 0 : 1);
    type->setToolTip(tr("Dense: fully connected layer. Dropout: drops a fraction of its inputs while training."));

    auto* units = new QSpinBox;
    units->setObjectName(QStringLiteral("layerUnits") + suffix);
    units->setRange(0, 1000000);
    units->setValue(layer.units);
    units->setEnabled(dense);
    units->setToolTip(tr("Output width of the Dense layer (a positive integer)."));

    auto* activation = new QComboBox;
    activation->setObjectName(QStringLiteral("layerActivation") + suffix);
    for (const auto& name : cklab::activationNames())
        activation->addItem(QString::fromStdString(name));
    activation->setCurrentText(QString::fromUtf8(cklab::activationName(layer.activation).data(),
                                                 static_cast<int>(cklab::activationName(layer.activation).size())));
    activation->setEnabled(dense);
    activation->setToolTip(tr("Activation applied to the layer's output (Keras name)."));

    auto* bias = new QCheckBox;
    bias->setObjectName(QStringLiteral("layerBias") + suffix);
    bias->setChecked(layer.useBias);
    bias->setEnabled(dense);
    bias->setToolTip(tr("use_bias: add a trainable bias vector."));

    auto* rate = new QDoubleSpinBox;
    rate->setObjectName(QStringLiteral("layerRate") + suffix);
    rate->setRange(0.0, 1.0);
    rate->setDecimals(3);
    rate->setSingleStep(0.05);
    rate->setValue(layer.rate);
    rate->setEnabled(!dense);
    rate->setToolTip(tr("Dropout rate: fraction of inputs set to zero while training, in [0, 1)."));

    m_table->setCellWidget(row, ColType, type);
    m_table->setCellWidget(row, ColUnits, units);
    m_table->setCellWidget(row, ColActivation, activation);
    m_table->setCellWidget(row, ColBias, bias);
    m_table->setCellWidget(row, ColRate, rate);

    // The row of a widget can change when rows move, so look it up at signal time.
    auto rowOf = [this](QWidget* w) {
        for (int r = 0; r < m_table->rowCount(); ++r)
            for (int c = 0; c < ColCount; ++c)
                if (m_table->cellWidget(r, c) == w)
                    return r;
        return -1;
    };
    auto edited = [this, rowOf](QWidget* w, const char* field) {
        const int r = rowOf(w);
        if (r >= 0 && m_table->currentRow() != r)
            m_table->setCurrentCell(r, ColType);
        onRowEdited(QStringLiteral("layers[%1].%2").arg(r).arg(QLatin1String(field)));
    };
    connect(type, &QComboBox::currentIndexChanged, this, [this, type, units, activation, bias, rate, edited] {
        const bool isDense = type->currentIndex() == 0;
        units->setEnabled(isDense);
        activation->setEnabled(isDense);
        bias->setEnabled(isDense);
        rate->setEnabled(!isDense);
        edited(type, "type");
    });
    connect(units, &QSpinBox::valueChanged, this, [units, edited] { edited(units, "units"); });
    connect(activation, &QComboBox::currentIndexChanged, this, [activation, edited] { edited(activation, "activation"); });
    connect(bias, &QCheckBox::toggled, this, [bias, edited] { edited(bias, "use_bias"); });
    connect(rate, &QDoubleSpinBox::valueChanged, this, [rate, edited] { edited(rate, "rate"); });
}

LayerSpec ModelForm::layerAt(int row) const
{
    LayerSpec layer;
    layer.kind = cell<QComboBox>(m_table, row, ColType)->currentIndex() == 0 ? LayerSpec::Kind::Dense
                                                                            : LayerSpec::Kind::Dropout;
    layer.units = cell<QSpinBox>(m_table, row, ColUnits)->value();
    layer.activation = cklab::activationFromName(cell<QComboBox>(m_table, row, ColActivation)->currentText().toStdString())
                           .value_or(cklab::Activation::Linear);
    layer.useBias = cell<QCheckBox>(m_table, row, ColBias)->isChecked();
    layer.rate = static_cast<float>(cell<QDoubleSpinBox>(m_table, row, ColRate)->value());
    if (layer.kind == LayerSpec::Kind::Dropout) {
        // A Dropout layer has no units of its own; keep the struct canonical for the core.
        layer.units = 0;
        layer.activation = cklab::Activation::Linear;
    }
    return layer;
}

int ModelForm::currentRow() const
{
    return m_table->currentRow();
}

void ModelForm::addLayer()
{
    ModelSpec spec = config();
    const int at = currentRow() >= 0 ? currentRow() + 1 : static_cast<int>(spec.layers.size());
    spec.layers.insert(spec.layers.begin() + at,
                       LayerSpec{LayerSpec::Kind::Dense, 16, cklab::Activation::Relu, true, 0.0f, {}});
    setConfig(spec);
    m_table->setCurrentCell(at, ColType);
    emit edited(QStringLiteral("layers"));
}

void ModelForm::removeLayer()
{
    ModelSpec spec = config();
    const int row = currentRow();
    if (row < 0 || row >= static_cast<int>(spec.layers.size()))
        return;
    spec.layers.erase(spec.layers.begin() + row);
    setConfig(spec);
    if (!spec.layers.empty())
        m_table->setCurrentCell(std::min(row, static_cast<int>(spec.layers.size()) - 1), ColType);
    emit edited(QStringLiteral("layers"));
}

void ModelForm::moveLayerUp()
{
    ModelSpec spec = config();
    const int row = currentRow();
    if (row <= 0 || row >= static_cast<int>(spec.layers.size()))
        return;
    std::swap(spec.layers[static_cast<size_t>(row)], spec.layers[static_cast<size_t>(row - 1)]);
    setConfig(spec);
    m_table->setCurrentCell(row - 1, ColType);
    emit edited(QStringLiteral("layers"));
}

void ModelForm::moveLayerDown()
{
    ModelSpec spec = config();
    const int row = currentRow();
    if (row < 0 || row + 1 >= static_cast<int>(spec.layers.size()))
        return;
    std::swap(spec.layers[static_cast<size_t>(row)], spec.layers[static_cast<size_t>(row + 1)]);
    setConfig(spec);
    m_table->setCurrentCell(row + 1, ColType);
    emit edited(QStringLiteral("layers"));
}

void ModelForm::onRowEdited(const QString& field)
{
    if (m_loading)
        return;
    refresh();
    emit edited(field);
}

void ModelForm::refresh()
{
    if (m_loading)
        return;
    const int inputDim = effectiveInputDim();
    m_inputLabel->setText(inputDim > 0 ? QString::number(inputDim) : tr("unknown (load the data)"));

    ModelSpec spec = config();
    // An unknown input size is the data form's problem, not the model's: validate with a stand-in.
    spec.inputDim = inputDim > 0 ? inputDim : 1;
    auto problems = spec.validate();
    if (!m_fromFile->problem().isEmpty())
        problems.push_back(m_fromFile->problem().toStdString());
    m_errors->setProblems(problems);
    markRows(problems);
    const ModelSpec counted = m_fromFile->architecture().value_or(spec);
    m_paramLabel->setText(tr("Parameters: %1").arg(QLocale().toString(counted.parameterCount())));
    const bool ownLayers = !m_fromFile->architecture();
    m_table->setEnabled(ownLayers);
    m_add->setEnabled(ownLayers);

    const int row = currentRow();
    m_remove->setEnabled(ownLayers && row >= 0);
    m_up->setEnabled(ownLayers && row > 0);
    m_down->setEnabled(ownLayers && row >= 0 && row + 1 < m_table->rowCount());

    const bool valid = problems.empty();
    if (valid != m_valid) {
        m_valid = valid;
        emit validityChanged(valid);
    }
}
