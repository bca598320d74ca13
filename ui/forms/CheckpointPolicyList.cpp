#include "ui/forms/CheckpointPolicyList.h"

#include <QHBoxLayout>
#include <QListWidget>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

#include "ui/forms/CheckpointPolicyForm.h"

namespace cklab::ui {

using cklab::CheckpointConfig;

namespace {
QString pathOf(int index)
{
    return QStringLiteral("checkpoints[%1]").arg(index);
}
} // namespace

CheckpointPolicyList::CheckpointPolicyList(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("checkpointPolicyList"));
    auto* layout = new QVBoxLayout(this);

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("checkpointList"));
    m_list->setToolTip(tr("Checkpoint policies (Keras ModelCheckpoint callbacks), called in this order. "
                          "Double-click to rename."));
    m_list->setMaximumHeight(110);
    layout->addWidget(m_list);

    auto* buttons = new QHBoxLayout;
    auto makeButton = [&](const char* name, const QString& text, const QString& tip, void (CheckpointPolicyList::*slot)()) {
        auto* b = new QPushButton(text, this);
        b->setObjectName(QLatin1String(name));
        b->setToolTip(tip);
        connect(b, &QPushButton::clicked, this, slot);
        buttons->addWidget(b);
        return b;
    };
    m_add = makeButton("addPolicyButton", tr("Add"), tr("Add a new checkpoint policy."), &CheckpointPolicyList::addPolicy);
    m_duplicate = makeButton("duplicatePolicyButton", tr("Duplicate"), tr("Copy the selected policy."),
                             &CheckpointPolicyList::duplicatePolicy);
    m_remove = makeButton("removePolicyButton", tr("Remove"), tr("Remove the selected policy."),
                          &CheckpointPolicyList::removePolicy);
    m_rename = makeButton("renamePolicyButton", tr("Rename"), tr("Rename the selected policy."),
                          &CheckpointPolicyList::renamePolicy);
    buttons->addStretch();
    layout->addLayout(buttons);

    m_form = new CheckpointPolicyForm(this);
    layout->addWidget(m_form);
    layout->addStretch();

    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (!m_loading)
            setCurrentIndex(row);
    });
    connect(m_list, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        if (m_loading)
            return;
        const int row = m_list->row(item);
        if (row < 0 || row >= static_cast<int>(m_policies.size()) || item->text().toStdString() == m_policies[static_cast<size_t>(row)].name)
            return;
        m_policies[static_cast<size_t>(row)].name = item->text().toStdString();
        if (row == m_current) {
            m_loading = true;
            m_form->setConfig(m_policies[static_cast<size_t>(row)]);
            m_loading = false;
        }
        refresh();
        emit edited(QStringLiteral("%1.name").arg(pathOf(row)));
    });
    connect(m_form, &CheckpointPolicyForm::edited, this, &CheckpointPolicyList::onFormEdited);
    connect(m_form, &CheckpointPolicyForm::nameEdited, this, [this](const QString& name) {
        if (auto* item = m_list->item(m_current)) {
            m_loading = true;
            item->setText(name);
            m_loading = false;
        }
    });
    setConfig({});
}

void CheckpointPolicyList::setConfig(const std::vector<CheckpointConfig>& policies)
{
    m_policies = policies;
    m_current = -1;
    rebuildList();
    setCurrentIndex(m_policies.empty() ? -1 : 0);
    refresh();
}

void CheckpointPolicyList::setLogKeys(const QStringList& epochKeys, const QStringList& batchKeys)
{
    m_epochKeys = epochKeys;
    m_batchKeys = batchKeys;
    m_form->setLogKeys(epochKeys, batchKeys);
    refresh();
}

void CheckpointPolicyList::setCurrentIndex(int index)
{
    if (index >= static_cast<int>(m_policies.size()))
        index = static_cast<int>(m_policies.size()) - 1;
    m_current = index;
    m_loading = true;
    m_list->setCurrentRow(index);
    m_loading = false;
    m_form->setEnabled(index >= 0 && !m_locked);
    if (index >= 0) {
        m_form->setPath(pathOf(index));
        m_form->setConfig(m_policies[static_cast<size_t>(index)]);
    }
    m_duplicate->setEnabled(index >= 0 && !m_locked);
    m_remove->setEnabled(index >= 0 && !m_locked);
    m_rename->setEnabled(index >= 0 && !m_locked);
    m_add->setEnabled(!m_locked);
}

void CheckpointPolicyList::setLocked(bool locked)
{
    m_locked = locked;
    setCurrentIndex(m_current);
}

QStringList CheckpointPolicyList::problems() const
{
    QStringList out;
    for (int i = 0; i < static_cast<int>(m_policies.size()); ++i)
        for (const auto& p : problemsOf(i))
            out << QString::fromStdString(p);
    return out;
}

void CheckpointPolicyList::addPolicy()
{
    CheckpointConfig c;
    c.name = uniqueName(QStringLiteral("checkpoint")).toStdString();
    c.filepath = "checkpoints/" + c.name + "-{epoch:02d}.keras";
    c.monitor = m_epochKeys.contains(QStringLiteral("val_loss")) ? "val_loss" : "loss";
    m_policies.push_back(c);
    rebuildList();
    setCurrentIndex(static_cast<int>(m_policies.size()) - 1);
    refresh();
    emit edited(QStringLiteral("checkpoints"));
}

void CheckpointPolicyList::duplicatePolicy()
{
    if (m_current < 0)
        return;
    CheckpointConfig c = m_policies[static_cast<size_t>(m_current)];
    c.name = uniqueName(QString::fromStdString(c.name)).toStdString();
    m_policies.insert(m_policies.begin() + m_current + 1, c);
    rebuildList();
    setCurrentIndex(m_current + 1);
    refresh();
    emit edited(QStringLiteral("checkpoints"));
}

void CheckpointPolicyList::removePolicy()
{
    if (m_current < 0)
        return;
    const int at = m_current;
    m_policies.erase(m_policies.begin() + at);
    rebuildList();
    setCurrentIndex(std::min(at, static_cast<int>(m_policies.size()) - 1));
    refresh();
    emit edited(QStringLiteral("checkpoints"));
}

void CheckpointPolicyList::renamePolicy()
{
    if (auto* item = m_list->item(m_current))
        m_list->editItem(item);
}

void CheckpointPolicyList::rebuildList()
{
    m_loading = true;
    m_list->clear();
    for (const auto& c : m_policies) {
        auto* item = new QListWidgetItem(QString::fromStdString(c.name), m_list);
        item->setFlags(item->flags() | Qt::ItemIsEditable);
    }
    m_loading = false;
}

void CheckpointPolicyList::onFormEdited(const QString& field)
{
    if (m_loading || m_current < 0)
        return;
    m_policies[static_cast<size_t>(m_current)] = m_form->config();
    refresh();
    emit edited(QStringLiteral("%1.%2").arg(pathOf(m_current), field));
}

void CheckpointPolicyList::refresh()
{
    bool valid = true;
    const QIcon warn = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (int i = 0; i < static_cast<int>(m_policies.size()); ++i) {
        const auto problems = problemsOf(i);
        valid = valid && problems.empty();
        if (auto* item = m_list->item(i)) {
            m_loading = true;
            item->setIcon(problems.empty() ? QIcon() : warn);
            QStringList tip;
            for (const auto& p : problems)
                tip << QString::fromStdString(p);
            item->setToolTip(tip.isEmpty() ? tr("Valid policy") : tip.join(QLatin1Char('\n')));
            m_loading = false;
        }
    }
    if (valid != m_valid) {
        m_valid = valid;
        emit validityChanged(valid);
    }
}

QString CheckpointPolicyList::uniqueName(const QString& base) const
{
    auto taken = [this](const QString& n) {
        return std::any_of(m_policies.begin(), m_policies.end(),
                           [&](const CheckpointConfig& c) { return QString::fromStdString(c.name) == n; });
    };
    if (!taken(base))
        return base;
    for (int k = 2;; ++k) {
        const QString candidate = QStringLiteral("%1_%2").arg(base).arg(k);
        if (!taken(candidate))
            return candidate;
    }
}

std::vector<std::string> CheckpointPolicyList::problemsOf(int index) const
{
    return CheckpointPolicyForm::validate(m_policies[static_cast<size_t>(index)], pathOf(index), m_epochKeys, m_batchKeys);
}

} // namespace cklab::ui
