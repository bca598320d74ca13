#pragma once
/// The layer table's columns, one line per column in the spirit of FormRows: header, the cells'
/// object name, the layer's JSON key the column edits, editor kind and range, the layer kinds it
/// applies to, tooltip, and how the value is read from and written to a LayerSpec. ModelForm
/// makes, fills, reads and marks every cell through its column, so a field is named once.
#include <QString>
#include <QStringList>
#include <QVariant>
#include <functional>
#include <vector>

#include "core/nn/ModelSpec.h"

class QWidget;

namespace cklab::ui {

enum class CellEditor { Choice, Integer, Decimal, Check };

struct LayerColumn {
    const char* header;         // translated in the "ModelForm" context
    const char* name;           // row r's cell is named name + "_r" ("layerUnits_2")
    const char* key;            // JSON key of the layer field; problems on it mark the cell
    const char* conv2dKey;      // the key for Conv2D layers when it differs ("filters"), else nullptr
    CellEditor editor;
    bool (*applies)(LayerSpec::Kind); // the cell is enabled only for these kinds
    QVariant (*get)(const LayerSpec&);
    void (*set)(LayerSpec&, const QVariant&); // nullptr: the form handles the edit itself (type)
    const char* tip;
    const char* headerTip = nullptr;
    bool stretch = false; // the column takes the table's spare width
    QStringList (*items)() = nullptr; // Choice: the entries
    double min = 0, max = 0, step = 1;
    int decimals = 0;
};

/// The columns in table order; the first is the layer type.
const std::vector<LayerColumn>& layerColumns();
constexpr int kTypeColumn = 0;
/// The layer kinds in the type column's order.
const std::vector<LayerSpec::Kind>& layerKinds();

/// A new, unconnected editor for `column` named for `row`, showing `layer`'s value.
QWidget* makeLayerCell(const LayerColumn& column, int row, const LayerSpec& layer);
/// Shows `layer`'s value in a cell made by makeLayerCell.
void showLayerValue(const LayerColumn& column, QWidget* cell, const LayerSpec& layer);
/// The cell's value, as `column.set` takes it.
QVariant cellValue(const LayerColumn& column, const QWidget* cell);
/// Calls `onEdit` on each user change of the cell (after makeLayerCell, so loading reports nothing).
void connectLayerCell(const LayerColumn& column, QWidget* cell, QObject* context, const std::function<void()>& onEdit);
/// The JSON key the column edits for a layer of `kind`.
const char* layerKey(const LayerColumn& column, LayerSpec::Kind kind);

} // namespace cklab::ui
