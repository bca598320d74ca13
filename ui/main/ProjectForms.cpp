#include "ui/main/ProjectForms.h"

#include <QScrollArea>
#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>

#include "core/project/ProjectValidation.h"
#include "ui/forms/CheckpointPolicyList.h"
#include "ui/forms/DataForm.h"
#include "ui/forms/ErrorLabel.h"
#include "ui/forms/ModelForm.h"
#include "ui/forms/TrainingForm.h"

namespace cklab::ui {

namespace {
QWidget* scrollable(QWidget* form)
{
    auto* area = new QScrollArea;
    area->setWidget(form);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

QStringList toQt(const std::vector<std::string>& v)
{
    QStringList out;
    for (const auto& s : v)
        out << QString::fromStdString(s);
    return out;
}
} // namespace

ProjectForms::ProjectForms(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("projectForms"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_lockedNote = new QLabel(tr("Read-only while the run trains: the forms show the project being trained."), this);
    m_lockedNote->setObjectName(QStringLiteral("formsLockedNote"));
    m_lockedNote->setWordWrap(true);
    m_lockedNote->setContentsMargins(6, 4, 6, 4);
    m_lockedNote->setVisible(false);
    layout->addWidget(m_lockedNote);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("formTabs"));
    m_model = new ModelForm;
    m_data = new DataForm;
    m_training = new TrainingForm;
    m_checkpoints = new CheckpointPolicyList;
    m_tabs->addTab(m_model, tr("Model"));
    m_tabs->addTab(scrollable(m_data), tr("Data"));
    m_tabs->addTab(scrollable(m_training), tr("Training"));
    m_tabs->addTab(scrollable(m_checkpoints), tr("Checkpoints"));
    layout->addWidget(m_tabs, 1);
    m_errors = new ErrorLabel(this);
    m_errors->setObjectName(QStringLiteral("projectErrorsLabel"));
    m_errors->setContentsMargins(6, 0, 6, 6);
    layout->addWidget(m_errors);

    connect(m_model, &ModelForm::edited, this, &ProjectForms::onEdited);
    connect(m_data, &DataForm::edited, this, &ProjectForms::onEdited);
    connect(m_training, &TrainingForm::edited, this, &ProjectForms::onEdited);
    connect(m_checkpoints, &CheckpointPolicyList::edited, this, &ProjectForms::onEdited);
    connect(m_data, &DataForm::featureCountChanged, m_model, &ModelForm::setDataInputDim);
    // Image data gives the model its [H, W, C] input (core/nn/ModelInput decides when it is used).
    connect(m_data, &DataForm::previewUpdated, m_model, [this] { m_model->setDataSampleShape(m_data->sampleShape()); });
    connect(m_model, &ModelForm::validityChanged, this, &ProjectForms::refresh);
    connect(m_data, &DataForm::validityChanged, this, &ProjectForms::refresh);
    connect(m_training, &TrainingForm::validityChanged, this, &ProjectForms::refresh);
    connect(m_checkpoints, &CheckpointPolicyList::validityChanged, this, &ProjectForms::refresh);
    connect(m_data, &DataForm::previewUpdated, this, &ProjectForms::refresh); // what the loader said
    setProject(cklab::Project{});
}

void ProjectForms::setProject(const cklab::Project& project)
{
    m_loading = true;
    m_base = project;
    m_model->setConfig(project.model);
    m_data->setConfig(project.data);
    m_data->setSeed(project.training.seed);
    m_training->setConfig(project.training);
    m_training->setOutputDir(QString::fromStdString(project.outputDir));
    m_checkpoints->setConfig(project.checkpoints);
    m_loading = false;
    updateContext();
    refresh();
}

cklab::Project ProjectForms::project() const
{
    cklab::Project p = m_base;
    p.model = m_model->config();
    p.data = m_data->config();
    p.training = m_training->config();
    p.training.seed = m_data->seed();
    p.outputDir = m_training->outputDir().toStdString();
    p.checkpoints = m_checkpoints->config();
    return p;
}

void ProjectForms::setBaseDir(const QString& dir)
{
    m_data->setBaseDir(dir);
}

void ProjectForms::setLocked(bool locked)
{
    m_locked = locked;
    m_lockedNote->setVisible(locked);
    // The tab bar and the scroll areas stay enabled, so that every form can be looked at.
    for (QWidget* form : std::initializer_list<QWidget*>{m_model, m_data, m_training})
        form->setEnabled(!locked);
    m_checkpoints->setLocked(locked);
}

QStringList ProjectForms::problems() const
{
    return m_model->problems() + m_data->problems() + m_training->problems() + m_checkpoints->problems() +
           m_errors->problems();
}

void ProjectForms::recheck()
{
    m_data->recheck();
    refresh();
}

void ProjectForms::onEdited(const QString& field)
{
    if (m_loading)
        return;
    updateContext();
    refresh();
    emit edited(field);
}

void ProjectForms::updateContext()
{
    const cklab::Project p = project();
    m_training->setDataContext(p.data);
    m_checkpoints->setLogKeys(toQt(cklab::epochLogKeys(p)), toQt(cklab::batchLogKeys(p)));
}

void ProjectForms::refresh()
{
    if (m_loading)
        return;
    // Problems a form already shows stay there; the rest (cross checks, unique names) go here.
    QStringList shown = m_model->problems() + m_data->problems() + m_training->problems() + m_checkpoints->problems();
    std::vector<std::string> rest;
    for (const auto& message : cklab::validateProject(project())) {
        const QString m = QString::fromStdString(message);
        const bool covered = std::any_of(shown.begin(), shown.end(), [&](const QString& s) { return m.endsWith(s) || s.endsWith(m); });
        if (!covered)
            rest.push_back(message);
    }
    m_errors->setProblems(rest);
    const bool valid = m_model->isValid() && m_data->isValid() && m_training->isValid() && m_checkpoints->isValid() &&
                       rest.empty();
    if (valid != m_valid) {
        m_valid = valid;
        emit validityChanged(valid);
    }
    const QStringList now = problems();
    if (now != m_problems) {
        m_problems = now;
        emit problemsChanged();
    }
}

} // namespace cklab::ui
