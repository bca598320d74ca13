#include "ui/forms/ModelForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "core/nn/ModelInput.h"
#include "ui/forms/ErrorLabel.h"
#include "ui/forms/FieldProblems.h"
#include "ui/forms/LayerCells.h"
#include "ui/forms/LayerDetailsForm.h"
#include "ui/forms/ModelSummaryView.h"
#include "ui/forms/StartFromFileField.h"

namespace cklab::ui {

using cklab::LayerSpec;
using cklab::ModelSpec;
using Kind = cklab::LayerSpec::Kind;

namespace {
const std::vector<LayerColumn>& columns() { return layerColumns(); }
int columnCount() { return static_cast<int>(columns().size()); }
constexpr int ColType = kTypeColumn;

/// What a layer of `kind` starts as when the user picks it (Keras' defaults, the usual sizes).
LayerSpec defaultLayer(Kind kind)
{
    LayerSpec layer;
    layer.kind = kind;
    switch (kind) {
    case Kind::Dense: layer.units = 16; layer.activation = cklab::Activation::Relu; break;
    case Kind::Dropout: layer.rate = 0.5f; break;
    case Kind::Conv2D: layer.filters = 32; layer.activation = cklab::Activation::Relu; break;
    default: break;
    }
    return layer;
}

QString describeShape(const std::vector<int>& shape)
{
    QStringList parts;
    for (int d : shape)
        parts << QString::number(d);
    return parts.join(QStringLiteral(" × "));
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
    m_inputLabel->setToolTip(tr("What one sample is: its features, or its image shape (height × width × channels), "
                                "taken from the data (Data tab) unless the project sets model.input_shape."));
    form->addRow(tr("Input"), m_inputLabel);
    form->addRow(tr("Start from file"), m_fromFile = new StartFromFileField(this));
    layout->addLayout(form);

    m_table = new QTableWidget(0, columnCount(), this);
    m_table->setObjectName(QStringLiteral("layerTable"));
    m_table->setToolTip(tr("Layers in order from input to output. The last layer is the output."));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    for (int col = 0; col < columnCount(); ++col) {
        const LayerColumn& column = columns()[static_cast<size_t>(col)];
        auto* header = new QTableWidgetItem(tr(column.header));
        if (column.headerTip)
            header->setToolTip(tr(column.headerTip));
        m_table->setHorizontalHeaderItem(col, header);
        if (column.stretch)
            m_table->horizontalHeader()->setSectionResizeMode(col, QHeaderView::Stretch);
    }
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layout->addWidget(m_table, 2);

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

    auto* detailsBox = new QGroupBox(tr("Selected layer"), this);
    detailsBox->setObjectName(QStringLiteral("layerDetailsGroup"));
    auto* detailsLayout = new QVBoxLayout(detailsBox);
    m_details = new LayerDetailsForm(detailsBox);
    detailsLayout->addWidget(m_details);
    m_detailsHint = new QLabel(tr("Select a layer in the table to edit its name and settings."), detailsBox);
    m_detailsHint->setObjectName(QStringLiteral("layerDetailsHint"));
    m_detailsHint->setEnabled(false);
    detailsLayout->addWidget(m_detailsHint);
    layout->addWidget(detailsBox);

    m_summary = new ModelSummaryView(this);
    layout->addWidget(m_summary, 1);

    m_errors = new ErrorLabel(this);
    m_errors->setObjectName(QStringLiteral("modelErrorsLabel"));
    layout->addWidget(m_errors);

    connect(m_name, &QLineEdit::textEdited, this, [this] { onRowEdited(QStringLiteral("model.name")); });
    connect(m_table, &QTableWidget::currentCellChanged, this, [this] { refresh(); });
    connect(m_fromFile, &StartFromFileField::edited, this, [this] { onRowEdited(QStringLiteral("model.from_file")); });
    connect(m_details, &LayerDetailsForm::edited, this, &ModelForm::onDetailsEdited);

    ModelSpec initial;
    initial.layers = {LayerSpec{LayerSpec::Kind::Dense, 16, cklab::Activation::Relu, true, 0.0f, {}},
                      LayerSpec{LayerSpec::Kind::Dense, 2, cklab::Activation::Softmax, true, 0.0f, {}}};
    setConfig(initial);
}

void ModelForm::setConfig(const ModelSpec& spec)
{
    m_loading = true;
    m_details->setLayer(-1, LayerSpec{}); // refresh() shows the then current row's settings
    m_specInputDim = spec.inputShape.empty() ? spec.inputDim : 0;
    m_specInputShape = spec.inputShape;
    m_layers = spec.layers;
    m_name->setText(QString::fromStdString(spec.name));
    m_fromFile->setPath(QString::fromStdString(spec.fromFile));
    // The view deletes replaced cell widgets later; make the old ones unfindable and mute now.
    for (int row = 0; row < m_table->rowCount(); ++row)
        for (int col = 0; col < columnCount(); ++col)
            if (QWidget* w = m_table->cellWidget(row, col)) {
                w->blockSignals(true);
                w->setObjectName(QString());
            }
    m_table->setRowCount(0);
    m_table->setRowCount(static_cast<int>(m_layers.size()));
    for (int row = 0; row < static_cast<int>(m_layers.size()); ++row)
        setRowWidgets(row, m_layers[static_cast<size_t>(row)]);
    m_loading = false;
    refresh();
}

ModelSpec ModelForm::config() const
{
    ModelSpec spec;
    spec.inputDim = m_specInputDim;
    spec.inputShape = m_specInputShape;
    spec.name = m_name->text().toStdString();
    spec.fromFile = m_fromFile->path().toStdString();
    if (m_fromFile->architecture())
        return spec; // the file's layers (shown in the field), not the table's
    spec.layers = m_layers;
    return spec;
}

ModelSpec ModelForm::effectiveSpec() const
{
    if (m_fromFile->architecture())
        return *m_fromFile->architecture();
    return cklab::withDataInput(config(), m_dataInputDim, m_dataSampleShape);
}

void ModelForm::setDataInputDim(int features)
{
    if (features == m_dataInputDim)
        return;
    m_dataInputDim = features;
    refresh();
}

void ModelForm::setDataSampleShape(const std::vector<int>& shape)
{
    if (shape == m_dataSampleShape)
        return;
    m_dataSampleShape = shape;
    refresh();
}

int ModelForm::effectiveInputDim() const
{
    return effectiveSpec().inputDim;
}

long long ModelForm::parameterCount() const
{
    return effectiveSpec().parameterCount();
}

QStringList ModelForm::problems() const
{
    return m_errors->problems();
}

void ModelForm::markRows(const std::vector<std::string>& problems)
{
    // The field a message names gets the mark: model.layers[1].units -> the units of row 2
    // (Conv2D's filters live in the same cell).
    for (int row = 0; row < m_table->rowCount(); ++row)
        for (const LayerColumn& column : columns()) {
            QString problem;
            for (const char* key : {column.key, column.conv2dKey}) {
                if (!key)
                    continue;
                const std::string prefix = "model.layers[" + std::to_string(row) + "]." + key + ":";
                for (const auto& p : problems)
                    if (p.rfind(prefix, 0) == 0)
                        problem = readableProblem(QString::fromStdString(p));
            }
            markField(findChild<QWidget*>(QLatin1String(column.name) + QStringLiteral("_%1").arg(row)), problem);
        }
    m_details->markProblems(problems);
}

void ModelForm::setRowWidgets(int row, const LayerSpec& layer)
{
    for (int col = 0; col < columnCount(); ++col) {
        const LayerColumn& column = columns()[static_cast<size_t>(col)];
        QWidget* cell = makeLayerCell(column, row, layer);
        m_table->setCellWidget(row, col, cell);
        if (col == ColType)
            connect(static_cast<QComboBox*>(cell), &QComboBox::currentIndexChanged, this,
                    [this, cell](int index) { onTypeChanged(cell, index); });
        else
            connectLayerCell(column, cell, this, [this, cell, col] { onCellEdited(cell, col); });
    }
    updateRowEnabled(row);
}

void ModelForm::updateRowEnabled(int row)
{
    const Kind kind = m_layers[static_cast<size_t>(row)].kind;
    for (int col = 0; col < columnCount(); ++col)
        m_table->cellWidget(row, col)->setEnabled(columns()[static_cast<size_t>(col)].applies(kind));
}

int ModelForm::rowOf(QWidget* w) const
{
    // The row of a widget changes when rows move, so look it up at signal time.
    for (int r = 0; r < m_table->rowCount(); ++r)
        for (int c = 0; c < columnCount(); ++c)
            if (m_table->cellWidget(r, c) == w)
                return r;
    return -1;
}

void ModelForm::onCellEdited(QWidget* w, int col)
{
    const int r = rowOf(w);
    if (r < 0 || m_loading)
        return;
    LayerSpec& layer = m_layers[static_cast<size_t>(r)];
    const LayerColumn& column = columns()[static_cast<size_t>(col)];
    column.set(layer, cellValue(column, w));
    if (m_table->currentRow() != r)
        m_table->setCurrentCell(r, ColType);
    onRowEdited(QStringLiteral("layers[%1].%2").arg(r).arg(QLatin1String(layerKey(column, layer.kind))));
}

void ModelForm::onTypeChanged(QWidget* w, int index)
{
    const int r = rowOf(w);
    if (r < 0 || m_loading || index < 0 || index >= static_cast<int>(layerKinds().size()))
        return;
    // A new kind starts from its defaults, keeping the name the user gave the layer.
    LayerSpec layer = defaultLayer(layerKinds()[static_cast<size_t>(index)]);
    layer.name = m_layers[static_cast<size_t>(r)].name;
    m_layers[static_cast<size_t>(r)] = layer;
    m_loading = true;
    for (int col = 0; col < columnCount(); ++col)
        if (col != ColType)
            showLayerValue(columns()[static_cast<size_t>(col)], m_table->cellWidget(r, col), layer);
    m_loading = false;
    updateRowEnabled(r);
    if (m_table->currentRow() != r)
        m_table->setCurrentCell(r, ColType);
    m_details->setLayer(r, layer);
    onRowEdited(QStringLiteral("layers[%1].type").arg(r));
}

void ModelForm::onDetailsEdited(const QString& field)
{
    const int r = m_details->row();
    if (r < 0 || r >= static_cast<int>(m_layers.size()) || m_loading)
        return;
    m_layers[static_cast<size_t>(r)] = m_details->applyTo(m_layers[static_cast<size_t>(r)]);
    onRowEdited(field);
}

int ModelForm::currentRow() const
{
    return m_table->currentRow();
}

void ModelForm::addLayer()
{
    ModelSpec spec = config();
    const int at = currentRow() >= 0 ? currentRow() + 1 : static_cast<int>(spec.layers.size());
    spec.layers.insert(spec.layers.begin() + at, defaultLayer(Kind::Dense));
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
    ModelSpec spec = effectiveSpec();
    if (!spec.inputShape.empty())
        m_inputLabel->setText(tr("%1 image (%2 values)").arg(describeShape(spec.inputShape)).arg(spec.inputDim));
    else
        m_inputLabel->setText(spec.inputDim > 0 ? tr("%1 features").arg(spec.inputDim) : tr("unknown (load the data)"));

    // An unknown input size is the data form's problem, not the model's: validate with a stand-in.
    if (spec.inputDim <= 0 && spec.inputShape.empty())
        spec.inputDim = 1;
    ModelSpec checked = spec;
    if (m_fromFile->architecture()) { // the file's layers were checked when it was read
        checked = config();
        checked.inputDim = std::max(1, spec.inputDim);
    }
    auto problems = checked.validate();
    if (!m_fromFile->problem().isEmpty())
        problems.push_back(m_fromFile->problem().toStdString());
    m_errors->setProblems(problems);
    m_summary->setSpec(spec);
    const bool ownLayers = !m_fromFile->architecture();
    m_table->setEnabled(ownLayers);
    m_add->setEnabled(ownLayers);

    const int row = currentRow();
    // Reload the settings only when another row is selected: reloading under the user's typing
    // would rewrite a half-typed target shape.
    const int shownRow = ownLayers && row >= 0 && row < static_cast<int>(m_layers.size()) ? row : -1;
    if (m_details->row() != shownRow)
        m_details->setLayer(shownRow, shownRow >= 0 ? m_layers[static_cast<size_t>(shownRow)] : LayerSpec{});
    m_details->setVisible(shownRow >= 0);
    m_detailsHint->setVisible(shownRow < 0);
    markRows(problems);
    m_remove->setEnabled(ownLayers && row >= 0);
    m_up->setEnabled(ownLayers && row > 0);
    m_down->setEnabled(ownLayers && row >= 0 && row + 1 < m_table->rowCount());

    const bool valid = problems.empty();
    if (valid != m_valid) {
        m_valid = valid;
        emit validityChanged(valid);
    }
}

} // namespace cklab::ui
