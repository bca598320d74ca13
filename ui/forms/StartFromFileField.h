#pragma once
/// The model form's "Start from file" field (project key model.from_file): a path, a file chooser
/// and, once a file is set, the layers it brings (read-only: name, layer, output shape,
/// parameters). A file that cannot be read shows the core's message and makes the field invalid.
#include <QWidget>

#include <functional>
#include <optional>

#include "core/nn/ModelSpec.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace cklab::ui {

class StartFromFileField : public QWidget {
    Q_OBJECT
public:
    explicit StartFromFileField(QWidget* parent = nullptr);

    QString path() const;
    void setPath(const QString& path);
    /// The architecture the file holds (.keras, .h5); nullopt for none, a weights file or an error.
    const std::optional<cklab::ModelSpec>& architecture() const { return m_architecture; }
    /// Why the file cannot be used ("model.from_file: ..."); empty when it can or none is set.
    QString problem() const { return m_problem; }

    /// Test seam: what the Browse button asks for a file (default: QFileDialog).
    using FileChooser = std::function<QString(const QString& current)>;
    void setFileChooser(FileChooser chooser) { m_chooser = std::move(chooser); }

signals:
    /// The user changed the path (typed and committed, or chose a file).
    void edited();

private:
    void browse();
    void load();

    QLineEdit* m_path = nullptr;
    QPushButton* m_browse = nullptr;
    QTableWidget* m_layers = nullptr;
    QLabel* m_status = nullptr;
    FileChooser m_chooser;
    std::optional<cklab::ModelSpec> m_architecture;
    QString m_problem;
};

} // namespace cklab::ui
