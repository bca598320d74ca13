#include "ui/forms/ErrorLabel.h"

#include <QEvent>

#include "ui/forms/FieldProblems.h"

namespace cklab::ui {

ErrorLabel::ErrorLabel(QWidget* parent) : QLabel(parent)
{
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setVisible(false);
    updateColour();
}

void ErrorLabel::setProblems(const std::vector<std::string>& problems)
{
    m_problems.clear();
    QStringList shown;
    for (const auto& p : problems) {
        m_problems << QString::fromStdString(p);
        shown << readableProblem(m_problems.back());
    }
    setText(shown.join(QLatin1Char('\n')));
    setVisible(!m_problems.isEmpty());
}

void ErrorLabel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange && !m_updatingColour)
        updateColour();
    QLabel::changeEvent(event);
}

void ErrorLabel::updateColour()
{
    // A red readable on both light and dark window colours: lighter red on dark backgrounds.
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    QPalette p = palette();
    p.setColor(QPalette::WindowText, dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28));
    m_updatingColour = true;
    setPalette(p);
    m_updatingColour = false;
}

} // namespace cklab::ui
