#pragma once
/// A label under a form that lists the core's validation messages, one per line, with row
/// numbers as the tables show them (readableProblem()); hidden when empty. problems() gives the
/// core's own texts.
#include <QLabel>
#include <string>
#include <vector>

namespace cklab::ui {

class ErrorLabel : public QLabel {
    Q_OBJECT
public:
    explicit ErrorLabel(QWidget* parent = nullptr);
    void setProblems(const std::vector<std::string>& problems);
    QStringList problems() const { return m_problems; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void updateColour();
    QStringList m_problems;
    bool m_updatingColour = false;
};

} // namespace cklab::ui
