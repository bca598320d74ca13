#pragma once
/// The four editors of a Project in tabs (Model, Data, Training, Checkpoints), wired together:
/// the data's feature count feeds the model's input size, the loss/metrics/validation settings
/// decide the log keys offered as monitors. Valid when every form is and validateProject() is
/// satisfied (its cross checks are shown in the "projectErrorsLabel" under the tabs).
#include <QWidget>

#include "core/project/Project.h"

class QLabel;
class QTabWidget;

namespace cklab::ui {

class CheckpointPolicyList;
class DataForm;
class ErrorLabel;
class ModelForm;
class TrainingForm;

class ProjectForms : public QWidget {
    Q_OBJECT
public:
    explicit ProjectForms(QWidget* parent = nullptr);

    /// Loads every field into the forms (emits no edited()).
    void setProject(const cklab::Project& project);
    /// The project as edited: fields without an editor are kept from setProject().
    cklab::Project project() const;
    /// Folder that relative data paths resolve against (the project file's folder).
    void setBaseDir(const QString& dir);

    bool isValid() const { return m_valid; }
    /// Read-only while a run trains: every tab (and each checkpoint policy) can be looked at,
    /// nothing can be edited; a note above the tabs says why. Object name of the note: "formsLockedNote".
    void setLocked(bool locked);
    bool isLocked() const { return m_locked; }
    /// Every problem the forms show (each form's, then the cross checks), with JSON paths.
    QStringList problems() const;
    /// Checks again what can change without an edit (data files on disk); validityChanged()
    /// follows if that changes the verdict.
    void recheck();

    ModelForm* modelForm() const { return m_model; }
    DataForm* dataForm() const { return m_data; }
    TrainingForm* trainingForm() const { return m_training; }
    CheckpointPolicyList* checkpointList() const { return m_checkpoints; }
    QTabWidget* tabs() const { return m_tabs; }

signals:
    /// A committed user edit of `field` (consecutive edits of one field merge in undo).
    void edited(const QString& field);
    void validityChanged(bool valid);
    /// The list problems() returns changed (also while the verdict stays "invalid").
    void problemsChanged();

private:
    void onEdited(const QString& field);
    void updateContext();
    void refresh();

    QTabWidget* m_tabs = nullptr;
    ModelForm* m_model = nullptr;
    DataForm* m_data = nullptr;
    TrainingForm* m_training = nullptr;
    CheckpointPolicyList* m_checkpoints = nullptr;
    ErrorLabel* m_errors = nullptr;
    cklab::Project m_base;
    QStringList m_problems;   // problems() at the last refresh()
    bool m_locked = false;
    QLabel* m_lockedNote = nullptr;
    bool m_valid = false;
    bool m_loading = false;
};

} // namespace cklab::ui
