#pragma once
/// The project's checkpoint policies: a list (add, duplicate, remove, rename) and the editor of
/// the selected policy. Valid when every policy is.
#include <QWidget>
#include <vector>

#include "core/checkpoint/CheckpointConfig.h"

class QListWidget;
class QPushButton;

namespace cklab::ui {

class CheckpointPolicyForm;

class CheckpointPolicyList : public QWidget {
    Q_OBJECT
public:
    explicit CheckpointPolicyList(QWidget* parent = nullptr);
    /// Read-only (during a run): the list stays usable to look at each policy; nothing edits.
    void setLocked(bool locked);

    void setConfig(const std::vector<cklab::CheckpointConfig>& policies);
    std::vector<cklab::CheckpointConfig> config() const { return m_policies; }
    void setLogKeys(const QStringList& epochKeys, const QStringList& batchKeys);

    CheckpointPolicyForm* form() const { return m_form; }
    int currentIndex() const { return m_current; }
    void setCurrentIndex(int index);
    bool isValid() const { return m_valid; }
    /// Problems of every policy, with their paths.
    QStringList problems() const;

public slots:
    void addPolicy();
    void duplicatePolicy();
    void removePolicy();
    /// Puts the selected item into in-place editing (the name field edits it too).
    void renamePolicy();

signals:
    void edited(const QString& field);
    void validityChanged(bool valid);

private:
    void rebuildList();
    void onFormEdited(const QString& field);
    void refresh();
    QString uniqueName(const QString& base) const;
    std::vector<std::string> problemsOf(int index) const;

    QListWidget* m_list = nullptr;
    QPushButton* m_add = nullptr;
    QPushButton* m_duplicate = nullptr;
    QPushButton* m_remove = nullptr;
    QPushButton* m_rename = nullptr;
    CheckpointPolicyForm* m_form = nullptr;
    bool m_locked = false;
    std::vector<cklab::CheckpointConfig> m_policies;
    QStringList m_epochKeys{QStringLiteral("loss"), QStringLiteral("accuracy")};
    QStringList m_batchKeys{QStringLiteral("loss"), QStringLiteral("accuracy")};
    int m_current = -1;
    bool m_valid = true;
    bool m_loading = false;
};

} // namespace cklab::ui
