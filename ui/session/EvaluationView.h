#pragma once
/// Shows an EvaluationResult: tabs "Confusion matrix" (QTableView "confusionMatrix" over a
/// ConfusionMatrixModel), "Per class" (QTableWidget "perClassTable": class, support, predicted,
/// recall, precision) and "Misclassified" (ImageGrid "misclassifiedGrid" for image data, a
/// QTableWidget "misclassifiedTable" of features, true, predicted and confidence for tabular
/// data). The label "evaluationNotice" says what is missing: a regression result shows only it,
/// and outputs that are not numbers (a diverged run's checkpoint) are counted there, above the
/// tabs. GUI thread only.
#include <QWidget>

#include "ui/session/CheckpointEvaluator.h"

class QLabel;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTableWidget;

namespace cklab::ui {

class ConfusionMatrixModel;
class ImageGrid;

class EvaluationView : public QWidget {
    Q_OBJECT
public:
    explicit EvaluationView(QWidget* parent = nullptr);

    /// Replaces everything shown; nothing of an earlier result stays (rows, headers, images).
    void setResult(const EvaluationResult& result);
    void clear();

    ConfusionMatrixModel* confusionModel() const { return m_confusionModel; }

private:
    void showPerClass(const Evaluation& e);
    void showMisclassified(const EvaluationResult& r);

    QLabel* m_notice = nullptr;
    QTabWidget* m_tabs = nullptr;
    ConfusionMatrixModel* m_confusionModel = nullptr;
    QTableView* m_confusion = nullptr;
    QTableWidget* m_perClass = nullptr;
    QStackedWidget* m_misclassifiedStack = nullptr;
    ImageGrid* m_grid = nullptr;
    QTableWidget* m_rows = nullptr;
};

} // namespace cklab::ui
